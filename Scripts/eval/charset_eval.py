#!/usr/bin/env python3
"""Charset-detection accuracy: NewsMill vs chardet vs charset-normalizer.

Run through Scripts/eval/charset-eval.sh (it makes the virtualenv). Evaluation only: the texts are
read from shared/data at run time and every generated file goes to --work (outside the repo).

Texts (real):
  * Cyrillic: NEREL ru-wikinews articles (texts/{train,dev}/*.txt), Ukrainian and Belarusian UD
    sentences (lang-sentences/{uk,be}.dev.txt, consecutive lines grouped into ~1,000-char texts),
    and extra "articles" of 3-8 random NEREL paragraphs (fixed seed) until there are
    --min-cyrillic Cyrillic texts in all.
  * Western: lang-sentences/{en,de,fr,es}.dev.txt grouped the same way.
Each text is cut to its first 200 / 1000 characters or kept whole, then encoded (errors='strict':
a text that does not fit an encoding is skipped and counted; so is a single-byte sample that is
pure ASCII, since it carries no charset information).

Every sample goes into one uncompressed tar as <encoding>/<length>/<n>.txt; `newsmill run` reads
it; each member's source.encoding (or its reject) is compared with the expected name. chardet and
charset-normalizer are run on the same bytes (all of them, or a fixed random subset with
--peer-sample). A second figure compares decoded text with the original, whitespace removed.
Finally NewsMill runs on the original UTF-8 texts: any record not read as utf-8 or whose text
differs is a "false repair".
"""
import argparse
import codecs
import collections
import io
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
import unicodedata
from pathlib import Path

SEED = "newsmill-charset-eval-v1"
LENGTHS = [("200", 200), ("1000", 1000), ("full", None)]

# (NewsMill name = expected answer, Python codec, text group)
ENCODINGS = [
    ("utf-16le", "utf_16_le", "cyr"),
    ("utf-16be", "utf_16_be", "cyr"),
    ("windows-1251", "cp1251", "cyr"),
    ("koi8-r", "koi8_r", "cyr"),
    ("cp866", "cp866", "cyr"),
    ("iso-8859-5", "iso8859_5", "cyr"),
    ("x-mac-cyrillic", "mac_cyrillic", "cyr"),
    ("windows-1252", "cp1252", "west"),
    ("iso-8859-1", "latin_1", "west"),
]
SINGLE_BYTE = {name for name, _, _ in ENCODINGS if not name.startswith("utf-16")}

# Python's canonical codec name (codecs.lookup(x).name) -> NewsMill name
PY_TO_NM = {
    "utf-8": "utf-8", "utf-16": "utf-16", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be",
    "utf-32": "utf-32", "utf-32-le": "utf-32le", "utf-32-be": "utf-32be",
    "cp1251": "windows-1251", "koi8-r": "koi8-r", "koi8-u": "koi8-u", "cp866": "cp866",
    "iso8859-5": "iso-8859-5", "mac-cyrillic": "x-mac-cyrillic",
    "cp1252": "windows-1252", "iso8859-1": "iso-8859-1", "iso8859-15": "iso-8859-15",
    "ascii": "ascii",
}
NM_TO_PY = {"x-mac-cyrillic": "mac_cyrillic", "utf-16le": "utf_16_le", "utf-16be": "utf_16_be"}
ALIASES = {"x-mac-cyrillic": "x-mac-cyrillic", "maccyrillic": "x-mac-cyrillic",
           "mac_cyrillic": "x-mac-cyrillic"}

# --fold-punct: typographic punctuation -> ASCII (opt-in; default is strict, as specified)
FOLD = str.maketrans({"«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'",
                      "—": "-", "–": "-", "…": "...", "№": "N", "\u00a0": " "})


def canon(name):
    """Any detector's charset label -> NewsMill-style lowercase name ('none' for no answer)."""
    if not name:
        return "none"
    n = str(name).strip().lower()
    if n in ALIASES:
        return ALIASES[n]
    try:
        py = codecs.lookup(n).name
    except LookupError:
        return n
    return PY_TO_NM.get(py, py)


def py_codec(nm_name):
    n = NM_TO_PY.get(nm_name, nm_name)
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


def squash(s):
    return "".join(unicodedata.normalize("NFC", s).split())


def accept(exp, got, data, original):
    """The acceptance rules: exact name, plus the latin-1 / windows-1252 superset cases."""
    if got == exp:
        return True
    if exp == "iso-8859-1" and got == "windows-1252":
        try:
            return data.decode("cp1252") == original
        except UnicodeDecodeError:
            return False
    if exp == "windows-1252" and got == "iso-8859-1":
        return not any(0x80 <= b <= 0x9F for b in data)
    return False


