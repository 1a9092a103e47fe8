#!/usr/bin/env python3
"""Date mentions: NewsMill's dates stage vs natasha's DatesExtractor, scored on NEREL DATE gold.

Run through Scripts/eval/dates-eval.sh (it makes the virtualenv). Evaluation only: the articles are
read from shared/data at run time and every generated file goes to --work (outside the repo).

Data: nerel-ru-wikinews, the dev split by default (--split). Each article becomes a .txt member of
an uncompressed tar; NewsMill runs a pipeline of the dates stage alone with the txt headline split
off, so `text` is the article byte for byte and offsets are comparable with the gold's (the script
checks that and says how many texts differ). natasha runs on the same strings.

Scoring is ../shared/tools/ner_score.py --scheme date (bag of mentions, NFC + casefold), run with
--match exact and with --match contain (a word sequence inside the other's counts: the annotators
put prepositions and weekdays inside some mentions and not others), plus offsets (exact and
overlap). NEREL's DATE gold also holds relative and duration expressions ("в пятницу", "через два
дня", "1 год 5 месяцев") that neither tool is meant to find; the last table therefore also gives
recall on the gold mentions that carry a digit or a month name (the absolute ones), by span overlap.
"""
import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from evalcommon import load_nerel, add_common_args, newsmill_extra, prepare, read_utf8, run_newsmill, write_tar

PIPELINE = """version: 1
input:
  txt:
    headline: false
stages:
  - dates:
      year_from_published: false
"""
MONTH = re.compile(r"(январ|феврал|март|апрел|ма[йяею]|июн|июл|август|сентябр|октябр|ноябр|декабр)", re.I)


def load(data_dir, split):
    docs, entities = load_nerel(data_dir, split, lambda e: e["type"] == "DATE")
    return docs, {k: [(e["start"], e["end"], e["text"]) for e in v] for k, v in entities.items()}


def natasha_predict(docs):
    from natasha import DatesExtractor, MorphVocab
    extractor = DatesExtractor(MorphVocab())
    t0 = time.perf_counter()
    preds = {k: [(m.start, m.stop) for m in extractor(text)] for k, text in docs.items()}
    return preds, time.perf_counter() - t0


def write_preds(path, docs, preds):
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, spans in preds.items():
            ents = [{"type": "DATE", "start": s, "end": e, "text": docs[doc_id][s:e]} for s, e in spans]
            f.write(json.dumps({"doc_id": doc_id, "entities": ents}, ensure_ascii=False) + "\n")


def score(scorer, gold_dir, split, preds_path, match, work):
    out = work / f"score-{preds_path.stem}-{match}.json"
    cmd = [sys.executable, str(scorer), str(gold_dir), str(preds_path), "--split", split, "--scheme", "date",
           "--match", match, "--offsets", "on", "--json-out", str(out)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def find_prf(metrics, *path_options):
    """The DATE P/R/F1 in the scorer's JSON, wherever its layout puts them."""
    for path in path_options:
        node = metrics
        try:
            for key in path:
                node = node[key]
        except (KeyError, TypeError):
            continue
        if isinstance(node, dict) and "precision" in node:
            return node
    raise SystemExit(f"dates-eval: unexpected scorer output layout: {list(metrics)}")


def absolute_recall(docs, gold, preds):
    """Recall, by span overlap, on gold mentions with a digit or month name."""
    found = total = 0
    for doc_id, mentions in gold.items():
        spans = preds.get(doc_id, [])
        for s, e, text in mentions:
            if not (re.search(r"\d", text) or MONTH.search(text)):
                continue
            total += 1
            if any(ps < e and s < pe for ps, pe in spans):
                found += 1
    return found, total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(ap, "/work/bench/dates", "shared/data folder (holds nerel-ru-wikinews)")
    ap.add_argument("--split", default="dev")
    args = ap.parse_args()
    newsmill, data_root, work, _ = prepare(args, "dates-eval", "nerel-ru-wikinews")
    gold_dir = data_root / "nerel-ru-wikinews"
    scorer = data_root.parent / "tools" / "ner_score.py"
    if not scorer.is_file():
        sys.exit(f"dates-eval: scorer not found at {scorer}")
    docs, gold = load(gold_dir, args.split)

    tar = work / f"nerel-{args.split}.tar"
    write_tar(tar, [(f"{k}.txt", docs[k].encode("utf-8")) for k in sorted(docs)])
    pipeline = Path(args.pipeline) if args.pipeline else work / "dates.yaml"
    if not args.pipeline:
        pipeline.write_text(PIPELINE, encoding="utf-8")
    out = work / "newsmill-out"
    cmd, wall, records, rejects = run_newsmill(newsmill, tar, out, work, newsmill_extra(str(pipeline), args.jobs), "dates-eval")
    newsmill_preds, differing = {}, 0
    for k, text in docs.items():
        r = records.get(f"{k}.txt")
        if r is None:
            newsmill_preds[k] = []
            continue
        if r["text"] != text.rstrip("\n") and r["text"] != text:
            differing += 1
        newsmill_preds[k] = [(d["start"], d["end"]) for d in r.get("dates") or []]
    natasha_preds, natasha_wall = natasha_predict(docs)

    rows = []
    for name, preds in (("NewsMill", newsmill_preds), ("natasha DatesExtractor", natasha_preds)):
        path = work / f"pred-{name.split()[0].lower()}.jsonl"
        write_preds(path, docs, preds)
        row = {"name": name, "mentions": sum(len(v) for v in preds.values())}
        for match in ("exact", "contain"):
            metrics = score(scorer, gold_dir, args.split, path, match, work)
            row[match] = find_prf(metrics, ("bag", "DATE"), ("bag", "per_type", "DATE"), ("per_type", "DATE"), ("DATE",))
            if match == "exact":
                row["offsets"] = find_prf(metrics, ("offsets", "DATE"), ("offsets", "per_type", "DATE"), ("offset", "DATE"))
        row["absolute"] = absolute_recall(docs, gold, preds)
        rows.append(row)

    n_gold = sum(len(v) for v in gold.values())
    print(f"## Dates on NEREL {args.split}: {len(docs)} articles, {n_gold} gold DATE mentions\n")
    print(f"newsmill: `{' '.join(cmd[1:])}`, {wall:.2f} s; texts differing from the article: {differing}; "
          f"rejects: {len(rejects)}. natasha: {natasha_wall:.2f} s.\n")
    print("| system | mentions | P / R / F1 exact | P / R / F1 contain | P / R / F1 offsets | recall, absolute gold (overlap) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        f = lambda m: f"{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f}"
        found, total = r["absolute"]
        print(f"| {r['name']} | {r['mentions']} | {f(r['exact'])} | {f(r['contain'])} | {f(r['offsets'])} | "
              f"{found / total:.3f} ({found}/{total}) |")


if __name__ == "__main__":
    main()
