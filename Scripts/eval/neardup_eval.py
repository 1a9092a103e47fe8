#!/usr/bin/env python3
"""Near-duplicate clustering: NewsMill's near_dedup vs datasketch MinHashLSH, on a labelled set.

Run through Scripts/eval/neardup-eval.sh (it makes the virtualenv). Evaluation only: the set is
generated from shared/data at run time into --work (outside the repo).

1. ../shared/tools/make_neardup.py writes OUT/corpus/<id>.txt and OUT/truth.jsonl (labels: exact
   word-5-gram Jaccard; gold clusters = connected components of pairs with J >= 0.8).
2. NewsMill runs over the folder with a pipeline of normalize, exact_dedup and near_dedup
   (headline split off, so the text is the whole file). Its clusters are the closure over each
   record's `dedup.cluster` and `dedup.merges`, the way an analytics user reads them.
3. The same set in two runs sharing a --state folder (first half of the files, then the second
   half) must give the same clusters as one run (skipped with --no-state).
4. datasketch MinHashLSH (128 permutations, threshold 0.8) on the same normalized word 5-gram
   shingles: each document is joined with every LSH match already inserted, unverified, as its
   users do; clusters are the connected components. It is handed every text correctly decoded (the
   truth file names each file's encoding), so its figures do not suffer from charsets.
All are scored with ../shared/tools/dedup_score.py; wall times are printed.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from evalcommon import add_common_args, prepare

PIPELINE = """version: 1
input:
  txt: {headline: false}
stages:
  - normalize
  - exact_dedup
  - near_dedup: {threshold: %s}
"""


def run(cmd, **kw):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode not in (0, 3):
        sys.stderr.write(p.stdout[-3000:] + p.stderr[-3000:])
        sys.exit(f"neardup-eval: failed ({p.returncode}): {' '.join(map(str, cmd))}")
    return time.perf_counter() - t0, p


class UnionFind:
    """find(x) gives x's set label; join(a, b) merges a's set into b's."""

    def __init__(self):
        self.parent = {}

    def __call__(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a, b):
        self.parent[self(a)] = self(b)


def newsmill_clusters(outs):
    """{file id: final cluster label} over the records of one or more runs, in order."""
    records = []
    for out in outs:
        for part in sorted(Path(out).glob("part-*.jsonl")):
            with open(part, encoding="utf-8") as f:
                records += [json.loads(line) for line in f if line.strip()]
    find = UnionFind()

    for r in records:
        for merged in r["dedup"].get("merges", []):
            find.join(merged, r["dedup"]["cluster"])
    return {Path(r["source"]["member"]).stem: find(r["dedup"]["cluster"]) for r in records}


def write_pred(path, clusters):
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, label in sorted(clusters.items()):
            f.write(json.dumps({"id": doc_id, "cluster": label}) + "\n")


def score(scorer, truth, pred, threshold, out):
    _, p = run([sys.executable, str(scorer), str(truth), str(pred), "--threshold", str(threshold), "--json-out", str(out)])
    return json.loads(Path(out).read_text(encoding="utf-8")), p.stdout


