"""Tables as data: one object renders as a GOV.UK table, a CSV download and JSON.

Every table a page shows is built as a `Table`, so "every table is downloadable" holds by
construction: the CSV and the API give exactly the rows the reader sees.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = False
    #: Whether the cell links somewhere (the URL is in the row's `_links` under the same key).
    link: bool = False


@dataclass
class Table:
    """Rows are plain dicts of raw values. Keys starting with '_' are presentation only and never
    leave as data: `_display` (text shown instead of a raw value, e.g. 'Yes' for True), `_links`
    (URL per column key), `_quote` / `_quotes` (an evidence quote with its language and link), `_langs` (a cell's
    language where it differs from the page's, e.g. text that exists in English only)."""

    id: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: Shown instead of an empty table.
    empty: str = ""

    def keys(self) -> list[str]:
        """The data fields: the shown columns first, then ids and raw values the rows carry."""
        keys = [c.key for c in self.columns]
        for r in self.rows:
            keys += [k for k in r if not k.startswith("_") and k not in keys]
        return keys

    def records(self) -> list[dict[str, Any]]:
        """Rows without presentation keys, for JSON."""
        keys = self.keys()
        return [{k: r.get(k) for k in keys} for r in self.rows]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "caption": self.caption, "columns": self.keys(), "rows": self.records()}

    def to_csv(self) -> str:
        """Header of field names, then the raw values; cells that a spreadsheet would run as a
        formula are prefixed with an apostrophe."""
        buf = io.StringIO()
        w = csv.writer(buf)
        keys = self.keys()
        w.writerow(keys)
        for r in self.rows:
            w.writerow([_csv_cell(r.get(k)) for k in keys])
        return buf.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
