#!/usr/bin/env python3
"""Charset-detection accuracy (NewsMill vs chardet vs charset-normalizer) and mojibake repair (NewsMill vs ftfy).

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

Mojibake (separate tar, in no other table): each Cyrillic text (and, for windows-1252 / latin-1,
each western text), cut to the same lengths, is encoded as UTF-8 and decoded as windows-1251,
windows-1252, latin-1 or cp866; the garbled string, saved as UTF-8, is the member. "strict" decoding
skips (and counts) a text whose UTF-8 holds a byte the charset leaves undefined (0x98 in
windows-1251, which is in every "И"; 0x81 0x8D 0x8F 0x90 0x9D in windows-1252, which are in every
"с" and "я"); "sloppy" decodes such a byte as the C1 control of the same number, as browsers and
Windows do. A text that is pure ASCII is not garbled at all and is skipped. Repaired = the record's
source.mojibake names the charset (windows-1252 for latin-1) and its text (title + text, whitespace
removed) equals the original. ftfy (if importable) runs on the same garbled strings.

Damaged UTF-8 (separate tar, run first; --only-damaged runs only this): UTF-8 texts with stray bytes,
cp1251/cp1252 punctuation pasted in, sequences cut short, or half their lines in windows-1251 /
windows-1252 (see run_damaged); each must stay utf-8 with the promised text and source.invalid_bytes.

Finally NewsMill runs on the original UTF-8 texts: any record not read as utf-8, given a
source.mojibake, or whose text differs is a "false repair"; ftfy gets the same check.
"""
import argparse
import codecs
import collections
import json
import random
import shlex
import sys
import time
import unicodedata
from evalcommon import (REPO, add_common_args, newsmill_extra, pct, prepare, read_utf8, record_text, run_newsmill,
                        squash, write_tar, wrong_answers_table)

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


# --------------------------------------------------------------------------------------- mojibake

# A byte the charset leaves undefined -> the C1 control of the same number (WHATWG / Windows).
codecs.register_error("newsmill-eval-c1", lambda e: (chr(e.object[e.start]), e.start + 1))

# (row name, Python codec, decode errors, expected source.mojibake, text groups)
MOJIBAKE = [
    ("windows-1251", "cp1251", "strict", "windows-1251", ("cyr",)),
    ("windows-1251 sloppy", "cp1251", "newsmill-eval-c1", "windows-1251", ("cyr",)),
    ("windows-1252", "cp1252", "strict", "windows-1252", ("cyr", "west")),
    ("windows-1252 sloppy", "cp1252", "newsmill-eval-c1", "windows-1252", ("cyr", "west")),
    ("latin-1", "latin_1", "strict", "windows-1252", ("cyr", "west")),
    ("cp866", "cp866", "strict", "cp866", ("cyr",)),
]
MB_ROWS = [(v, g) for v, _c, _e, _x, gs in MOJIBAKE for g in gs]
MB_EXPECT = {v: x for v, _c, _e, x, _g in MOJIBAKE}

# ftfy's charset names -> the names NewsMill writes (latin-1 and windows-1252 are one family here)
FTFY_TO_NM = {"sloppy-windows-1251": "windows-1251", "sloppy-windows-1252": "windows-1252",
              "latin-1": "windows-1252", "windows-1252": "windows-1252", "windows-1251": "windows-1251",
              "cp866": "cp866"}


def build_mojibake(texts):
    """samples: {member: (variant, group, length, text_index, original, garbled)}; skips: Counter."""
    samples, skips = {}, collections.Counter()
    for variant, codec, errors, _exp, groups in MOJIBAKE:
        slug = variant.replace(" ", "-")
        for lname, lcut in LENGTHS:
            for i, (_src, g, text) in enumerate(texts):
                if g not in groups:
                    continue
                orig = text[:lcut] if lcut else text
                try:
                    garbled = orig.encode("utf-8").decode(codec, errors=errors)
                except UnicodeDecodeError:
                    skips[(variant, g, lname, "undecodable")] += 1
                    continue
                if garbled == orig:
                    skips[(variant, g, lname, "ascii_only")] += 1
                    continue
                samples[f"mojibake/{slug}/{g}/{lname}/{i}.txt"] = (variant, g, lname, i, orig, garbled)
    return samples, skips


def first_difference(got, want):
    a, b = squash(got), squash(want)
    p = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
    return f"first difference at non-space char {p}: got {a[p:p + 12]!r}, want {b[p:p + 12]!r}"