def datasketch_run(corpus, truth, tools_dir, threshold):
    sys.path.insert(0, str(tools_dir))
    from datasketch import MinHash, MinHashLSH
    from neardup_common import norm_words, shingle_set
    encodings = {}
    with open(truth, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            if t.get("kind") == "doc":
                encodings[t["id"]] = t.get("encoding", "utf-8")
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    find = UnionFind()

    for path in sorted(Path(corpus).glob("*.txt")):
        text = path.read_bytes().decode(encodings.get(path.stem, "utf-8"), errors="replace")
        m = MinHash(num_perm=128)
        for s in shingle_set(norm_words(text)):
            m.update(s.encode("utf-8"))
        for hit in lsh.query(m):
            find.join(hit, path.stem)
        lsh.insert(path.stem, m)
    seconds = time.perf_counter() - t0
    return seconds, {p.stem: find(p.stem) for p in sorted(Path(corpus).glob("*.txt"))}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(ap, "/work/bench/neardup-eval", "shared/data folder (holds nerel-ru-wikinews)")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--n-exact", type=int, default=700)
    ap.add_argument("--n-near", type=int, default=2460)
    ap.add_argument("--seed", default="20240601")
    ap.add_argument("--no-state", action="store_true", help="skip the two-run check with --state")
    ap.add_argument("--no-peer", action="store_true", help="skip datasketch")
    args = ap.parse_args()
    newsmill, data, work, _ = prepare(args, "neardup-eval", "nerel-ru-wikinews", fresh=True)
    tools = data.parent / "tools"

    gen_s, _ = run([sys.executable, str(tools / "make_neardup.py"), "--out", str(work / "set"), "--seed", args.seed,
                    "--n-exact", str(args.n_exact), "--n-near", str(args.n_near), "--no-jsonl"])
    corpus, truth = work / "set" / "corpus", work / "set" / "truth.jsonl"
    files = sorted(corpus.glob("*.txt"))
    pipeline = work / "near.yaml"
    pipeline.write_text(PIPELINE % args.threshold, encoding="utf-8")
    extra = ["--pipeline", str(pipeline)] + (["--jobs", str(args.jobs)] if args.jobs else [])

    rows = []
    wall, _ = run([newsmill, "run", str(corpus), "-o", str(work / "one"), "-q"] + extra)
    write_pred(work / "pred-newsmill.jsonl", newsmill_clusters([work / "one"]))
    metrics, text = score(tools / "dedup_score.py", truth, work / "pred-newsmill.jsonl", args.threshold, work / "score-newsmill.json")
    rows.append(("NewsMill near_dedup (one run)", wall, metrics))
    print(text)

    split_note = ""
    if not args.no_state:
        halves = [files[: len(files) // 2], files[len(files) // 2:]]
        outs, total = [], 0.0
        for k, half in enumerate(halves):
            folder = work / f"half{k}"
            folder.mkdir()
            for f in half:
                os.symlink(f, folder / f.name)
            seconds, _ = run([newsmill, "run", str(folder), "-o", str(work / f"out-half{k}"), "-q", "--state", str(work / "state")] + extra)
            outs.append(work / f"out-half{k}")
            total += seconds
        one, two = newsmill_clusters([work / "one"]), newsmill_clusters(outs)
        canon = lambda c: sorted(sorted(k for k, v in c.items() if v == label) for label in set(c.values()))
        same = canon(one) == canon(two)
        write_pred(work / "pred-newsmill-2runs.jsonl", two)
        metrics2, _ = score(tools / "dedup_score.py", truth, work / "pred-newsmill-2runs.jsonl", args.threshold, work / "score-2runs.json")
        rows.append(("NewsMill, two runs with --state", total, metrics2))
        split_note = f"two runs with a state folder give {'the same' if same else 'DIFFERENT'} clusters as one run"

    if not args.no_peer:
        seconds, clusters = datasketch_run(corpus, truth, tools, args.threshold)
        write_pred(work / "pred-datasketch.jsonl", clusters)
        metrics3, _ = score(tools / "dedup_score.py", truth, work / "pred-datasketch.jsonl", args.threshold, work / "score-datasketch.json")
        rows.append(("datasketch MinHashLSH, 128 perm", seconds, metrics3))

    print(f"## Near duplicates: {len(files)} documents (make_neardup.py seed {args.seed}, {gen_s:.1f} s to generate), threshold {args.threshold}\n")
    if split_note:
        print(split_note + "\n")
    print("| system | wall s | pairs_cluster P / R | pairs_direct P / R | ARI |")
    print("|---|---|---|---|---|")
    for name, seconds, m in rows:
        pc, pd = m["pairs_cluster"], m["pairs_direct"]
        print(f"| {name} | {seconds:.2f} | {pc['precision']:.4f} / {pc['recall']:.4f} | {pd['precision']:.4f} / {pd['recall']:.4f} | {m['ari']:.4f} |")


if __name__ == "__main__":
    main()
