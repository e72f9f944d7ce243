"""Confidentiality guard: precision and recall per language on the labelled set (issue 15).

Usage (from the project folder):

    .venv/bin/python bench/confidentiality.py            # the table
    .venv/bin/python bench/confidentiality.py --misses   # and every text it gets wrong

A text counts as flagged when core.confidentiality.find returns any match; an identifying
text flagged is a true positive, a harmless one flagged a false positive.
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.confidentiality import find  # noqa: E402

LABELLED = ROOT / "tests" / "core" / "confidentiality_labelled.json"


def evaluate(labelled):
    """{lang: counts and the texts missed or wrongly flagged}, plus "overall"."""
    rows = {}
    total = dict(identifying=0, harmless=0, tp=0, fp=0, fn=0)
    for lang, sets in labelled.items():
        misses = [t for t in sets["identifying"] if not find(t, lang)]
        false_alarms = [(t, find(t, lang)) for t in sets["harmless"] if find(t, lang)]
        row = dict(identifying=len(sets["identifying"]), harmless=len(sets["harmless"]),
                   tp=len(sets["identifying"]) - len(misses), fp=len(false_alarms),
                   fn=len(misses))
        for key in total:
            total[key] += row[key]
        rows[lang] = dict(row, misses=misses, false_alarms=false_alarms)
    rows["overall"] = dict(total, misses=[], false_alarms=[])
    return rows


def precision(row):
    flagged = row["tp"] + row["fp"]
    return row["tp"] / flagged if flagged else 1.0


def recall(row):
    return row["tp"] / row["identifying"] if row["identifying"] else 1.0


def table(rows):
    """The per-language table as text."""
    lines = [f"{'lang':8} {'ident':>5} {'harml':>5} {'TP':>4} {'FP':>4} {'FN':>4} "
             f"{'precision':>9} {'recall':>6}"]
    for lang, row in rows.items():
        lines.append(f"{lang:8} {row['identifying']:5} {row['harmless']:5} {row['tp']:4} "
                     f"{row['fp']:4} {row['fn']:4} {precision(row):9.3f} {recall(row):6.3f}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the texts it gets wrong")
    parser.add_argument("--file", default=str(LABELLED), help="labelled set (JSON)")
    args = parser.parse_args()
    rows = evaluate(json.loads(Path(args.file).read_text(encoding="utf-8")))
    print(table(rows))
    if args.misses:
        for lang, row in rows.items():
            for text in row["misses"]:
                print(f"MISS {lang}: {text}")
            for text, matches in row["false_alarms"]:
                print(f"FP   {lang}: {text}\n     {[(m.kind, m.text) for m in matches]}")


if __name__ == "__main__":
    main()