def judge_newsmill_mojibake(rec, reject, expected, orig):
    """-> (repaired?, failure category or None)"""
    if rec is None:
        return False, "reject" if reject is not None else "missing"
    got = rec["source"].get("mojibake")
    if got is None:
        return False, "not repaired"
    if got != expected:
        return False, f"as {got}"
    if squash(record_text(rec)) != squash(orig):
        return False, "text differs"
    return True, None


def ftfy_setup():
    """(fix function, version) or (None, reason). Only ftfy's mojibake-related fixes are on: its
    quote uncurling, ligature and width fixes and HTML unescaping would change clean text too."""
    try:
        import ftfy
    except ImportError as e:
        return None, f"not available ({e})"
    cfg = ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False, fix_latin_ligatures=False,
                               fix_character_width=False)

    def fix(s):
        r = ftfy.fix_and_explain(s, cfg)
        enc = next((arg for op, arg in (r.explanation or []) if op == "encode"), None)
        return r.text, enc
    return fix, ftfy.__version__


def judge_ftfy(fixed, enc, expected, orig):
    if enc is None:
        return False, "not repaired"
    got = FTFY_TO_NM.get(enc, enc)
    if got != expected:
        return False, f"as {enc}"
    if squash(fixed) != squash(orig):
        return False, "text differs"
    return True, None


def fixed_subset(keys, cell_of, limit, seed):
    """All keys, or at most `limit` fixed random keys per cell."""
    by_cell = collections.defaultdict(list)
    for k in keys:
        by_cell[cell_of(k)].append(k)
    out = []
    rng = random.Random(seed)
    for cell in sorted(by_cell):
        ks = by_cell[cell]
        if limit and len(ks) > limit:
            ks = sorted(rng.sample(ks, limit))
        out += ks
    return out


