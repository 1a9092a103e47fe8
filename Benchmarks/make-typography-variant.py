#!/usr/bin/env python3
"""Typography-heavy variant of a benchmark corpus, for profiling normalize on the marks real news
pages carry, not only on clean text.

    Benchmarks/make-typography-variant.py CORPUS OUTDIR [SEED]

Reads CORPUS/tar/*.tar.gz (made by make-corpus.sh or make_bench_corpus.py) and writes OUTDIR/tar/
with the same members, each paragraph changed at random: «» become "…" (35%), “…” (20%) or „…“
(7%); " — " becomes " - " (35%) or " – " (20%), a dialogue "— " "- " (half); NBSP after one-letter
words and before dashes (half the paragraphs); double spaces, a trailing space, a leading tab; and
now and then &nbsp; / &quot;, a soft hyphen, a zero-width space. A tenth of the documents get CRLF
line ends and a twentieth a blank line of spaces. Deterministic for a seed; also writes
OUTDIR/meta.json (n_docs, text_bytes) for run-bench.sh. OUTDIR must be outside the repository.
"""
import gzip
import io
import json
import os
import random
import re
import sys
import tarfile


def paragraph(p, r):
    q = r.random()
    if q < 0.35:
        p = p.replace("«", '"').replace("»", '"')
    elif q < 0.55:
        p = p.replace("«", "“").replace("»", "”")
    elif q < 0.62:
        p = p.replace("«", "„").replace("»", "“")
    d = r.random()
    if d < 0.35:
        p = p.replace(" — ", " - ")
    elif d < 0.55:
        p = p.replace(" — ", " – ")
    if p.startswith("— ") and r.random() < 0.5:
        p = "- " + p[2:]
    if r.random() < 0.5:
        p = re.sub(r"(?<= )([вкосиуаВКОСИУА]) ", lambda m: m.group(1) + ("\u00a0" if r.random() < 0.6 else " "), p)
        p = p.replace(" —", "\u00a0—") if r.random() < 0.5 else p
    if r.random() < 0.15:
        p = re.sub(r" ", lambda m: "  " if r.random() < 0.05 else " ", p)
    if r.random() < 0.1:
        p = p + " "
    if r.random() < 0.05:
        p = "\t" + p
    if r.random() < 0.02:
        p = p.replace(" ", "\u00a0", 3)
    if r.random() < 0.01:
        p = p.replace("\u00a0", "&nbsp;", 1).replace('"', "&quot;", 2)
    if r.random() < 0.01:
        words = p.split(" ")
        if len(words) > 3 and len(words[2]) > 6:
            words[2] = words[2][:3] + "\u00ad" + words[2][3:]
            p = " ".join(words)
    if r.random() < 0.005:
        p = p.replace(" ", "\u200b ", 1)
    return p


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(2 if len(sys.argv) < 3 else 0)
    src, out = os.path.join(sys.argv[1], "tar"), sys.argv[2]
    seed = sys.argv[3] if len(sys.argv) > 3 else "typo-1"
    os.makedirs(os.path.join(out, "tar"), exist_ok=True)
    docs = total = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".tar.gz"):
            continue
        r = random.Random(f"{seed}-{name}")
        buf = io.BytesIO()
        with tarfile.open(os.path.join(src, name), "r:gz") as tin, tarfile.open(
            fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT
        ) as tout:
            for member in tin:
                lines = tin.extractfile(member).read().decode("utf-8").split("\n")
                lines = [paragraph(line, r) if line else line for line in lines]
                sep = "\r\n" if r.random() < 0.1 else "\n"
                if r.random() < 0.05:
                    lines.insert(min(len(lines), 2), "   ")
                data = sep.join(lines).encode("utf-8")
                docs += 1
                total += len(data)
                info = tarfile.TarInfo(member.name)
                info.size, info.mtime, info.mode = len(data), 0, 0o644
                tout.addfile(info, io.BytesIO(data))
        with open(os.path.join(out, "tar", name), "wb") as f, gzip.GzipFile(
            fileobj=f, mode="wb", mtime=0, compresslevel=6, filename=""
        ) as g:
            g.write(buf.getvalue())
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump({"generator": "make-typography-variant.py", "seed": seed, "n_docs": docs, "text_bytes": total}, f, indent=1)
    print(json.dumps({"n_docs": docs, "text_bytes": total}))


if __name__ == "__main__":
    main()
