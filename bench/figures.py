"""Evaluation figures for every framework's test split, as Markdown (for docs/model-card.md).

    python bench/figures.py > /tmp/figures.md
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from stratlens.classify.evaluate import evaluate  # noqa: E402
from stratlens.classify.gold import default_gold_dir, gold_files, read_gold  # noqa: E402
from stratlens.classify.scorer import Classifier  # noqa: E402
from stratlens.frameworks import LGA_ID, load_framework  # noqa: E402

FRAMEWORKS = [LGA_ID, "wales-council-strategy-topics", "welsh-gov-vs-councils", "wlga-digital-strategy-2021",
              "blackwell-2016", "good-digital-strategy"]


def table(m: dict) -> str:
    top1 = {r["theme"]: r for r in m["top1"]["themes"]}
    lines = ["| theme | precision | recall | F1 | support | top-1 F1 |", "|---|---:|---:|---:|---:|---:|"]
    for r in m["themes"]:
        lines.append(f"| {r['theme']} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | {r['support']} | "
                     f"{top1[r['theme']]['f1']:.2f} |")
    lines.append(f"| **macro** | {m['macro']['precision']:.2f} | {m['macro']['recall']:.2f} | {m['macro']['f1']:.2f} "
                 f"| {m['passages']} | {m['top1']['macro_f1']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    gold = default_gold_dir()
    summary = ["| framework | test passages | top-1 macro-F1 | top-1 accuracy | multi-label macro-F1 | micro-F1 |",
               "|---|---:|---:|---:|---:|---:|"]
    details = []
    for fid in FRAMEWORKS:
        fw = load_framework(fid)
        items = [it for f in gold_files(gold, fid, "test") if "welsh" not in f.name for it in read_gold(f) if it.labels]
        m = evaluate(Classifier(fw), items)
        summary.append(f"| {fid} | {m['passages']} | {m['top1']['macro_f1']:.3f} | {m['top1']['accuracy']:.3f} | "
                       f"{m['macro']['f1']:.3f} | {m['micro']['f1']:.3f} |")
        details.append(f"### {fid}\n\n{table(m)}\n")
        welsh = [f for f in gold_files(gold, fid, "test") if "welsh" in f.name]
        if welsh:
            for field, label in (("text", "Welsh"), ("en_text", "English originals of the same passages")):
                items = [it for f in welsh for it in read_gold(f, text_field=field)]
                if field == "text":
                    for it in items:
                        it.lang = "cy"
                mw = evaluate(Classifier(fw), items)
                summary.append(f"| {fid} ({label}) | {mw['passages']} | {mw['top1']['macro_f1']:.3f} | "
                               f"{mw['top1']['accuracy']:.3f} | {mw['macro']['f1']:.3f} | {mw['micro']['f1']:.3f} |")
    print("\n".join(summary))
    print()
    print("\n".join(details))


if __name__ == "__main__":
    main()
