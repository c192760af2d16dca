"""In Debian's Chromium: axe-core on every page type in both languages, and a keyboard-only walk.

These run in CI (CI=true) and fail there if Chromium is missing; elsewhere they are skipped
with a reason when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from web_corpus import ANALYST, PASSWORD


pytestmark = pytest.mark.browser

#: One URL per page type. Every one is checked in English and in Welsh.
PAGE_TYPES = {
    "overview": "/",
    "overview-filtered": "/?nation=Wales&year=2023&framework=welsh-gov-vs-councils",
    "councils": "/councils",
    "council": "/councils/cardiff",
    "council-welsh-strategy": "/councils/gwynedd",
    "themes": "/themes",
    "theme": "/themes/lga-digitalisation-outcomes/inclusion",
    "compare": "/compare?a=1&b=2",
    "matrix": "/compare/national",
    "document": "/documents/3",
    "search-form": "/search",
    "search-results": "/search?q=digital+inclusion",
    "search-empty": "/search?q=zzzzqqq",
    "login": "/login",
    "api": "/api",
    "self-assessment": "/councils/cardiff/self-assessment",
    "self-assessment-welsh-strategy": "/councils/gwynedd/self-assessment",
    "gaps": "/gaps",
    "gaps-filtered": "/gaps?framework=blackwell-2016&nation=Wales",
    "not-found": "/no-such-page",
}
#: axe-core rule sets: WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]},
               "resultTypes": ["violations"]}
#: Violations per page, written for the record (out/ is ignored by git).
RESULTS = Path(os.environ.get("STRATLENS_AXE_RESULTS", "out/axe-results.json"))


@pytest.fixture(scope="module")
def axe():  # noqa: ANN201
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def axe_log():  # noqa: ANN201
    results: dict[str, int] = {}
    yield results
    if results:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def page_violations(page, axe) -> list[dict]:  # noqa: ANN001
    """axe-core's violations on the page as it is now (after a form post, say)."""
    found = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [{"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5],
             "help": v["help"]} for v in found]


def check(page, axe, url: str) -> list[dict]:  # noqa: ANN001
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    return page_violations(page, axe)


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['rule']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations)


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_has_no_violations(server, page, axe, axe_log, name: str, lang: str) -> None:  # noqa: ANN001
    path = PAGE_TYPES[name]
    url = server + (path if lang == "en" else "/cy" + path)
    violations = check(page, axe, url)
    axe_log[f"{name} [{lang}]"] = len(violations)
    assert page.evaluate("document.documentElement.lang") == lang
    assert not violations, f"{url}\n{describe(violations)}"


