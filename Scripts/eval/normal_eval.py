#!/usr/bin/env python3
"""Entity normal forms and in-document groups: NewsMill's entities stage vs natasha 1.6.0.

Run through Scripts/eval/normal-eval.sh (it makes the virtualenv with natasha). Evaluation only:
the articles are read from shared/data at run time and every generated file goes to --work.

For each split (dev and train by default), three ways, each scored by ../shared/tools/normal_score.py:
- gold spans (oracle): newsmill-normaleval normalizes and groups NEREL's own PER/ORG/LOC spans, with
  the words around each span as the stage sees them; natasha normalizes the same spans
  (natasha_normal_baseline.py --oracle-out, with its morphology tagger and syntax parser);
- end to end: NewsMill's entities stage over the articles (a tar of .txt members, the headline
  kept in `text`, so offsets are the gold's); natasha's own pipeline.
Accuracy is reported on exactly matched mentions (acc), and over every gold mention with a gold
form (e2e); grouping as pairwise P/R/F1 of "same entity" within a document.

Cost: the entities stage's CPU seconds (report.json timing) over every NEREL article, --copies
times over, with `normal: false` and with the default (normal forms and groups), best of --repeat,
one job; and peak RSS of the run with the dictionary.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from evalcommon import REPO, add_common_args, load_nerel, prepare, run_newsmill, write_tar

TOOLS = Path(__file__).resolve().parents[3] / "shared" / "tools"


def pipeline(normal):
    return f"""version: 1
input:
  txt:
    headline: false
stages:
  - entities:
      normal: {"true" if normal else "false"}
