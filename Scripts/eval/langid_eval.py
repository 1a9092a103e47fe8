#!/usr/bin/env python3
"""Language-identification accuracy: NewsMill vs langdetect vs lingua.

Run through Scripts/eval/langid-eval.sh (it makes the virtualenv). Evaluation only: the sentences
are read from shared/data at run time and every generated file goes to --work (outside the repo).

Data: lang-sentences/<lang>.dev.txt (real UD treebank sentences, one per line; the train split is
what NewsMill's model is built from, so it is not used here) for ru uk be kk sr en de fr es pl.
Two settings, each its own uncompressed tar of one-line .txt members:
  * single: every dev sentence               -> single/<lang>/<nnnn>.txt
  * snip3:  consecutive, non-overlapping triples of dev sentences joined by a space (a last
            group of fewer than 3 is dropped)  -> snip3/<lang>/<nnnn>.txt
`newsmill run TAR -o OUT -q` reads each tar; records are mapped back by source.member. A record's
`lang` (ISO 639-1; missing, null or "und" all count as "und") is compared with the file's
language; a reject or a missing record also counts as "und".

Peers on the same strings:
  * langdetect (DetectorFactory.seed = 0): its top answer ("langdetect"), and the best of the ten
    in its full probability vector ("langdetect@10"). It has no model for be, kk or sr.
  * lingua (LanguageDetectorBuilder.from_languages(the ten)): its answer, None -> "und". Its
    Serbian model is Cyrillic; the sr dev sentences (UD Serbian-SET) are Latin script.
Any answer outside the ten is wrong. Everything is deterministic.
"""
import argparse
import collections
import json
import shlex
import sys
import time

from evalcommon import REPO, add_common_args, prepare, read_utf8, run_newsmill, write_tar, wrong_answers_table

LANGS = ["ru", "uk", "be", "kk", "sr", "en", "de", "fr", "es", "pl"]
LINGUA_NAMES = {"ru": "RUSSIAN", "uk": "UKRAINIAN", "be": "BELARUSIAN", "kk": "KAZAKH", "sr": "SERBIAN",
                "en": "ENGLISH", "de": "GERMAN", "fr": "FRENCH", "es": "SPANISH", "pl": "POLISH"}
SETTINGS = [("single", "single sentences", 1), ("snip3", "3-sentence snippets", 3)]
TOOLS = [("newsmill", "NewsMill"), ("langdetect", "langdetect"), ("langdetect10", "langdetect@10"),
         ("lingua", "lingua")]
LEN_BUCKETS = [(0, 20), (20, 50), (50, 100), (100, 200), (200, None)]
CONF_BINS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0000001]


def load(data_dir):
    """{lang: [sentence]} in file order."""
    out = {}
    for lang in LANGS:
        p = data_dir / "lang-sentences" / f"{lang}.dev.txt"
        if not p.is_file():
            sys.exit(f"langid-eval: missing {p}")
        out[lang] = [l.strip() for l in read_utf8(p).split("\n") if l.strip()]
    return out


