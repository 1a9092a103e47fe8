#!/usr/bin/env python3
"""Named entities: NewsMill's entities stage vs natasha 1.6.0 (slovnet NER), quality and speed.

Run through Scripts/eval/ner-eval.sh (it makes the virtualenv with natasha). Evaluation only: the
articles are read from shared/data at run time and every generated file goes to --work.

Quality: NEREL (nerel-ru-wikinews), the dev split by default. Each article becomes a .txt member
of an uncompressed tar; NewsMill runs a pipeline of the entities stage alone with the txt headline
kept in `text`, so `text` is the article byte for byte and offsets are the gold's (checked). natasha
runs NewsNERTagger on the same strings, one article a call, as its users call it. Both prediction
files are scored by ../shared/tools/ner_score.py: bag of mentions (the spec'd figure) and exact
(type, start, end) offsets.

Speed: the same articles (by default all 840 of train + dev, --speed-copies times over), one core
each, back to back on the same machine:
- natasha: NewsNERTagger per article, BLAS limited to one thread; articles/s and KB/s of UTF-8.
- NewsMill: the entities stage's own CPU seconds (report.json timing.stages) with --jobs 1, and
  the wall time and peak RSS of whole runs with --jobs 1 and --jobs 2 (model load included), best
  of --repeat: a pipeline of the entities stage alone, and Pipelines/default.yaml (every stage and
  extractor: text layer, entities, quotes, numbers, dedup), as a share of the former.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from evalcommon import load_nerel, add_common_args, prepare, read_utf8, run_newsmill, write_tar

PIPELINE = """version: 1
input:
  txt:
    headline: false
stages:
  - entities
"""


def load(data_dir, split):
    return load_nerel(data_dir, split)[0]


def write_preds(path, preds):
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, ents in preds.items():
            f.write(json.dumps({"doc_id": doc_id, "entities": ents}, ensure_ascii=False) + "\n")


def score(scorer, gold_dir, split, preds_path, work):
    out = work / f"score-{preds_path.stem}.json"
    cmd = [sys.executable, str(scorer), str(gold_dir), str(preds_path), "--split", split,
           "--offsets", "on", "--json-out", str(out)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def prf(block):
    """(P, R, F1) from one of the scorer's metric blocks, whatever its key names."""
    def pick(*names):
        for n in names:
            if n in block:
                return block[n]
        raise KeyError(names)
    return pick("precision", "p"), pick("recall", "r"), pick("f1", "f")


def table_rows(metrics):
    """{section: {type: (P, R, F1)}} for the bag and the offset scores."""
    rows = {}
    for section, value in metrics.items():
        if not isinstance(value, dict):
            continue
        types = {}
        for key, block in value.items():
            if isinstance(block, dict):
                try:
                    types[key] = prf(block)
                except KeyError:
                    pass
        if types:
            rows[section] = types
    return rows


def natasha_tagger():
    from natasha import NewsEmbedding, NewsNERTagger
    return NewsNERTagger(NewsEmbedding())