"""


def score(work, preds, split, oracle, tools):
    out = work / f"score-{preds.stem}.json"
    cmd = [sys.executable, str(tools / "normal_score.py"), "nerel", str(preds), "--split", split, "--json-out", str(out)]
    if oracle:
        cmd.append("--oracle")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def newsmill_preds(records, path):
    with open(path, "w", encoding="utf-8") as f:
        for member, record in records.items():
            mentions = [
                {"start": e["start"], "end": e["end"], "type": e["type"], "normal": e.get("normal", e["text"]),
                 "group": e.get("group")}
                for e in record.get("entities", [])
            ]
            f.write(json.dumps({"doc_id": member[:-4], "mentions": mentions}, ensure_ascii=False) + "\n")


def natasha_run(py, tools, split, work):
    out, oracle, timing = work / f"natasha-{split}.jsonl", work / f"natasha-oracle-{split}.jsonl", work / f"natasha-timing-{split}.json"
    if not out.exists() or not oracle.exists():
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        subprocess.run([py, str(tools / "natasha_normal_baseline.py"), "nerel", "--split", split, "--out", str(out),
                        "--oracle-out", str(oracle), "--syntax", "--timing-json", str(timing)],
                       check=True, stdout=subprocess.DEVNULL, env=env)
    return out, oracle


def row(result, name="exact"):
    """(accuracy on matched mentions per PER/ORG/LOC/ALL, end-to-end accuracy, pairwise P/R/F1), in %."""
    m = result["modes"][name]
    types = m["types"]
    acc = [100 * types[t]["accuracy"] for t in ("PER", "ORG", "LOC", "ALL")]
    g = m.get("grouping", {})
    pairs = tuple(100 * g[k] if k in g else None for k in ("pair_p", "pair_r", "pair_f1"))
    return acc, 100 * types["ALL"]["e2e"], pairs


def fmt(x):
    return "–" if x is None else f"{x:.1f}"


def peak_rss_mb(cmd, cwd):
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return int(m.group(1)) / 1024 if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(ap, "/work/bench/normal-eval", "shared/data (holds nerel-ru-wikinews)")
    ap.add_argument("--splits", default="dev,train")
    ap.add_argument("--copies", type=int, default=2, help="cost run: every article this many times")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-natasha", action="store_true")
    ap.add_argument("--corpus", help="also measure the cost on this input (e.g. a JSONL dump of real-length news), "
                                     "where names repeat across documents as they do in a real corpus")
    args = ap.parse_args()
    newsmill, data, work, _ = prepare(args, "normal-eval", "nerel-ru-wikinews")
    normaleval = Path(newsmill).parent / "newsmill-normaleval"
    tools = Path(args.shared).resolve().parent / "tools" if (Path(args.shared).resolve().parent / "tools").exists() else TOOLS
    nerel = data / "nerel-ru-wikinews"
    models = Path(os.environ.get("NEWSMILL_MODELS", REPO / "models"))
    wheel = next(models.glob("pymorphy2_dicts_ru-*.whl"))
    (work / "p-normal.yaml").write_text(pipeline(True))
    (work / "p-plain.yaml").write_text(pipeline(False))

    print("## Entity normal forms and groups vs NEREL\n")
    print("| split, spans | tool | PER | ORG | LOC | all (matched) | all (end to end) | groups P / R / F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for split in args.splits.split(","):
        gold = work / f"gold-{split}.jsonl"
        subprocess.run([sys.executable, str(tools / "normal_score.py"), "nerel", "--dump-gold", str(gold), "--split", split],
                       check=True, stdout=subprocess.DEVNULL)
        oracle = work / f"newsmill-oracle-{split}.jsonl"
        with open(oracle, "w") as f:
            subprocess.run([str(normaleval), str(gold), str(nerel / "texts"), str(wheel)], check=True, stdout=f)
        docs, _ = load_nerel(nerel, split)
        tar = work / f"{split}.tar"
        write_tar(tar, [(f"{k}.txt", v.encode("utf-8")) for k, v in docs.items()])
        _, _, records, _ = run_newsmill(newsmill, tar, work / f"out-{split}", work, ["--pipeline", str(work / "p-normal.yaml")], "normal-eval")
        e2e = work / f"newsmill-{split}.jsonl"
        newsmill_preds(records, e2e)
        runs = [("gold spans", "NewsMill", score(work, oracle, split, True, tools)),
                ("its own spans", "NewsMill", score(work, e2e, split, False, tools))]
        if not args.no_natasha:
            n_out, n_oracle = natasha_run(sys.executable, tools, split, work)
            runs.insert(1, ("gold spans", "natasha", score(work, n_oracle, split, True, tools)))
            runs.append(("its own spans", "natasha", score(work, n_out, split, False, tools)))
        for spans, tool, result in runs:
            acc, end_to_end, (p, r, f1) = row(result)
            print(f"| {split}, {spans} | {tool} | {fmt(acc[0])} | {fmt(acc[1])} | {fmt(acc[2])} | {fmt(acc[3])} | {fmt(end_to_end)} | {fmt(p)} / {fmt(r)} / {fmt(f1)} |")

    # What normal forms and groups cost against the entities stage.
    docs, _ = load_nerel(nerel, "all")
    texts = list(docs.values()) * args.copies
    speed_tar = work / "speed.tar"
    write_tar(speed_tar, [(f"{i:06d}.txt", t.encode("utf-8")) for i, t in enumerate(texts)])
    cost(newsmill, work, speed_tar, f"{len(texts)} NEREL articles", len(texts), args.repeat)
    if args.corpus:
        (work / "p-normal.yaml").write_text(pipeline(True).replace("input:\n  txt:\n    headline: false\n", ""))
        (work / "p-plain.yaml").write_text(pipeline(False).replace("input:\n  txt:\n    headline: false\n", ""))
        cost(newsmill, work, Path(args.corpus).resolve(), Path(args.corpus).name, None, args.repeat)


def cost(newsmill, work, inputs, label, count, repeat):
    seconds = {}
    for name in ("plain", "normal"):
        best = None
        for _ in range(repeat):
            out = work / f"speed-{name}"
            run_newsmill(newsmill, inputs, out, work, ["--pipeline", str(work / f"p-{name}.yaml"), "--jobs", "1"], "normal-eval")
            report = json.loads((out / "report.json").read_text())
            count = report["documents"]["read"] if count is None else count
            stage = report["timing"]["stages"]["entities"]
            best = stage if best is None else min(best, stage)
        seconds[name] = best
    rss = peak_rss_mb([newsmill, "run", str(inputs), "-o", str(work / "speed-rss"), "-q", "--jobs", "1", "--pipeline", str(work / "p-normal.yaml")], work)
    added = seconds["normal"] - seconds["plain"]
    print(f"\n## Cost: {label} ({count} documents, one job, best of {repeat})\n")
    print("| entities stage | CPU s | documents/s |")
    print("|---|---|---|")
    print(f"| mentions only (`normal: false`) | {seconds['plain']:.2f} | {count / seconds['plain']:.0f} |")
    print(f"| with normal forms and groups | {seconds['normal']:.2f} | {count / seconds['normal']:.0f} |")
    print(f"\nAdded: {added:.2f} s, {100 * added / seconds['plain']:.1f}% of the entities stage, "
          f"{1e6 * added / count:.0f} µs per document. Peak RSS with the dictionary: {rss:.0f} MB.")


if __name__ == "__main__":
    main()