def build(sentences, setting, k):
    """[(member, lang, text)] for one setting."""
    items = []
    for lang in LANGS:
        s = sentences[lang]
        for j in range(len(s) // k):
            items.append((f"{setting}/{lang}/{j:04d}.txt", lang, " ".join(s[j * k:(j + 1) * k])))
    return items


def newsmill_answer(rec, reject):
    """(code, confidence or None, how): code is one of LANGS, another code, or 'und'."""
    if rec is None:
        return "und", None, "reject" if reject is not None else "missing"
    lang = rec.get("lang")
    conf = rec.get("lang_confidence")
    if not isinstance(conf, (int, float)):
        conf = None
    if not isinstance(lang, str) or not lang.strip():
        return "und", conf, "no lang"
    return lang.strip().lower(), conf, "ok"


# ------------------------------------------------------------------------------------------ peers

class Peers:
    def __init__(self):
        from langdetect import DetectorFactory, detector_factory
        from langdetect.lang_detect_exception import LangDetectException
        from lingua import Language, LanguageDetectorBuilder
        DetectorFactory.seed = 0
        detector_factory.init_factory()
        self.ld_factory = detector_factory._factory
        self.ld_error = LangDetectException
        self.ld_index = {code: i for i, code in enumerate(self.ld_factory.langlist) if code in LANGS}
        self.lingua = LanguageDetectorBuilder.from_languages(
            *[getattr(Language, LINGUA_NAMES[c]) for c in LANGS]).with_preloaded_language_models().build()
        from importlib.metadata import version
        self.versions = {"langdetect": version("langdetect"), "lingua": version("lingua-language-detector")}
        self.t = collections.Counter()

    def langdetect(self, text):
        """(top answer, best of the ten)."""
        t0 = time.perf_counter()
        try:
            d = self.ld_factory.create()
            d.append(text)
            probs = d.get_probabilities()           # sets d.langprob: the full vector
            top = probs[0].lang if probs else "und"
            full = d.langprob
            ten = max(self.ld_index, key=lambda c: (full[self.ld_index[c]], -LANGS.index(c)))
            if full[self.ld_index[ten]] <= 0:
                ten = "und"
        except self.ld_error:
            top = ten = "und"
        self.t["langdetect"] += time.perf_counter() - t0
        return top, ten

    def lingua_answer(self, text):
        t0 = time.perf_counter()
        r = self.lingua.detect_language_of(text)
        self.t["lingua"] += time.perf_counter() - t0
        return r.iso_code_639_1.name.lower() if r is not None else "und"


# ---------------------------------------------------------------------------------------- report

def acc(ok, n):
    return f"{100.0 * ok / n:.1f}" if n else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(ap, "/work/bench/langid", "shared data folder (holding lang-sentences/), or shared/ itself")
    ap.add_argument("--no-peers", action="store_true", help="NewsMill only")
    ap.add_argument("--top", type=int, default=3, help="confusions shown per language")
    args = ap.parse_args()

    newsmill, data_dir, work, extra = prepare(args, "langid-eval", "lang-sentences")
    t_start = time.perf_counter()
    sentences = load(data_dir)
    peers = None if args.no_peers else Peers()
    tools = [t for t in TOOLS if peers is not None or t[0] == "newsmill"]

    res = {"command": [sys.executable, *sys.argv], "settings": {}}
    P = print
    P("# Language identification: NewsMill vs langdetect vs lingua\n")
    P("Command: `" + shlex.join([sys.executable, *sys.argv]) + "`  ")
    if peers is not None:
        P(f"langdetect {peers.versions['langdetect']} (seed 0), lingua {peers.versions['lingua']} "
          f"(restricted to the ten), Python {sys.version.split()[0]}  ")
    P("Dev sentences: " + ", ".join(f"{l} {len(sentences[l])}" for l in LANGS) + "\n")

    timing_lines = []
    for setting, title, k in SETTINGS:
        items = build(sentences, setting, k)
        tar = work / f"langid-{setting}.tar"
        write_tar(tar, ((m, (t + "\n").encode("utf-8")) for m, _l, t in items))
        cmd, wall, records, rejects = run_newsmill(newsmill, tar, work / f"out-{setting}", REPO, extra,
                                                   "langid-eval")
        if peers is not None:
            peers.t.clear()

        n = collections.Counter()
        ok = collections.Counter()                  # (tool, lang)
        und = collections.Counter()                 # lang -> NewsMill und
        how = collections.Counter()                 # NewsMill: ok / no lang / reject / missing
        confusion = collections.defaultdict(collections.Counter)   # (tool, lang) -> answer
        by_len = collections.Counter()              # (tool, bucket) -> ok ; ("n", bucket) -> n
        conf_bins = collections.Counter()           # (bin, "n"|"ok")
        conf_sum = collections.Counter()            # "ok"|"wrong" -> sum, count
        for member, lang, text in items:
            a, conf, h = newsmill_answer(records.get(member), rejects.get(member))
            how[h] += 1
            answers = {"newsmill": a}
            if peers is not None:
                answers["langdetect"], answers["langdetect10"] = peers.langdetect(text)
                answers["lingua"] = peers.lingua_answer(text)
            n[lang] += 1
            und[lang] += a == "und"
            b = next(i for i, (lo, hi) in enumerate(LEN_BUCKETS) if hi is None or len(text) < hi)
            by_len[("n", b)] += 1
            for tool, ans in answers.items():
                good = ans == lang
                ok[(tool, lang)] += good
                by_len[(tool, b)] += good
                if not good:
                    confusion[(tool, lang)][ans] += 1
            if conf is not None and a != "und":
                bi = next(i for i in range(len(CONF_BINS) - 1) if conf < CONF_BINS[i + 1])
                conf_bins[(bi, "n")] += 1
                conf_bins[(bi, "ok")] += a == lang
                key = "ok" if a == lang else "wrong"
                conf_sum[key + "_sum"] += conf
                conf_sum[key + "_n"] += 1

        # ---- accuracy table
        P(f"## {title.capitalize()}: accuracy % ({len(items)} samples)\n")
        P(f"NewsMill: `{shlex.join(cmd)}` (cwd {REPO})\n")
        hdr = ["lang", "n"] + [t for _k, t in tools] + ["NewsMill und %"]
        P("| " + " | ".join(hdr) + " |")
        P("|---|" + "---:|" * (len(hdr) - 1))
        macro = collections.defaultdict(list)
        for lang in LANGS:
            row = [lang, str(n[lang])]
            for tk, _t in tools:
                row.append(acc(ok[(tk, lang)], n[lang]))
                macro[tk].append(ok[(tk, lang)] / n[lang] if n[lang] else 0.0)
            row.append(acc(und[lang], n[lang]))
            macro["und"].append(und[lang] / n[lang] if n[lang] else 0.0)
            P("| " + " | ".join(row) + " |")
        total_n = sum(n.values())
        P("| **macro avg** | " + str(total_n) + " | "
          + " | ".join(f"**{100.0 * sum(macro[tk]) / len(LANGS):.1f}**" for tk, _t in tools)
          + f" | {100.0 * sum(macro['und']) / len(LANGS):.1f} |")
        P("| micro (all samples) | " + str(total_n) + " | "
          + " | ".join(acc(sum(ok[(tk, l)] for l in LANGS), total_n) for tk, _t in tools)
          + f" | {acc(sum(und.values()), total_n)} |")
        P("")
        notes = [f"NewsMill records: {how['ok']} with `lang`, {how['no lang']} without, "
                 f"{how['reject']} rejected, {how['missing']} missing (all but the first count as und)"]
        if conf_sum["ok_n"] + conf_sum["wrong_n"]:
            mean = lambda key: (f"{conf_sum[key + '_sum'] / conf_sum[key + '_n']:.3f} ({conf_sum[key + '_n']})"
                                if conf_sum[key + "_n"] else "–")
            notes.append(f"NewsMill mean lang_confidence: right answers {mean('ok')}, wrong answers {mean('wrong')}")
        P("; ".join(notes) + ".\n")

        # ---- by length
        P(f"### {title.capitalize()}: accuracy % by length in characters, all languages pooled\n")
        P("| chars | n | " + " | ".join(t for _k, t in tools) + " |")
        P("|---|---:|" + "---:|" * len(tools))
        for bi, (lo, hi) in enumerate(LEN_BUCKETS):
            if not by_len[("n", bi)]:
                continue
            label = f"{lo}-{hi - 1}" if hi else f"{lo}+"
            P(f"| {label} | {by_len[('n', bi)]} | "
              + " | ".join(acc(by_len[(tk, bi)], by_len[("n", bi)]) for tk, _t in tools) + " |")
        P("")

        # ---- NewsMill confidence bins
        if any(conf_bins[(i, "n")] for i in range(len(CONF_BINS) - 1)):
            P(f"### {title.capitalize()}: NewsMill accuracy by lang_confidence (answers other than und)\n")
            P("| lang_confidence | n | accuracy % |")
            P("|---|---:|---:|")
            for i in range(len(CONF_BINS) - 1):
                c = conf_bins[(i, "n")]
                if c:
                    hi = "1.0]" if CONF_BINS[i + 1] > 1 else f"{CONF_BINS[i + 1]:g})"
                    P(f"| [{CONF_BINS[i]:g}, {hi} | {c} | {acc(conf_bins[(i, 'ok')], c)} |")
            P("")

        # ---- confusions
        P(f"### {title.capitalize()}: top wrong answers per language (count)\n")
        ctools = [t for t in tools if t[0] in ("newsmill", "lingua", "langdetect")]
        for line in wrong_answers_table("lang", LANGS, ctools, confusion, args.top):
            P(line)
        P("")

        tl = f"- {title}: NewsMill {wall:.2f} s wall for {len(items)} samples (whole `newsmill run`)"
        if peers is not None:
            tl += (f"; langdetect {peers.t['langdetect']:.2f} s ({1000 * peers.t['langdetect'] / len(items):.2f} ms each)"
                   f"; lingua {peers.t['lingua']:.2f} s ({1000 * peers.t['lingua'] / len(items):.2f} ms each)")
        timing_lines.append(tl)
        res["settings"][setting] = {
            "newsmill_command": cmd, "newsmill_wall": wall, "samples": len(items),
            "peer_seconds": dict(peers.t) if peers is not None else None,
            "n": dict(n), "correct": {f"{t}:{l}": c for (t, l), c in sorted(ok.items())},
            "und": dict(und), "newsmill_records": dict(how),
            "confusion": {f"{t}:{l}": dict(c) for (t, l), c in sorted(confusion.items())},
        }

    total = time.perf_counter() - t_start
    P("## Timing\n")
    for tl in timing_lines:
        P(tl)
    P(f"- whole evaluation: {total:.1f} s (peers single-threaded; NewsMill time includes reading the tar "
      f"and every pipeline stage); files in {work}")
    res["total_seconds"] = total
    (work / "results.json").write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