def run_mojibake(texts, newsmill, work, cwd, extra, peer_sample, show_wrong):
    """Builds the mojibake tar, runs NewsMill and ftfy, prints the tables; returns a results dict."""
    samples, skips = build_mojibake(texts)
    keys = sorted(samples, key=lambda k: (samples[k][0], samples[k][1], samples[k][2], samples[k][3]))
    tar = work / "charset-mojibake.tar"
    write_tar(tar, ((k, samples[k][5].encode("utf-8")) for k in keys))
    nm_cmd, nm_wall, records, rejects = run_newsmill(newsmill, tar, work / "out-mojibake", cwd, extra,
                                                     "charset-eval")
    fix, ftfy_version = ftfy_setup()
    ft_keys = []
    t_ft = 0.0
    ft_res = {}
    if fix is not None:
        ft_keys = fixed_subset(keys, lambda k: samples[k][:3], peer_sample, SEED + ":ftfy")
        for k in ft_keys:
            t0 = time.perf_counter()
            ft_res[k] = fix(samples[k][5])
            t_ft += time.perf_counter() - t0

    cells = collections.defaultdict(collections.Counter)   # (tool, variant, group, length) -> n, ok
    by_source = collections.defaultdict(collections.Counter)  # (tool, source, variant) -> n, ok
    fails = collections.defaultdict(collections.Counter)   # (tool, variant, group, length) -> category
    examples = []
    seen_why = set()
    for k in keys:
        variant, g, lname, i, orig, _garbled = samples[k]
        exp = MB_EXPECT[variant]
        src = texts[i][0]
        ok, why = judge_newsmill_mojibake(records.get(k), rejects.get(k), exp, orig)
        results = [("newsmill", ok, why)]
        if k in ft_res:
            results.append(("ftfy", *judge_ftfy(*ft_res[k], exp, orig)))
            results.append(("newsmill@ftfy", ok, why))
        for tool, ok_, why_ in results:
            for cell in ((tool, variant, g, lname), (tool, "ALL", "", lname), (tool, "ALL", "", "all")):
                cells[cell]["n"] += 1
                cells[cell]["ok"] += ok_
            for cell in ((tool, src, variant), (tool, src, "ALL")):
                by_source[cell]["n"] += 1
                by_source[cell]["ok"] += ok_
            if why_:
                fails[(tool, variant, g, lname)][why_] += 1
        if why and (variant, g, why) not in seen_why:   # one example per row and kind of failure
            seen_why.add((variant, g, why))
            detail = why
            if why == "text differs":
                detail += ": " + first_difference(record_text(records[k]), orig)
            elif why == "reject":
                detail += f" {rejects.get(k)}"
            examples.append(f"{k} ({src}): {detail}")

    P = print
    subset = fix is not None and len(ft_keys) < len(keys)
    tools = [("newsmill", "NewsMill")] + ([("ftfy", "ftfy")] if fix is not None else [])
    P("## Mojibake repaired: % (n)\n")
    P(f"{len(keys)} garbled samples in `{tar}` (not counted in any table above); "
      f"NewsMill: `{shlex.join(nm_cmd)}`; "
      + (f"ftfy {ftfy_version} (`ftfy.fix_and_explain`, uncurl_quotes / fix_latin_ligatures / "
         f"fix_character_width / unescape_html off) on {len(ft_keys)} samples"
         + (f" (fixed random subset: at most {peer_sample} per row x length)" if subset else " (all)")
         if fix is not None else f"ftfy {ftfy_version}") + ".\n")
    hdr = ["garbled as (texts)"] + [f"{ln} {t}" for ln, _ in LENGTHS for _k, t in tools]
    P("| " + " | ".join(hdr) + " |")
    P("|" + "---|" + "---:|" * (len(hdr) - 1))
    for variant, g in MB_ROWS + [("ALL", "")]:
        row = [f"**{variant}**" if variant == "ALL" else f"{variant} ({g})"]
        for ln, _ in LENGTHS:
            for tk, _t in tools:
                c = cells[(tk, variant, g, ln)]
                row.append(pct(c["ok"], c["n"]))
        P("| " + " | ".join(row) + " |")
    if subset:
        row = ["ALL, NewsMill on ftfy subset"]
        for ln, _ in LENGTHS:
            c = cells[("newsmill@ftfy", "ALL", "", ln)]
            row += [pct(c["ok"], c["n"]), ""]
        P("| " + " | ".join(row) + " |")
    P("\nRepaired = source.mojibake (ftfy: its first `encode` step; latin-1 counts as windows-1252) "
      "names the charset the text was garbled with, and the text, whitespace removed, equals the original. "
      "sloppy = bytes the charset leaves undefined decoded as C1 controls (U+0080-U+009F) instead of "
      "skipping the text; latin-1 samples expect windows-1252.\n")

    P("## Mojibake repaired by text source, all lengths: NewsMill / ftfy % (n)\n")
    srcs = list(dict.fromkeys(s for s, _g, _t in texts))
    cols = [v for v, *_ in MOJIBAKE] + ["ALL"]
    P("| source | " + " | ".join(cols) + " |")
    P("|---|" + "---:|" * len(cols))
    for src in srcs:
        row = [src]
        for v in cols:
            c = by_source[("newsmill", src, v)]
            f = by_source[("ftfy", src, v)]
            if not c["n"]:
                row.append("–")
                continue
            ft = f" / {100.0 * f['ok'] / f['n']:.1f}" if f["n"] else ""
            row.append(f"{100.0 * c['ok'] / c['n']:.1f}{ft} ({c['n']})")
        P("| " + " | ".join(row) + " |")
    P("")

    P("## Mojibake samples: skips and failures\n")
    P("| garbled as | texts | length | samples | skipped undecodable | skipped ASCII-only | "
      "NewsMill failures | ftfy failures |")
    P("|---|---|---|---:|---:|---:|---|---|")
    for variant, g in MB_ROWS:
        for ln, _ in LENGTHS:
            fl = []
            for tk, _t in (("newsmill", ""), ("ftfy", "")):
                w = fails[(tk, variant, g, ln)].most_common(show_wrong)
                fl.append(", ".join(f"{a} {n}" for a, n in w) or "–")
            P(f"| {variant} | {g} | {ln} | {cells[('newsmill', variant, g, ln)]['n']} | "
              f"{skips[(variant, g, ln, 'undecodable')]} | {skips[(variant, g, ln, 'ascii_only')]} | "
              f"{fl[0]} | {fl[1] if fix is not None else 'n/a'} |")
    if examples:
        P("\nNewsMill failures, first of each kind per row:")
        for ex in examples:
            P(f"- {ex}")
    P("")
    return {
        "samples": len(keys), "ftfy": ftfy_version, "ftfy_samples": len(ft_keys),
        "newsmill_command": nm_cmd, "newsmill_wall": nm_wall, "ftfy_seconds": t_ft,
        "cells": [{"tool": t, "variant": v, "group": g, "length": l, **c}
                  for (t, v, g, l), c in sorted(cells.items())],
        "skips": [{"variant": v, "group": g, "length": l, "reason": r, "n": n}
                  for (v, g, l, r), n in sorted(skips.items())],
        "failures": [{"tool": t, "variant": v, "group": g, "length": l, "why": w, "n": n}
                     for (t, v, g, l), c in sorted(fails.items()) for w, n in sorted(c.items())],
        "fix": fix,
    }


