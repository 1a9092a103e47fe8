#!/usr/bin/env python3
"""Peer figure for the entities stage: natasha's NER (slovnet's news NER model, the one NewsMill runs
in Swift) over the same texts, articles per second on one core. Not needed to run NewsMill.

    python3 Benchmarks/natasha-ner.py CORPUS/jsonl/shard-00000.jsonl.gz [N_DOCS=2000]

Needs a virtualenv with natasha 1.6 (pip install natasha). numpy is held to one thread, so the figure
is per core. Prints documents, spans, CPU seconds (tagging only, after loading) and articles/s.
"""
import argparse, gzip, json, os, time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

from natasha import NewsEmbedding, NewsNERTagger  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("jsonl")
parser.add_argument("n_docs", nargs="?", type=int, default=2000)
args = parser.parse_args()

opener = gzip.open if args.jsonl.endswith(".gz") else open
texts = []
with opener(args.jsonl, "rt", encoding="utf-8") as f:
    for line in f:
        texts.append(json.loads(line)["text"])
        if len(texts) == args.n_docs:
            break

tagger = NewsNERTagger(NewsEmbedding())
tagger(texts[0])  # first call pays numpy's and the model's warm-up
started = time.process_time()
results = [tagger(text) for text in texts]
seconds = time.process_time() - started

spans = sum(len(r.spans) for r in results)
print(f"natasha NewsNERTagger: {len(texts)} documents, {spans} spans, "
      f"{seconds:.2f} CPU s, {len(texts) / seconds:.1f} articles/s per core")