def decoded_equal(data, label, original):
    """Does decoding `data` with the detector's answer give the original (whitespace removed)?"""
    codec = py_codec(label) if label not in ("none", None) else None
    if codec is None:
        return False
    try:
        return squash(data.decode(codec)) == squash(original)
    except (UnicodeDecodeError, LookupError):
        return False


# ------------------------------------------------------------------------------------------ texts

def read_utf8(path):
    with open(path, encoding="utf-8") as f:
        t = f.read()
    return t.lstrip("\ufeff")


def group_sentences(path, target=1000, per_par=3):
    """Consecutive lines (one sentence each) -> texts of >= target chars (the last may be shorter,
    kept if >= target/2); a newline every per_par sentences so they look like paragraphs."""
    lines = [l.strip() for l in read_utf8(path).split("\n")]
    lines = [l for l in lines if l]
    texts, cur, size = [], [], 0
    for l in lines:
        cur.append(l)
        size += len(l) + 1
        if size >= target:
            texts.append(cur)
            cur, size = [], 0
    if cur and size >= target // 2:
        texts.append(cur)
    out = []
    for sents in texts:
        pars = [" ".join(sents[i:i + per_par]) for i in range(0, len(sents), per_par)]
        out.append("\n".join(pars) + "\n")
    return out


def load_texts(data_dir, min_cyrillic, rng):
    """[(source, group, text)] in a fixed order."""
    nerel_files = []
    for split in ("train", "dev"):
        nerel_files += sorted((data_dir / "nerel-ru-wikinews" / "texts" / split).glob("*.txt"))
    if not nerel_files:
        sys.exit(f"charset-eval: no NEREL texts under {data_dir}/nerel-ru-wikinews/texts")
    nerel = [read_utf8(p) for p in nerel_files]
    texts = [("nerel", "cyr", t) for t in nerel]
    ls = data_dir / "lang-sentences"
    for lang in ("uk", "be"):
        texts += [(lang, "cyr", t) for t in group_sentences(ls / f"{lang}.dev.txt")]
    pool = []
    for t in nerel:
        pool += [l.strip() for l in t.split("\n")[1:] if l.strip()]
    n_cyr = len(texts)
    while n_cyr < min_cyrillic:
        k = rng.randint(3, 8)
        texts.append(("nerel-mix", "cyr", "\n".join(rng.sample(pool, k)) + "\n"))
        n_cyr += 1
    for lang in ("en", "de", "fr", "es"):
        texts += [(lang, "west", t) for t in group_sentences(ls / f"{lang}.dev.txt")]
    return texts


def build_samples(texts, fold_punct):
    """samples: {member: (enc, length, text_index, original, bytes)}; skips: Counter."""
    samples, skips = {}, collections.Counter()
    for enc, codec, group in ENCODINGS:
        for lname, lcut in LENGTHS:
            for i, (_src, g, text) in enumerate(texts):
                if g != group:
                    continue
                orig = text[:lcut] if lcut else text
                if fold_punct and enc in SINGLE_BYTE:
                    orig = orig.translate(FOLD)
                try:
                    data = orig.encode(codec, errors="strict")
                except UnicodeEncodeError:
                    skips[(enc, lname, "unencodable")] += 1
                    continue
                if enc in SINGLE_BYTE and data.isascii():
                    skips[(enc, lname, "ascii_only")] += 1
                    continue
                samples[f"{enc}/{lname}/{i}.txt"] = (enc, lname, i, orig, data)
    return samples, skips


def write_tar(path, items):
    """items: iterable of (member, bytes); uncompressed, fixed mtime, sorted order."""
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
        for member, data in items:
            ti = tarfile.TarInfo(member)
            ti.size = len(data)
            ti.mtime = 0
            ti.mode = 0o644
            tf.addfile(ti, io.BytesIO(data))


# --------------------------------------------------------------------------------------- NewsMill

