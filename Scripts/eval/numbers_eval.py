#!/usr/bin/env python3
"""Figures: NewsMill's numbers stage scored on NEREL NUMBER, MONEY, PERCENT and ORDINAL gold.

Run through Scripts/eval/numbers-eval.sh. Evaluation only: the articles are read from shared/data
at run time and every generated file goes to --work (outside the repo).

Data: nerel-ru-wikinews, the dev split by default (--split). Each article becomes a .txt member of
an uncompressed tar; NewsMill runs a pipeline of the numbers stage alone (--dates: dates, then
numbers) with the txt headline split off, so `text` is the article byte for byte and offsets are
comparable with the gold's (the script checks that and says how many texts differ).

Scoring is by span overlap, per kind (cardinal ~ NUMBER, money ~ MONEY, percent ~ PERCENT,
ordinal ~ ORDINAL: a prediction is right when it overlaps a gold mention of its kind, a gold
mention is found when a prediction of its kind overlaps it) and for all four together, kind
ignored. The spans differ by design: NewsMill takes in the unit or counted noun ("16 человек"),
NEREL often not, and NEREL puts "более", "около" inside. Wrong predictions are also counted by
the gold mention they overlap instead (AGE "39 лет", DATE, TIME, a name…), and the most frequent
wrong and missed texts are listed (--top).
"""
import argparse
import collections
import json
from pathlib import Path

from evalcommon import load_nerel, add_common_args, newsmill_extra, prepare, read_utf8, run_newsmill, write_tar

KINDS = {"cardinal": "NUMBER", "money": "MONEY", "percent": "PERCENT", "ordinal": "ORDINAL"}
PIPELINE = """version: 1
input:
  txt:
    headline: false
stages:
{stages}"""


def load(data_dir, split):
    docs, entities = load_nerel(data_dir, split, lambda e: "fragments" not in e)
    return docs, {k: [(e["start"], e["end"], e["type"], e["text"]) for e in v] for k, v in entities.items()}


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def score(docs, gold, preds, top):
    per = {t: collections.Counter() for t in list(KINDS.values()) + ["all"]}
    wrong_by_gold = collections.Counter()
    wrong_texts, missed_texts = collections.Counter(), collections.Counter()
    for doc_id, mentions in preds.items():
        numeric = [g for g in gold[doc_id] if g[2] in per]
        for p in mentions:
            t = KINDS[p["kind"]]
            span = (p["start"], p["end"])
            per[t]["pred"] += 1
            per["all"]["pred"] += 1
            same = any(overlaps(span, g) and g[2] == t for g in numeric)
            per[t]["pred_ok"] += same
            any_kind = any(overlaps(span, g) for g in numeric)
            per["all"]["pred_ok"] += any_kind
            if not any_kind:
                other = sorted({g[2] for g in gold[doc_id] if overlaps(span, g)})
                wrong_by_gold[other[0] if other else "(none)"] += 1
                wrong_texts[f"{p['text']} ({p['kind']})"] += 1
        for g in numeric:
            spans = [(p["start"], p["end"], KINDS[p["kind"]]) for p in mentions]
            per[g[2]]["gold"] += 1
            per["all"]["gold"] += 1
            per[g[2]]["gold_ok"] += any(overlaps(s, g) and s[2] == g[2] for s in spans)
            found = any(overlaps(s, g) for s in spans)
            per["all"]["gold_ok"] += found
            if not found:
                missed_texts[f"{g[3]} ({g[2]})"] += 1
    return per, wrong_by_gold, wrong_texts.most_common(top), missed_texts.most_common(top)


def prf(c):
    p = c["pred_ok"] / c["pred"] if c["pred"] else 0.0
    r = c["gold_ok"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(ap, "/work/bench/numbers", "shared/data folder (holds nerel-ru-wikinews)")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--dates", action="store_true", help="run the dates stage before numbers")
    ap.add_argument("--top", type=int, default=15, help="most frequent wrong and missed texts to list")
    args = ap.parse_args()
    newsmill, data_root, work, _ = prepare(args, "numbers-eval", "nerel-ru-wikinews")
    docs, gold = load(data_root / "nerel-ru-wikinews", args.split)

    tar = work / f"nerel-{args.split}.tar"
    write_tar(tar, [(f"{k}.txt", docs[k].encode("utf-8")) for k in sorted(docs)])
    pipeline = Path(args.pipeline) if args.pipeline else work / "numbers.yaml"
    if not args.pipeline:
        stages = ("  - dates:\n      year_from_published: false\n" if args.dates else "") + "  - numbers\n"
        pipeline.write_text(PIPELINE.format(stages=stages), encoding="utf-8")
    out = work / "newsmill-out"
    cmd, wall, records, rejects = run_newsmill(newsmill, tar, out, work, newsmill_extra(str(pipeline), args.jobs), "numbers-eval")
    preds, differing = {}, 0
    for k, text in docs.items():
        r = records.get(f"{k}.txt")
        if r is None:
            preds[k] = []
            continue
        if r["text"] != text.rstrip("\n") and r["text"] != text:
            differing += 1
        preds[k] = r.get("numbers") or []

    per, wrong_by_gold, wrong, missed = score(docs, gold, preds, args.top)
    print(f"## Figures on NEREL {args.split}: {len(docs)} articles\n")
    print(f"newsmill: `{' '.join(cmd[1:])}`, {wall:.2f} s; texts differing from the article: {differing}; "
          f"rejects: {len(rejects)}.\n")
    print("| gold type (NewsMill kind) | gold | predicted | precision | recall | F1 |")
    print("|---|---|---|---|---|---|")
    names = {v: k for k, v in KINDS.items()}
    for t, c in per.items():
        p, r, f = prf(c)
        label = f"{t} ({names[t]})" if t in names else "all four, kind ignored"
        print(f"| {label} | {c['gold']} | {c['pred']} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print("\nWrong predictions (overlapping no numeric gold), by the gold they overlap instead: "
          + ", ".join(f"{k} {v}" for k, v in wrong_by_gold.most_common()) + ".")
    figures_elsewhere = sum(wrong_by_gold[t] for t in ("AGE", "DATE", "TIME"))
    c = per["all"]
    print(f"Counting the figures NEREL files under AGE, DATE or TIME (\"85 лет\", \"два года\", \"12 часов\") as right, "
          f"precision (kind ignored) is {(c['pred_ok'] + figures_elsewhere) / max(c['pred'], 1):.3f}.\n")
    if args.top:
        print("| most frequent wrong | most frequent missed |")
        print("|---|---|")
        for n in range(max(len(wrong), len(missed))):
            a = f"{wrong[n][0]} ×{wrong[n][1]}" if n < len(wrong) else ""
            b = f"{missed[n][0]} ×{missed[n][1]}" if n < len(missed) else ""
            print(f"| {a} | {b} |")


if __name__ == "__main__":
    main()