def sign_in(page, server: str, prefix: str = "") -> None:  # noqa: ANN001
    page.goto(f"{server}{prefix}/login?next={prefix}/upload")
    page.fill("#username", ANALYST)
    page.fill("#password", PASSWORD)
    page.click("form[action$='/login'] button[type=submit]")
    page.wait_for_url(f"**{prefix}/upload")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_axe_on_analyst_pages(server, page, axe, axe_log, lang: str) -> None:  # noqa: ANN001
    prefix = "" if lang == "en" else "/cy"
    sign_in(page, server, prefix)
    violations = check(page, axe, f"{server}{prefix}/upload")
    axe_log[f"upload [{lang}]"] = len(violations)
    assert not violations, describe(violations)
    # The form sent empty: the error summary and messages must be accessible too.
    page.click("form[action$='/upload'] button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    found = page_violations(page, axe)
    axe_log[f"upload-errors [{lang}]"] = len(found)
    assert not found, describe(found)
    pid = page.goto(f"{server}/api/documents/1").json()["tables"][1]["rows"][0]["passage_id"]
    violations = check(page, axe, f"{server}{prefix}/passages/{pid}/review")
    axe_log[f"review [{lang}]"] = len(violations)
    assert not violations, describe(violations)
    violations = check(page, axe, f"{server}{prefix}/documents/1")
    axe_log[f"document-as-analyst [{lang}]"] = len(violations)
    assert not violations, describe(violations)
    # The self-assessment as a form, with the success banner (shown for ?saved=N without saving
    # anything: the store is shared with the other tests), then with errors (a note too long).
    violations = check(page, axe, f"{server}{prefix}/councils/cardiff/self-assessment?saved=2")
    axe_log[f"self-assessment-as-analyst [{lang}]"] = len(violations)
    assert page.locator(".govuk-notification-banner--success").count() == 1
    assert not violations, describe(violations)
    page.fill("#note", "x" * 501)
    page.click("form[action$='/self-assessment'] button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    found = page_violations(page, axe)
    axe_log[f"self-assessment-errors [{lang}]"] = len(found)
    assert not found, describe(found)
    # One answer of the council's own shows the "return to the pre-fill" form: check it, then use
    # it, which leaves the shared store as it was.
    page.goto(f"{server}{prefix}/councils/cardiff/self-assessment")
    first = page.locator("form[action$='/self-assessment'] select").first
    options = first.locator("option").evaluate_all("(os) => os.map(o => o.value)")
    current = first.input_value()
    first.select_option(next(v for v in options if v != current))
    page.click("form[action$='/self-assessment'] button[type=submit]")
    page.wait_for_selector("form[action$='/reset']")
    found = page_violations(page, axe)
    axe_log[f"self-assessment-with-reset [{lang}]"] = len(found)
    assert not found, describe(found)
    page.click("form[action$='/reset'] button[type=submit]")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert page.locator("form[action$='/reset']").count() == 0
    violations = check(page, axe, f"{server}{prefix}/logout")
    axe_log[f"logout [{lang}]"] = len(violations)
    assert not violations, describe(violations)


def focused(page) -> dict:  # noqa: ANN001
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || '').trim(),
                href: e.getAttribute('href'), inMain: !!e.closest('main'),
                outline: getComputedStyle(e).outlineStyle, box: getComputedStyle(e).boxShadow}; }""")


def tab_until(page, predicate, limit: int = 60) -> dict:  # noqa: ANN001
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError(f"not reached in {limit} Tab presses; last focus {focused(page)}")


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_keyboard_only_journey(server, page, lang: str) -> None:  # noqa: ANN001
    """Tab to the skip link, skip to the content, search, submit, and open a result - keys only."""
    prefix = "" if lang == "en" else "/cy"
    page.goto(f"{server}{prefix}/search")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main-content", first  # the skip link is the first stop
    page.keyboard.press("Enter")
    page.wait_for_url("**#main-content", timeout=5000)  # the fragment navigation is asynchronous
    state = tab_until(page, lambda s: s["id"] == "q")
    assert state["inMain"]
    page.keyboard.type("digital inclusion")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=digital+inclusion**")
    assert page.locator("mark.sl-mark").count() > 0
    page.keyboard.press("Tab")
    assert focused(page)["href"] == "#main-content"
    page.keyboard.press("Enter")
    result = tab_until(page, lambda s: (s["href"] or "").startswith(f"{prefix}/documents/") and "#passage-" in
                       (s["href"] or ""))
    assert result["outline"] != "none" or result["box"] != "none"  # the focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/**#passage-*")
    target = page.url.split("#", 1)[1]
    assert page.locator(f"#{target}").is_visible()


def test_pages_work_without_javascript(browser, server) -> None:  # noqa: ANN001
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "/")
    pg.select_option("#framework", "welsh-gov-vs-councils")
    pg.click("form.sl-filters button[type=submit]")
    assert "framework=welsh-gov-vs-councils" in pg.url
    assert pg.locator("#table-coverage tbody tr").count() == 5
    pg.goto(server + "/search")
    pg.fill("#q", "devices")
    pg.click("form[role=search] button[type=submit]")
    assert pg.locator("mark.sl-mark").count() > 0
    context.close()


def test_no_console_errors_or_csp_reports(server, page) -> None:  # noqa: ANN001
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ("/", "/councils/cardiff", "/search?q=data", "/documents/3"):
        page.goto(server + path)
    assert not errors, errors


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_reflow_at_320_css_pixels(browser, server, lang: str) -> None:  # noqa: ANN001
    """WCAG 1.4.10: no page scrolls sideways at 320 px; wide tables scroll inside their own region."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    pg = context.new_page()
    prefix = "" if lang == "en" else "/cy"
    wide = []
    for name, path in PAGE_TYPES.items():
        pg.goto(server + prefix + path)
        width = pg.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{name}: {width}px")
    context.close()
    assert not wide, wide