# ---------------------------------------------------------------------------------- damaged UTF-8

def utf8_unit(b, i):
    """Length of the valid UTF-8 sequence at i (1 for ASCII), or minus the length of the maximal
    ill-formed subpart there (one U+FFFD each, Unicode 3.9 / WHATWG)."""
    c = b[i]
    if c < 0x80:
        return 1
    if 0xC2 <= c <= 0xDF:
        need = [(0x80, 0xBF)]
    elif c == 0xE0:
        need = [(0xA0, 0xBF), (0x80, 0xBF)]
    elif 0xE1 <= c <= 0xEC or c in (0xEE, 0xEF):
        need = [(0x80, 0xBF)] * 2
    elif c == 0xED:
        need = [(0x80, 0x9F), (0x80, 0xBF)]
    elif c == 0xF0:
        need = [(0x90, 0xBF), (0x80, 0xBF), (0x80, 0xBF)]
    elif 0xF1 <= c <= 0xF3:
        need = [(0x80, 0xBF)] * 3
    elif c == 0xF4:
        need = [(0x80, 0x8F), (0x80, 0xBF), (0x80, 0xBF)]
    else:
        return -1
    k = 0
    while k < len(need) and i + 1 + k < len(b) and need[k][0] <= b[i + 1 + k] <= need[k][1]:
        k += 1
    return 1 + k if k == len(need) else -(1 + k)


def punct_table(codec):
    out = {}
    for byte in range(0x80, 0xC0):
        try:
            ch = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            continue
        if not ch.isalpha() and unicodedata.category(ch) != "Cc":
            out[byte] = ch
    return out


PUNCT = {"cyr": punct_table("cp1251"), "west": punct_table("cp1252")}
TYPO_BYTES = [0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0xAB, 0xBB]
PASTE = {"cyr": "cp1251", "west": "cp1252"}
PASTED_CHARS = "«»’‘“”„–—…"


def expected_repair(data):
    """What the README promises for UTF-8 with stray or cut bytes: a lone cp1251/cp1252
    punctuation byte (or 2-3 together) is that character (cp1251 when most multi-byte sequences
    are Cyrillic), every other ill-formed subpart is U+FFFD. (Long legacy runs are not modelled:
    the variants that use this make none.)"""
    seqs = cyr = 0
    i = 0
    while i < len(data):
        u = utf8_unit(data, i)
        if u > 1:
            seqs += 1
            cyr += 0xD0 <= data[i] <= 0xD3
        i += abs(u)
    table = PUNCT["cyr" if cyr * 2 >= seqs else "west"]
    out, i = [], 0
    while i < len(data):
        u = utf8_unit(data, i)
        if u > 0:
            out.append(data[i:i + u].decode("utf-8"))
            i += u
            continue
        j, units = i, []
        while j < len(data) and data[j] >= 0x80 and utf8_unit(data, j) < 0:
            v = -utf8_unit(data, j)
            units.append(data[j:j + v])
            j += v
        if j - i <= 3 and all(len(x) == 1 and x[0] in table for x in units):
            out += [table[x[0]] for x in units]
        else:
            out += ["\ufffd"] * len(units)
        i = j
    return "".join(out), seqs