def run_newsmill(newsmill, tar, out, cwd, extra):
    cmd = [newsmill, "run", str(tar), "-o", str(out), "-q"] + extra
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 3):
        sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
        sys.exit(f"charset-eval: newsmill exited {p.returncode}: {shlex.join(cmd)}")
    records, rejects = {}, {}
    for part in sorted(Path(out).glob("part-*.jsonl")):
        with open(part, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    records.setdefault(r["source"]["member"], r)
    rj = Path(out) / "rejects.jsonl"
    if rj.exists():
        with open(rj, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    rejects.setdefault(r.get("member"), r.get("code"))
    return cmd, wall, records, rejects


def record_text(r):
    return (r.get("title") or "") + (r.get("text") or "")


# ------------------------------------------------------------------------------------------ peers

def run_peers(samples, keys):
    import chardet
    import charset_normalizer
    cd, cn = {}, {}
    t_cd = t_cn = 0.0
    for k in keys:
        data = samples[k][4]
        t0 = time.perf_counter()
        r = chardet.detect(data)
        t1 = time.perf_counter()
        best = charset_normalizer.from_bytes(data).best()
        t2 = time.perf_counter()
        t_cd += t1 - t0
        t_cn += t2 - t1
        cd[k] = canon(r.get("encoding"))
        cn[k] = canon(best.encoding if best is not None else None)
    return cd, cn, t_cd, t_cn, chardet.__version__, charset_normalizer.__version__


# ---------------------------------------------------------------------------------------- report

def pct(ok, n):
    return f"{100.0 * ok / n:.1f}% ({n})" if n else "– (0)"


def main():
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--newsmill", default=os.environ.get("NEWSMILL", str(repo / ".build/release/newsmill")))
    ap.add_argument("--shared", default=str(repo.parent / "shared" / "data"),
                    help="shared data folder (holding nerel-ru-wikinews/ and lang-sentences/), or shared/ itself")
    ap.add_argument("--work", default="/work/bench/charset", help="where tars and NewsMill output go")
    ap.add_argument("--min-cyrillic", type=int, default=2000)
    ap.add_argument("--peer-sample", type=int, default=0,
                    help="run chardet/charset-normalizer on at most N fixed random samples per "
                         "encoding x length (0 = all samples; default)")
    ap.add_argument("--fold-punct", action="store_true",
                    help="map «»„“”’—–…№ and NBSP to ASCII before encoding to single-byte charsets "
                         "(fewer skips; the original to compare with is the folded text)")
    ap.add_argument("--no-clean", action="store_true", help="skip the false-repair run on UTF-8 originals")
    ap.add_argument("--pipeline", help="pass --pipeline to newsmill (default: its own default)")
    ap.add_argument("--jobs", type=int, help="pass --jobs to newsmill")
    ap.add_argument("--show-wrong", type=int, default=3, help="most frequent wrong answers shown per encoding")
    args = ap.parse_args()

    newsmill = os.path.abspath(args.newsmill)
    if not (os.path.isfile(newsmill) and os.access(newsmill, os.X_OK)):
        sys.exit(f"charset-eval: newsmill not found at {newsmill} (build it with `swift build -c release`, "
                 f"or set NEWSMILL / --newsmill)")
    data_dir = Path(args.shared)
    if (data_dir / "data" / "nerel-ru-wikinews").is_dir():
        data_dir = data_dir / "data"
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    extra = []
    if args.pipeline:
        extra += ["--pipeline", os.path.abspath(args.pipeline)]
    if args.jobs:
        extra += ["--jobs", str(args.jobs)]

    t_start = time.perf_counter()
    rng = random.Random(SEED)
    texts = load_texts(data_dir, args.min_cyrillic, rng)
    samples, skips = build_samples(texts, args.fold_punct)
    keys = sorted(samples, key=lambda k: (samples[k][0], samples[k][1], samples[k][2]))

    tar = work / "charset-samples.tar"
    write_tar(tar, ((k, samples[k][4]) for k in keys))
    out = work / "out-samples"
    nm_cmd, nm_wall, records, rejects = run_newsmill(newsmill, tar, out, repo, extra)

    # peer subset: fixed per encoding x length
    by_cell = collections.defaultdict(list)
    for k in keys:
        by_cell[(samples[k][0], samples[k][1])].append(k)
    peer_keys = []
    prng = random.Random(SEED + ":peers")
    for cell in sorted(by_cell):
        ks = by_cell[cell]
        if args.peer_sample and len(ks) > args.peer_sample:
            ks = sorted(prng.sample(ks, args.peer_sample))
        peer_keys += ks
    peer_set = set(peer_keys)
    cd, cn, t_cd, t_cn, v_cd, v_cn = run_peers(samples, peer_keys)

    # ---- score
    Cell = lambda: collections.Counter()
    enc_ok = collections.defaultdict(Cell)      # (tool, enc, len) -> Counter(n, ok, text)
    wrong = collections.defaultdict(collections.Counter)  # (tool, enc) -> Counter(answer)
    nm_rej = collections.Counter()               # (enc, len) -> rejects
    nm_rej_codes = collections.Counter()
    nm_missing = collections.Counter()
    for k in keys:
        enc, lname, _i, orig, data = samples[k]
        rec = records.get(k)
        if rec is not None:
            got = canon(rec["source"].get("encoding"))
            text_ok = squash(record_text(rec)) == squash(orig)
        elif k in rejects:
            got, text_ok = "reject:" + str(rejects[k]), False
            nm_rej[(enc, lname)] += 1
            nm_rej_codes[rejects[k]] += 1
        else:
            got, text_ok = "missing", False
            nm_missing[(enc, lname)] += 1
        answers = [("newsmill", got, text_ok, True)]
        if k in peer_set:
            answers.append(("chardet", cd[k], decoded_equal(data, cd[k], orig), False))
            answers.append(("charset-normalizer", cn[k], decoded_equal(data, cn[k], orig), False))
        for tool, ans, tok, _ in answers:
            ok = accept(enc, ans, data, orig)
            for e in (enc, "ALL"):
                c = enc_ok[(tool, e, lname)]
                c["n"] += 1
                c["ok"] += ok
                c["text"] += tok
            if tool == "newsmill" and k in peer_set:   # NewsMill on the peers' subset, for fairness
                c = enc_ok[("newsmill@peers", "ALL", lname)]
                c["n"] += 1
                c["ok"] += ok
                c["text"] += tok
            if not ok:
                wrong[(tool, enc)][ans] += 1

    # ---- false repairs on clean UTF-8 originals (full length)
    clean = None
    if not args.no_clean:
        ctar = work / "charset-clean-utf8.tar"
        citems = [(f"utf-8/full/{i}.txt", t.encode("utf-8")) for i, (_s, _g, t) in enumerate(texts)]
        write_tar(ctar, citems)
        _c, c_wall, crec, crej = run_newsmill(newsmill, ctar, work / "out-clean", repo, extra)
        bad_enc = bad_text = 0
        examples = []
        for i, (src, _g, t) in enumerate(texts):
            m = f"utf-8/full/{i}.txt"
            r = crec.get(m)
            if r is None:
                continue
            e = canon(r["source"].get("encoding"))
            if e != "utf-8":
                bad_enc += 1
            a, b = squash(record_text(r)), squash(t)
            if a != b:
                bad_text += 1
                if len(examples) < 5:
                    p = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
                    examples.append(f"{m} ({src}): first difference at non-space char {p}: "
                                    f"got {a[p:p + 12]!r}, want {b[p:p + 12]!r}")
        missing = sum(1 for i in range(len(texts)) if f"utf-8/full/{i}.txt" not in crec
                      and f"utf-8/full/{i}.txt" not in crej)
        clean = dict(n=len(texts), records=len(crec), rejects=len(crej),
                     reject_codes=collections.Counter(crej.values()), bad_enc=bad_enc,
                     bad_text=bad_text, missing=missing, wall=c_wall, examples=examples)

    total = time.perf_counter() - t_start

    # ---- print
    P = print
    P("# Charset detection: NewsMill vs chardet vs charset-normalizer\n")
    P("Command: `" + shlex.join([sys.executable, *sys.argv]) + "`  ")
    P("NewsMill: `" + shlex.join(nm_cmd) + f"` (cwd {repo})  ")
    P(f"chardet {v_cd}, charset-normalizer {v_cn}, Python {sys.version.split()[0]}, seed {SEED!r}"
      + (", --fold-punct" if args.fold_punct else "") + "\n")
    src_n = collections.Counter(s for s, _g, _t in texts)
    P("Texts: " + ", ".join(f"{s} {n}" for s, n in src_n.items())
      + f" (Cyrillic {sum(1 for _s, g, _t in texts if g == 'cyr')}, "
        f"western {sum(1 for _s, g, _t in texts if g == 'west')}); samples {len(samples)}; "
        f"peers run on {len(peer_keys)} samples"
      + (f" (fixed random subset: at most {args.peer_sample} per encoding x length)" if args.peer_sample
         and len(peer_keys) < len(samples) else " (all)") + ".\n")

    tools = [("newsmill", "NewsMill"), ("chardet", "chardet"), ("charset-normalizer", "ch-norm")]
    for key, title in (("ok", "Encoding correct"), ("text", "Decoded text identical (whitespace removed)")):
        P(f"## {title}: % (n)\n")
        hdr = ["encoding"] + [f"{ln} {t}" for ln, _ in LENGTHS for _k, t in tools]
        P("| " + " | ".join(hdr) + " |")
        P("|" + "---|" + "---:|" * (len(hdr) - 1))
        for enc in [e for e, _c, _g in ENCODINGS] + ["ALL"]:
            row = [f"**{enc}**" if enc == "ALL" else enc]
            for ln, _ in LENGTHS:
                for tk, _t in tools:
                    c = enc_ok[(tk, enc, ln)]
                    row.append(pct(c[key], c["n"]))
            P("| " + " | ".join(row) + " |")
        if args.peer_sample and len(peer_keys) < len(samples):
            row = ["ALL, NewsMill on peer subset"]
            for ln, _ in LENGTHS:
                c = enc_ok[("newsmill@peers", "ALL", ln)]
                row += [pct(c[key], c["n"]), "", ""]
            P("| " + " | ".join(row) + " |")
        P("")
    P("Acceptance: exact name; for iso-8859-1 samples also windows-1252 if it decodes to the original; "
      "for windows-1252 samples also iso-8859-1 if no byte is in 0x80-0x9F. "
      "NewsMill rejects and missing records count as wrong. Peers' text figure = decoding with their answer.\n")

    P("## Skipped samples and NewsMill rejects\n")
    P("| encoding | length | samples | skipped unencodable | skipped ASCII-only | NewsMill rejects | NewsMill missing |")
    P("|---|---|---:|---:|---:|---:|---:|")
    for enc, _c, _g in ENCODINGS:
        for ln, _ in LENGTHS:
            P(f"| {enc} | {ln} | {enc_ok[('newsmill', enc, ln)]['n']} | {skips[(enc, ln, 'unencodable')]} | "
              f"{skips[(enc, ln, 'ascii_only')]} | {nm_rej[(enc, ln)]} | {nm_missing[(enc, ln)]} |")
    P(f"\nNewsMill reject codes: {dict(nm_rej_codes) or 'none'}\n")

    P(f"## Most frequent wrong answers (top {args.show_wrong})\n")
    P("| encoding | NewsMill | chardet | charset-normalizer |")
    P("|---|---|---|---|")
    for enc, _c, _g in ENCODINGS:
        cells = []
        for tk, _t in tools:
            w = wrong[(tk, enc)].most_common(args.show_wrong)
            cells.append(", ".join(f"{a} {n}" for a, n in w) or "–")
        P(f"| {enc} | " + " | ".join(cells) + " |")
    P("")

    if clean is not None:
        P("## False repairs on clean UTF-8 originals (full length)\n")
        P(f"texts {clean['n']}, records {clean['records']}, rejects {clean['rejects']} "
          f"{dict(clean['reject_codes']) or ''}, missing {clean['missing']}; "
          f"**source.encoding != utf-8: {clean['bad_enc']}**, **text differs: {clean['bad_text']}** "
          f"(all of rejects, missing and these should be 0); NewsMill wall {clean['wall']:.2f} s")
        for ex in clean["examples"]:
            P(f"- {ex}")
        P("")

    P("## Timing\n")
    P(f"- NewsMill run on {len(samples)} samples: {nm_wall:.2f} s wall")
    P(f"- chardet on {len(peer_keys)} samples: {t_cd:.2f} s ({1000 * t_cd / max(1, len(peer_keys)):.2f} ms each)")
    P(f"- charset-normalizer on {len(peer_keys)} samples: {t_cn:.2f} s ({1000 * t_cn / max(1, len(peer_keys)):.2f} ms each)")
    P(f"- whole evaluation: {total:.1f} s; files in {work}")

    # machine-readable copy next to the tars
    res = {
        "command": [sys.executable, *sys.argv], "newsmill_command": nm_cmd, "seed": SEED,
        "chardet": v_cd, "charset_normalizer": v_cn, "samples": len(samples), "peer_samples": len(peer_keys),
        "cells": [{"tool": t, "encoding": e, "length": l, **c} for (t, e, l), c in sorted(enc_ok.items())],
        "skips": [{"encoding": e, "length": l, "reason": r, "n": n} for (e, l, r), n in sorted(skips.items())],
        "newsmill_rejects": dict(nm_rej_codes),
        "timing": {"newsmill_wall": nm_wall, "chardet": t_cd, "charset_normalizer": t_cn, "total": total},
        "clean": None if clean is None else {k: (dict(v) if isinstance(v, collections.Counter) else v)
                                             for k, v in clean.items()},
    }
    (work / "results.json").write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