def natasha_predict(tagger, docs):
    preds = {}
    for doc_id, text in docs.items():
        markup = tagger(text)
        preds[doc_id] = [{"type": s.type, "start": s.start, "end": s.stop, "text": text[s.start:s.stop]} for s in markup.spans]
    return preds


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(ap, "/work/bench/ner", "shared/data (holds nerel-ru-wikinews)")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--speed-split", default="all", help="articles timed for speed (default all: train + dev)")
    ap.add_argument("--speed-copies", type=int, default=2, help="the speed set is this many copies of those articles")
    ap.add_argument("--repeat", type=int, default=3, help="NewsMill speed runs per setting (best is reported)")
    ap.add_argument("--no-natasha", action="store_true", help="skip natasha (quality and speed)")
    ap.add_argument("--no-speed", action="store_true", help="quality only")
    ap.add_argument("--headline", action="store_true",
                    help="read each article's first line as its title (input.txt.headline: true), as a user with such "
                         "articles would; title_entities are mapped back to article offsets, and the table also shows "
                         "what is found without them")
    args = ap.parse_args()
    newsmill, data, work, extra = prepare(args, "ner-eval", "nerel-ru-wikinews", fresh=True)
    gold_dir = data / "nerel-ru-wikinews"
    scorer = Path(__file__).resolve().parents[3] / "shared" / "tools" / "ner_score.py"
    if not scorer.exists():
        scorer = data.parent / "tools" / "ner_score.py"
    pipeline = work / "entities.yaml"
    pipeline.write_text(PIPELINE.replace("headline: false", "headline: true") if args.headline else PIPELINE, encoding="utf-8")
    pipeline_args = ["--pipeline", str(pipeline)] + [a for a in extra if a != "--pipeline"]

    # Quality.
    docs = load(gold_dir, args.split)
    tar = work / f"nerel-{args.split}.tar"
    write_tar(tar, [(f"{k}.txt", v.encode("utf-8")) for k, v in docs.items()])
    _, _, records, rejects = run_newsmill(newsmill, tar, work / "out", work, pipeline_args, "ner-eval")
    differ = 0
    ours = {}
    text_only = {}
    for doc_id, text in docs.items():
        r = records.get(f"{doc_id}.txt")
        if r is None:
            sys.exit(f"ner-eval: {doc_id} missing from NewsMill's output (reject: {rejects.get(doc_id + '.txt')})")
        shift = 0
        if args.headline:
            # The text is what follows the headline line; its mentions move by where it starts.
            shift = text.find(r["text"]) if r["text"] else 0
            if shift < 0 or not text.startswith(r.get("title") or ""):
                differ += 1
                shift = 0
        elif r["text"] != text:
            differ += 1
        ours[doc_id] = [{"type": e["type"], "start": e["start"] + shift, "end": e["end"] + shift, "text": e["text"]}
                        for e in r.get("entities", [])]
        if args.headline:
            text_only[doc_id] = list(ours[doc_id])
            ours[doc_id] = [{"type": e["type"], "start": e["start"], "end": e["end"], "text": e["text"]}
                            for e in r.get("title_entities", [])] + ours[doc_id]
    write_preds(work / "pred-newsmill.jsonl", ours)
    systems = [("NewsMill entities", score(scorer, gold_dir, args.split, work / "pred-newsmill.jsonl", work))]
    if args.headline:
        write_preds(work / "pred-newsmill-text-only.jsonl", text_only)
        systems.append(("NewsMill, without title_entities", score(scorer, gold_dir, args.split, work / "pred-newsmill-text-only.jsonl", work)))
    tagger = None
    if not args.no_natasha:
        tagger = natasha_tagger()
        theirs = natasha_predict(tagger, docs)
        write_preds(work / "pred-natasha.jsonl", theirs)
        systems.append(("natasha 1.6.0 NewsNERTagger", score(scorer, gold_dir, args.split, work / "pred-natasha.jsonl", work)))
        same = sum(1 for k in docs if sorted((e["type"], e["start"], e["end"]) for e in ours[k]) ==
                   sorted((e["type"], e["start"], e["end"]) for e in theirs[k]))
        print(f"documents where NewsMill's entities equal natasha's exactly: {same}/{len(docs)}")
    print(f"NEREL {args.split}: {len(docs)} articles; NewsMill texts differing from the article: {differ}\n")
    print("| system | scoring | PER P/R/F1 | ORG P/R/F1 | LOC P/R/F1 | all P/R/F1 |")
    print("|---|---|---|---|---|---|")
    for name, metrics in systems:
        for section, types in table_rows(metrics).items():
            def cell(t):
                v = types.get(t) or types.get(t.lower())
                return "/".join(f"{x:.3f}" for x in v) if v else "–"
            print(f"| {name} | {section} | {cell('PER')} | {cell('ORG')} | {cell('LOC')} | {cell('ALL') if ('ALL' in types or 'all' in types) else cell('micro')} |")

    if args.no_speed:
        return
    # Speed.
    speed_docs = list(load(gold_dir, args.speed_split).values()) * args.speed_copies
    kb = sum(len(t.encode("utf-8")) for t in speed_docs) / 1000
    speed_tar = work / "speed.tar"
    write_tar(speed_tar, [(f"{i:06d}.txt", t.encode("utf-8")) for i, t in enumerate(speed_docs)])
    print(f"\nspeed set: {len(speed_docs)} articles, {kb / 1000:.1f} MB of UTF-8")
    print("| system | setting | articles/s | KB/s |")
    print("|---|---|---|---|")
    if tagger is not None:
        t0 = time.process_time()
        for text in speed_docs:
            tagger(text)
        cpu = time.process_time() - t0
        print(f"| natasha NewsNERTagger | one core, CPU time | {len(speed_docs) / cpu:.1f} | {kb / cpu:.0f} |")
    one_tar = work / "one.tar"
    write_tar(one_tar, [("one.txt", speed_docs[0].encode("utf-8"))])
    startup = min(timed_run(newsmill, one_tar, work / "one-out", pipeline, 1)[0] for _ in range(args.repeat))
    print(f"(a run over one article, i.e. start-up and model load: {startup:.3f} s)")
    default_pipeline = Path(__file__).resolve().parents[2] / "Pipelines" / "default.yaml"
    entity_rate, entity_wall = {}, {}
    for label, config in (("entities only", pipeline), ("default: every stage and extractor", default_pipeline)):
        for jobs in (1, 2):
            best_wall, best_stage, peak = None, None, 0
            for _ in range(args.repeat):
                wall, report, rss = timed_run(newsmill, speed_tar, work / f"speed-out-{jobs}", config, jobs)
                stage = report["timing"]["stages"]["entities"]
                best_wall = wall if best_wall is None else min(best_wall, wall)
                best_stage = stage if best_stage is None else min(best_stage, stage)
                peak = max(peak, rss)
            if jobs == 1 and config == pipeline:
                print(f"| NewsMill entities stage | one worker, stage CPU time | {len(speed_docs) / best_stage:.1f} | {kb / best_stage:.0f} |")
            rate = len(speed_docs) / best_wall
            note = ""
            if config == pipeline:
                entity_rate[jobs] = rate
                entity_wall[jobs] = best_wall
                if jobs == 2:
                    steady = (entity_wall[1] - startup) / (entity_wall[2] - startup)
                    note = f" ({rate / entity_rate[1]:.2f}x one worker; {steady:.2f}x without the start-up)"
            else:
                note = f" ({100 * rate / entity_rate[jobs]:.0f}% of entities only)"
            print(f"| NewsMill run, {label} | --jobs {jobs}, wall time incl. model load; peak RSS {peak / 1024:.0f} MB | {rate:.1f}{note} | {kb / best_wall:.0f} |")


def timed_run(newsmill, tar, out, pipeline, jobs):
    """One `newsmill run`: wall seconds, its report.json and its peak RSS in KB."""
    cmd = [newsmill, "run", str(tar), "-o", str(out), "-q", "--pipeline", str(pipeline), "--jobs", str(jobs)]
    # GNU time reports the binary's own peak RSS (a forked Python child would count the parent's).
    rss_file = out.parent / f"{out.name}.rss"
    t0 = time.perf_counter()
    code = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] + cmd, stdout=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - t0
    if code not in (0, 3):
        sys.exit(f"ner-eval: {' '.join(map(str, cmd))} exited {code}")
    return wall, json.loads((out / "report.json").read_text(encoding="utf-8")), int(rss_file.read_text().split()[-1])

if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    main()