def damage(variant, group, orig, rng):
    """-> (bytes, expected text, expected mixed charset or None) or None when the variant does not
    apply to this text."""
    data = orig.encode("utf-8")
    starts, pos = [], 0          # byte offset of every character
    for ch in orig:
        starts.append(pos)
        pos += len(ch.encode("utf-8"))
    multi = [k for k, ch in enumerate(orig) if ord(ch) >= 0x80]
    n = len(data)

    def insert(count, pick):
        at = sorted(rng.randrange(len(starts)) for _ in range(count))
        out, prev = bytearray(), 0
        for a in at:
            out += data[prev:starts[a]] + bytes([pick()])
            prev = starts[a]
        return bytes(out + data[prev:])

    if variant == "punct-1":
        return insert(1, lambda: rng.choice(TYPO_BYTES)), None, None
    if variant.startswith("stray-"):
        count = {"stray-1": 1, "stray-1k": max(1, n // 1000), "stray-100": max(1, n // 100)}[variant]
        return insert(count, lambda: rng.randrange(0x80, 0x100)), None, None
    if variant == "pasted-punct":
        text = orig
        if not any(c in text for c in PASTED_CHARS):
            words = [k for k in range(1, len(text) - 1) if text[k - 1] == " " and text[k].isalpha()]
            if not words:
                return None
            a = rng.choice(words)
            b = a
            while b < len(text) and text[b].isalpha():
                b += 1
            q = "«»" if group == "cyr" else "“”"
            text = text[:a] + q[0] + text[a:b] + q[1] + text[b:]
        return b"".join(c.encode(PASTE[group] if c in PASTED_CHARS else "utf-8") for c in text), text, None
    if variant == "cut-end":
        if not multi:
            return None
        k = multi[-1]
        width = len(orig[k].encode("utf-8"))
        return data[:starts[k] + width - 1], orig[:k] + "\ufffd", None
    if variant == "cut-middle":
        if not multi:
            return None
        cuts = set(rng.sample(multi, min(len(multi), max(1, n // 1000))))
        out = bytearray()
        for k, ch in enumerate(orig):
            e = ch.encode("utf-8")
            out += e[:-1] if k in cuts else e
        return bytes(out), "".join("\ufffd" if k in cuts else ch for k, ch in enumerate(orig)), None
    if variant.startswith("mixed"):
        lines = orig.splitlines(keepends=True)
        if len(lines) < 2:
            return None
        half = len(lines) // 2
        head, tail = "".join(lines[:half]), "".join(lines[half:])
        legacy_first = variant.endswith("-first")
        legacy_part = head if legacy_first else tail
        try:
            legacy = legacy_part.encode(PASTE[group])
        except UnicodeEncodeError:
            return None
        if legacy.isascii() or (head if legacy_first else tail) == "":
            return None
        data = legacy + tail.encode("utf-8") if legacy_first else head.encode("utf-8") + legacy
        return data, orig, ("windows-1251" if group == "cyr" else "windows-1252")
    raise ValueError(variant)


DAMAGED = [  # (variant, text groups)
    ("punct-1", ("cyr", "west")), ("pasted-punct", ("cyr", "west")),
    ("stray-1", ("cyr", "west")), ("stray-1k", ("cyr", "west")), ("stray-100", ("cyr", "west")),
    ("cut-end", ("cyr", "west")), ("cut-middle", ("cyr", "west")),
    ("mixed-legacy-last", ("cyr", "west")), ("mixed-legacy-first", ("cyr", "west")),
]


def run_damaged(texts, newsmill, work, cwd, extra, limit, show_wrong):
    """UTF-8 texts with bad bytes (stray, pasted punctuation, cut sequences, a legacy paragraph):
    each must come out as utf-8 with the text the README promises and source.invalid_bytes set."""
    rng = random.Random(SEED + ":damaged")
    cyr = [i for i, (_s, g, _t) in enumerate(texts) if g == "cyr"]
    chosen = set(sorted(rng.sample(cyr, min(limit, len(cyr))))) if limit else set(cyr)
    chosen |= {i for i, (_s, g, _t) in enumerate(texts) if g == "west"}
    samples, skips = {}, collections.Counter()
    for variant, groups in DAMAGED:
        for lname, lcut in LENGTHS:
            for i in sorted(chosen):
                _src, g, text = texts[i]
                if g not in groups:
                    continue
                orig = text[:lcut] if lcut else text
                made = damage(variant, g, orig, random.Random(f"{SEED}:{variant}:{lname}:{i}"))
                if made is None:
                    skips[(variant, g, lname, "not applicable")] += 1
                    continue
                data, expected, mixed = made
                if expected is None:
                    expected, seqs = expected_repair(data)
                else:
                    seqs = sum(1 for k in range(len(data)) if utf8_unit(data, k) > 1)
                if seqs == 0:
                    # ASCII plus a byte or two is a perfectly good windows-1252 text: no UTF-8 to keep.
                    skips[(variant, g, lname, "no UTF-8 sequence")] += 1
                    continue
                samples[f"damaged/{variant}/{g}/{lname}/{i}.txt"] = (variant, g, lname, expected, mixed, data)
    keys = sorted(samples)
    tar = work / "charset-damaged.tar"
    write_tar(tar, ((k, samples[k][5]) for k in keys))
    nm_cmd, nm_wall, records, rejects = run_newsmill(newsmill, tar, work / "out-damaged", cwd, extra, "charset-eval")
    cells = collections.defaultdict(collections.Counter)
    fails = collections.defaultdict(collections.Counter)
    examples, seen = [], set()
    for k in keys:
        variant, g, lname, expected, mixed, data = samples[k]
        r = records.get(k)
        why = None
        if r is None:
            why = f"reject {rejects[k]}" if k in rejects else "missing"
        elif r["source"].get("encoding") != "utf-8":
            why = "as " + str(r["source"].get("encoding"))
        elif squash(record_text(r)) != squash(expected):
            why = "text differs"
        elif not r["source"].get("invalid_bytes"):
            why = "no invalid_bytes"
        elif mixed and r["source"].get("mixed_charset") != mixed and not (
                mixed == "windows-1252" and r["source"].get("mixed_charset") == "iso-8859-1"):
            why = f"mixed_charset {r['source'].get('mixed_charset')}"
        for cell in ((variant, g, lname), (variant, g, "all"), ("ALL", "", lname), ("ALL", "", "all")):
            cells[cell]["n"] += 1
            cells[cell]["ok"] += why is None
        if why:
            fails[(variant, g)][why] += 1
            if (variant, g, why) not in seen and len(examples) < 30:
                seen.add((variant, g, why))
                detail = why + (": " + first_difference(record_text(r), expected) if why == "text differs" else "")
                examples.append(f"{k}: {detail}")
    P = print
    P("## Damaged UTF-8: right decodings % (n)\n")
    P(f"{len(keys)} samples in `{tar}` ({len(chosen)} texts: {limit or 'all'} Cyrillic, all western); "
      f"NewsMill: `{shlex.join(nm_cmd)}`, {nm_wall:.2f} s.\n")
    P("| damage | texts | " + " | ".join(ln for ln, _ in LENGTHS) + " | all | wrong | skipped |")
    P("|---|---|" + "---:|" * (len(LENGTHS) + 1) + "---|---|")
    for variant, groups in DAMAGED:
        for g in groups:
            row = [variant, g] + [pct(cells[(variant, g, ln)]["ok"], cells[(variant, g, ln)]["n"])
                                  for ln, _ in LENGTHS + [("all", None)]]
            wrong = ", ".join(f"{w} {n}" for w, n in fails[(variant, g)].most_common(show_wrong)) or "–"
            by_reason = collections.Counter()
            for (v, gg, _l, r), n in skips.items():
                if v == variant and gg == g:
                    by_reason[r] += n
            sk = ", ".join(f"{r} {n}" for r, n in sorted(by_reason.items()))
            P("| " + " | ".join(row + [wrong, sk or "–"]) + " |")
    row = ["**ALL**", ""] + [pct(cells[("ALL", "", ln)]["ok"], cells[("ALL", "", ln)]["n"]) for ln, _ in LENGTHS + [("all", None)]]
    P("| " + " | ".join(row + ["", ""]) + " |")
    P("\nRight = source.encoding utf-8, source.invalid_bytes set, the text (whitespace removed) as promised: "
      "the original, with a lone cp1251/cp1252 punctuation byte as its character and other bad bytes as "
      "U+FFFD; a mixed text (first or last half of its lines in windows-1251 / windows-1252) must come out "
      "whole, with that mixed_charset. punct-1: one of 0x85 0x91-0x94 0x96 0x97 0xAB 0xBB inserted; "
      "pasted-punct: «»’‘“”„–—… of the text (or a «word» / “word” added) in cp1251 / cp1252; stray-N: "
      "random bytes 0x80-0xFF, 1 per text, per 1000 bytes, per 100 bytes; cut-end: the text ends inside its "
      "last non-ASCII character; cut-middle: 1 per 1000 bytes of its non-ASCII characters lose their last "
      "byte. Skipped: no line break to split at, nothing to encode, or no valid multi-byte sequence left "
      "(ASCII with a stray byte is a valid windows-1252 text).\n")
    for ex in examples:
        P(f"- {ex}")
    P("")
    return {"samples": len(keys), "newsmill_wall": nm_wall,
            "cells": [{"variant": v, "group": g, "length": l, **c} for (v, g, l), c in sorted(cells.items())],
            "failures": [{"variant": v, "group": g, "why": w, "n": n} for (v, g), c in sorted(fails.items())
                         for w, n in sorted(c.items())]}


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

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(ap, "/work/bench/charset",
                    "shared data folder (holding nerel-ru-wikinews/ and lang-sentences/), or shared/ itself")
    ap.add_argument("--min-cyrillic", type=int, default=2000)
    ap.add_argument("--peer-sample", type=int, default=0,
                    help="run chardet/charset-normalizer (and ftfy) on at most N fixed random samples per "
                         "encoding x length (mojibake: per garbling x text group x length; "
                         "0 = all samples; default)")
    ap.add_argument("--fold-punct", action="store_true",
                    help="map «»„“”’—–…№ and NBSP to ASCII before encoding to single-byte charsets "
                         "(fewer skips; the original to compare with is the folded text)")
    ap.add_argument("--no-clean", action="store_true", help="skip the false-repair run on UTF-8 originals")
    ap.add_argument("--no-mojibake", action="store_true", help="skip the mojibake-repair figures")
    ap.add_argument("--no-damaged", action="store_true", help="skip the damaged-UTF-8 figures")
    ap.add_argument("--only-damaged", action="store_true",
                    help="only the damaged-UTF-8 figures (no detection, mojibake, clean or peers)")
    ap.add_argument("--damaged-texts", type=int, default=800,
                    help="Cyrillic texts (fixed random subset) the damaged-UTF-8 samples are made from; "
                         "all western texts are used; 0 = all")
    ap.add_argument("--show-wrong", type=int, default=3, help="most frequent wrong answers shown per encoding")
    args = ap.parse_args()

    newsmill, data_dir, work, extra = prepare(args, "charset-eval", "nerel-ru-wikinews")

    t_start = time.perf_counter()
    rng = random.Random(SEED)
    texts = load_texts(data_dir, args.min_cyrillic, rng)
    # Decoding and mojibake repair are what the damaged and clean runs check: typography,
    # character cleanup and boilerplate removal change text on purpose, so they are off there.
    clean_extra = extra
    if not args.pipeline:
        clean_pipeline = work / "clean-check.yaml"
        clean_pipeline.write_text("stages:\n  - normalize: {mojibake: true, invisible: false, spaces: false, "
                                  "dashes: false, quotes: false, html_entities: false}\n", encoding="utf-8")
        clean_extra = newsmill_extra(str(clean_pipeline), args.jobs)
    damaged = None
    if not args.no_damaged:
        damaged = run_damaged(texts, newsmill, work, REPO, clean_extra, args.damaged_texts, args.show_wrong)
    if args.only_damaged:
        (work / "results-damaged.json").write_text(json.dumps(damaged, indent=1))
        return
    samples, skips = build_samples(texts, args.fold_punct)
    keys = sorted(samples, key=lambda k: (samples[k][0], samples[k][1], samples[k][2]))

    tar = work / "charset-samples.tar"
    write_tar(tar, ((k, samples[k][4]) for k in keys))
    out = work / "out-samples"
    nm_cmd, nm_wall, records, rejects = run_newsmill(newsmill, tar, out, REPO, extra, "charset-eval")

    # peer subset: fixed per encoding x length
    peer_keys = fixed_subset(keys, lambda k: samples[k][:2], args.peer_sample, SEED + ":peers")
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

    # ---- print
    P = print
    P("# Charset detection: NewsMill vs chardet vs charset-normalizer\n")
    P("Command: `" + shlex.join([sys.executable, *sys.argv]) + "`  ")
    P("NewsMill: `" + shlex.join(nm_cmd) + f"` (cwd {REPO})  ")
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
    for line in wrong_answers_table("encoding", [enc for enc, _c, _g in ENCODINGS], tools, wrong, args.show_wrong):
        P(line)
    P("")

    mojibake = None
    if not args.no_mojibake:
        mojibake = run_mojibake(texts, newsmill, work, REPO, extra, args.peer_sample, args.show_wrong)
    fix = mojibake.pop("fix") if mojibake else None

    # ---- false repairs on clean UTF-8 originals (full length)
    clean = None
    if not args.no_clean:
        ctar = work / "charset-clean-utf8.tar"
        citems = [(f"utf-8/full/{i}.txt", t.encode("utf-8")) for i, (_s, _g, t) in enumerate(texts)]
        write_tar(ctar, citems)
        _c, c_wall, crec, crej = run_newsmill(newsmill, ctar, work / "out-clean", REPO, clean_extra, "charset-eval")
        bad_enc = bad_text = bad_mb = 0
        examples = []
        for i, (src, _g, t) in enumerate(texts):
            m = f"utf-8/full/{i}.txt"
            r = crec.get(m)
            if r is None:
                continue
            e = canon(r["source"].get("encoding"))
            if e != "utf-8":
                bad_enc += 1
            if "mojibake" in r["source"]:
                bad_mb += 1
            if squash(record_text(r)) != squash(t):
                bad_text += 1
                if len(examples) < 5:
                    examples.append(f"{m} ({src}): " + first_difference(record_text(r), t))
        missing = sum(1 for i in range(len(texts)) if f"utf-8/full/{i}.txt" not in crec
                      and f"utf-8/full/{i}.txt" not in crej)
        ft_enc = ft_text = 0
        ft_examples = []
        if fix is not None:
            for i, (src, _g, t) in enumerate(texts):
                fixed, enc = fix(t)
                ft_enc += enc is not None
                if squash(fixed) != squash(t):
                    ft_text += 1
                    if len(ft_examples) < 3:
                        ft_examples.append(f"utf-8/full/{i}.txt ({src}): ftfy {enc or 'no encode step'}, "
                                           + first_difference(fixed, t))
        clean = dict(n=len(texts), records=len(crec), rejects=len(crej),
                     reject_codes=collections.Counter(crej.values()), bad_enc=bad_enc, bad_mojibake=bad_mb,
                     bad_text=bad_text, missing=missing, wall=c_wall, examples=examples,
                     ftfy_encode=ft_enc if fix else None, ftfy_text=ft_text if fix else None,
                     ftfy_examples=ft_examples)
        P("## False repairs on clean UTF-8 originals (full length)\n")
        P(f"texts {clean['n']}, records {clean['records']}, rejects {clean['rejects']} "
          f"{dict(clean['reject_codes']) or ''}, missing {clean['missing']}; "
          f"**source.encoding != utf-8: {clean['bad_enc']}**, **source.mojibake given: {bad_mb}**, "
          f"**text differs: {clean['bad_text']}** "
          f"(all of rejects, missing and these should be 0); NewsMill wall {clean['wall']:.2f} s")
        for ex in clean["examples"]:
            P(f"- {ex}")
        if fix is not None:
            P(f"\nftfy on the same texts (same settings): mojibake fix applied to {ft_enc}, text changed "
              f"(whitespace removed, NFC) in {ft_text}")
            for ex in ft_examples:
                P(f"- {ex}")
        P("")

    total = time.perf_counter() - t_start

    P("## Timing\n")
    P(f"- NewsMill run on {len(samples)} samples: {nm_wall:.2f} s wall")
    P(f"- chardet on {len(peer_keys)} samples: {t_cd:.2f} s ({1000 * t_cd / max(1, len(peer_keys)):.2f} ms each)")
    P(f"- charset-normalizer on {len(peer_keys)} samples: {t_cn:.2f} s ({1000 * t_cn / max(1, len(peer_keys)):.2f} ms each)")
    if mojibake:
        P(f"- NewsMill run on {mojibake['samples']} mojibake samples: {mojibake['newsmill_wall']:.2f} s wall")
        if mojibake["ftfy_samples"]:
            n = mojibake["ftfy_samples"]
            P(f"- ftfy on {n} mojibake samples: {mojibake['ftfy_seconds']:.2f} s "
              f"({1000 * mojibake['ftfy_seconds'] / n:.2f} ms each)")
    P(f"- whole evaluation: {total:.1f} s; files in {work}")

    # machine-readable copy next to the tars
    res = {
        "command": [sys.executable, *sys.argv], "newsmill_command": nm_cmd, "seed": SEED,
        "chardet": v_cd, "charset_normalizer": v_cn, "samples": len(samples), "peer_samples": len(peer_keys),
        "cells": [{"tool": t, "encoding": e, "length": l, **c} for (t, e, l), c in sorted(enc_ok.items())],
        "skips": [{"encoding": e, "length": l, "reason": r, "n": n} for (e, l, r), n in sorted(skips.items())],
        "newsmill_rejects": dict(nm_rej_codes),
        "timing": {"newsmill_wall": nm_wall, "chardet": t_cd, "charset_normalizer": t_cn, "total": total},
        "mojibake": mojibake,
        "damaged": damaged,
        "clean": None if clean is None else {k: (dict(v) if isinstance(v, collections.Counter) else v)
                                             for k, v in clean.items()},
    }
    (work / "results.json").write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
