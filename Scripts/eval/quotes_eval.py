#!/usr/bin/env python3
"""Direct quotations: NewsMill's quotes stage scored on a hand-made gold standard of NEREL articles.

Run through Scripts/eval/quotes-eval.sh. Evaluation only: the articles are read from shared/data at
run time and every generated file goes to --work (outside the repo). The gold holds ids, offsets and
labels only (no article text, by the data's terms):
  * Scripts/eval/quotes-gold.docs.jsonl  one line per annotated article: doc_id, split, path, chars,
    sha1 of the text (a changed dataset is detected and the article is left out), quote and
    negative counts. Every direct quotation in these articles is annotated, so precision is
    measurable on them; articles with no quotation are listed too.
  * Scripts/eval/quotes-gold.jsonl       one line per span: doc_id, split, start, end (Python str
    offsets, end exclusive), label "quote" | "not_quote", speaker [start, end] | null,
    verb [start, end] | null.

Annotation guideline (how the gold was made, by reading every article; candidates were listed by a
script, every label is a human judgement):
  1. A quote is direct speech or writing reproduced word for word and attributed, explicitly or by
     context, to a speaker (person, group, organisation, publication, a statement's authors):
     «…», "…" and „…“ at the top level, dash-introduced lines, and also unmarked block quotations
     (a paragraph that reproduces a statement, tweet or letter after "X заявил:", "говорится:";
     Wikinews lost their blockquote markup). Partial quotes inside reported speech count
     ('назвал решение «ошибкой»', 'по словам X, «…»', 'отметил, что «…»') when the words are the
     speaker's. Headline quotes count.
  2. Not quotes (label not_quote, only for «…»/"…" spans, never nested inside a quote): names and
     titles (organisations, media, films, songs, ships, operations, events, laws and articles of a
     code), terms and labels ("режим самоизоляции", a diagnosis, a vote's «За»), nicknames and
     epithets ('пресса окрестила «свадьбой века»', 'известен как «пекинский мясник»'), scare quotes
     («накинули», «замыленном»), words mentioned as words ('слово «изменение»', 'фраза «…»'),
     and quoted wording of laws, constitutions and decrees that have no speaker.
  3. Span: text[start:end] is the inside of the marks, without the marks and without outer
     whitespace. A quote interrupted by its attribution inside one pair of marks
     («Я должен предположить, — сказал Буффье, — что…») is one span; two pairs of marks around an
     attribution ('«…», — сказал он. — «…»') are two spans. Nested marks belong to the quote. A
     block quotation runs from its first word to its last (over several paragraphs if needed) and
     includes its final punctuation; for '… — сказала Варвара' without marks the span stops before
     the dash.
  4. Speaker: the noun phrase naming the speaker, as in the text, nearest to the quote ("Сергей
     Лавров", "пресс-служба МВД", "собеседник агентства", "представитель Обамы"); a name is taken
     without its job title when both are there. A pronoun ("сказал он") is resolved to the nearest
     earlier naming. "говорится в заявлении полиции" -> "полиции"; a document with no named author
     -> null. The speaker may lie inside an interrupted quote.
  5. Verb: the attribution verb or phrase ("заявил", "сказала", "говорится", "по словам",
     "По её словам", "выразил соболезнования"); null when there is none (a colon after a name,
     "с этими словами").

Pipeline: each article becomes <doc_id>.txt in an uncompressed tar; NewsMill runs `entities` then
`quotes` (--no-entities: `quotes` alone; when the binary does not know `entities`, the script says
so and runs without it) with the txt headline split off and no `normalize`, so `text` is the
article byte for byte and offsets compare with the gold's; the script counts texts that differ.
--pred FILE scores a predictions file instead ({doc_id, quotes: [...]} per line, the record's
`quotes` field); each run also writes its predictions to --work/pred-newsmill.jsonl for that.

Metrics: a predicted quote matches a gold quote when their spans overlap by >= 50% of the longer
span (one to one, best overlap first) -> precision, recall, F1 on the annotated articles; exact
spans; exact after trimming punctuation and spaces at both edges. "FP on negatives": unmatched
predicted quotes overlapping a not_quote span. Speaker accuracy on matched quotes whose gold has a
speaker: the predicted speaker span, or a mention of the entity group it resolves to (a pronoun's
antecedent), overlaps the gold speaker span. Verb accuracy likewise: the
predicted verb (a string, the record has no verb offsets) shares a content word with the gold verb
text. Recall is also broken down by the kind of gold quote (marked / unmarked block; words).
"""
import argparse
import collections
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

from evalcommon import add_common_args, newsmill_extra, pct, prepare, read_utf8, run_newsmill, write_tar

HERE = Path(__file__).resolve().parent
PIPELINE_HEAD = """version: 1
input:
  txt:
    headline: false
stages:
"""
EDGE = " \t\n\u00a0.,;:!?…—–-\"'«»„“”()[]"
VERB_STOP = {"по", "в", "во", "на", "с", "со", "о", "об", "его", "её", "ее", "их", "он", "она", "они", "это", "этом", "как"}
OPEN_MARKS = "«\"„“'"


def load_gold(data_dir, gold_path, docs_path, split):
    """Annotated articles whose text still has the recorded sha1 -> ({doc_id: text}, {doc_id: spans}, changed ids)."""
    texts, changed = {}, []
    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if split != "all" and d["split"] != split:
                continue
            p = data_dir / d["path"]
            if not p.is_file():
                changed.append((d["doc_id"], "missing"))
                continue
            t = read_utf8(p)
            if hashlib.sha1(t.encode("utf-8")).hexdigest() != d["sha1"]:
                changed.append((d["doc_id"], "sha1 differs"))
                continue
            texts[d["doc_id"]] = t
    gold = {k: [] for k in texts}
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                g = json.loads(line)
                if g["doc_id"] in gold:
                    gold[g["doc_id"]].append(g)
    return texts, gold, changed


def pipeline_yaml(with_entities):
    return PIPELINE_HEAD + ("  - entities\n" if with_entities else "") + "  - quotes\n"


def validates(newsmill, path, cwd):
    p = subprocess.run([newsmill, "validate", str(path)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode == 0, p.stdout.strip()


def newsmill_predict(args, newsmill, work, texts):
    """Run newsmill over the annotated articles -> ({doc_id: quotes}, notes for the report)."""
    tar = work / "quotes-gold.tar"
    write_tar(tar, [(f"{k}.txt", texts[k].encode("utf-8")) for k in sorted(texts)])
    notes = []
    if args.pipeline:
        pipeline = Path(args.pipeline)
    else:
        pipeline = work / "quotes.yaml"
        with_entities = not args.no_entities
        pipeline.write_text(pipeline_yaml(with_entities), encoding="utf-8")
        ok, msg = validates(newsmill, pipeline, work)
        if not ok and with_entities:
            pipeline.write_text(pipeline_yaml(False), encoding="utf-8")
            ok2, msg2 = validates(newsmill, pipeline, work)
            if ok2:
                notes.append("the binary has no `entities` stage: ran `quotes` alone (speaker.entity stays null)")
                ok, msg = ok2, msg2
        if not ok:
            sys.exit(f"quotes-eval: newsmill does not accept the pipeline {pipeline}:\n{msg}")
    out = work / "newsmill-out"
    cmd, wall, records, rejects = run_newsmill(newsmill, tar, out, work, newsmill_extra(str(pipeline), args.jobs), "quotes-eval")
    preds, differing, missing = {}, [], []
    for k, text in texts.items():
        r = records.get(f"{k}.txt")
        if r is None:
            missing.append(k)
            preds[k] = []
            continue
        if r.get("text") != text:
            differing.append((k, "text differs only by the trailing newline" if r.get("text") == text.rstrip("\n") else "text differs"))
        preds[k] = r.get("quotes") or []
        # A speaker resolved to an entity group ("сказал он" -> Владимир Сливяк) is right when any
        # mention of that group is the gold speaker: the group's spans go with the prediction.
        for q in preds[k]:
            sp = q.get("speaker")
            if sp and sp.get("group") is not None:
                sp["mentions"] = [[e["start"], e["end"]] for e in r.get("entities", []) if e.get("group") == sp["group"]]
    with open(work / "pred-newsmill.jsonl", "w", encoding="utf-8") as f:
        for k in sorted(preds):
            f.write(json.dumps({"doc_id": k, "quotes": preds[k]}, ensure_ascii=False) + "\n")
    notes.append(f"newsmill: `{' '.join(cmd[1:])}`, {wall:.2f} s; rejects: {len(rejects)}; "
                 f"articles without a record: {len(missing)}")
    notes.append(f"NewsMill texts differing from the article: {len(differing)}"
                 + (" (" + ", ".join(f"{k}: {why}" for k, why in differing[:10]) + ")" if differing else ""))
    return preds, notes


def read_preds(path, texts):
    preds, notes, differing = {}, [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                preds[r["doc_id"]] = r.get("quotes") or []
                if "text" in r and r["doc_id"] in texts and r["text"] != texts[r["doc_id"]]:
                    differing.append(r["doc_id"])
    absent = [k for k in texts if k not in preds]
    notes.append(f"predictions from {path}: {sum(1 for k in preds if k in texts)} annotated articles, "
                 f"{len(absent)} absent (no quotes assumed)" + (f"; texts differing: {len(differing)}" if differing else ""))
    return {k: preds.get(k, []) for k in texts}, notes


def overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


def trimmed(text, s, e):
    while s < e and text[s] in EDGE:
        s += 1
    while e > s and text[e - 1] in EDGE:
        e -= 1
    return s, e


def verb_words(v):
    return {w for w in re.findall(r"\w+", v.lower().replace("ё", "е")) if w not in VERB_STOP}


def verb_ok(pred, gold):
    p, g = pred.lower().replace("ё", "е").strip(), gold.lower().replace("ё", "е").strip()
    return bool(p) and (p in g or g in p or bool(verb_words(p) & verb_words(g)))


def match(golds, preds):
    """One-to-one pairs (gold index, pred index) with overlap >= 50% of the longer span, best first."""
    cands = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            ov = overlap(g["start"], g["end"], p["start"], p["end"])
            longer = max(g["end"] - g["start"], p["end"] - p["start"])
            if longer and ov / longer >= 0.5:
                cands.append((ov / longer, -abs(g["start"] - p["start"]), i, j))
    used_g, used_p, pairs = set(), set(), []
    for _, _, i, j in sorted(cands, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def gold_kind(text, g):
    marked = g["start"] > 0 and text[g["start"] - 1] in OPEN_MARKS
    words = len(re.findall(r"\w+", text[g["start"]:g["end"]]))
    return ("marked" if marked else "unmarked block"), ("1-3 words" if words <= 3 else "4+ words")


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(texts, gold, preds, drop_forms=()):
    s = collections.Counter()
    forms = collections.Counter()
    kinds = collections.Counter()
    errors = {"missed": [], "false": [], "speaker": [], "verb": []}
    neg_hit = set()
    bad_offsets = 0
    for k, text in texts.items():
        gq = [g for g in gold[k] if g["label"] == "quote"]
        neg = [g for g in gold[k] if g["label"] == "not_quote"]
        pq = [p for p in preds.get(k, []) if p.get("form") not in drop_forms]
        for p in pq:
            if p.get("parts"):
                # A quotation the narrator cut: its pieces lie inside start..end, in order.
                edges = [p["start"]] + [x for part in p["parts"] for x in (part["start"], part["end"])] + [p["end"]]
                if edges != sorted(edges) or edges[1] != p["start"] or edges[-2] != p["end"]:
                    bad_offsets += 1
            elif p.get("text") is not None and text[p["start"]:p["end"]] != p["text"]:
                bad_offsets += 1
        s["gold"] += len(gq)
        s["pred"] += len(pq)
        s["neg"] += len(neg)
        pairs = match(gq, pq)
        s["tp"] += len(pairs)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        s["exact"] += len({(g["start"], g["end"]) for g in gq} & {(p["start"], p["end"]) for p in pq})
        tg = {trimmed(text, g["start"], g["end"]) for g in gq}
        s["exact_trim"] += len(tg & {trimmed(text, p["start"], p["end"]) for p in pq})
        for i, g in enumerate(gq):
            kind = gold_kind(text, g)
            for part in kind:
                kinds[(part, "gold")] += 1
                kinds[(part, "found")] += i in matched_g
            if i not in matched_g:
                errors["missed"].append((k, g["start"], g["end"]))
        for j, p in enumerate(pq):
            forms[(p.get("form"), "pred")] += 1
            forms[(p.get("form"), "tp")] += j in matched_p
            if j not in matched_p:
                hits = [n for n in neg if overlap(n["start"], n["end"], p["start"], p["end"])]
                if hits:
                    s["fp_neg"] += 1
                    neg_hit.update((k, n["start"]) for n in hits)
                errors["false"].append((k, p["start"], p["end"], "negative" if hits else ""))
        for i, j in pairs:
            g, p = gq[i], pq[j]
            if g["speaker"]:
                s["sp_gold"] += 1
                ps = p.get("speaker")
                spans = [(ps["start"], ps["end"])] + [tuple(m) for m in ps.get("mentions", [])] if ps else []
                if any(overlap(g["speaker"][0], g["speaker"][1], a, b) for a, b in spans):
                    s["sp_ok"] += 1
                else:
                    errors["speaker"].append((k, g["start"], g["speaker"], ps))
            if g["verb"]:
                s["v_gold"] += 1
                gv = text[g["verb"][0]:g["verb"][1]]
                if p.get("verb") and verb_ok(p["verb"], gv):
                    s["v_ok"] += 1
                else:
                    errors["verb"].append((k, g["start"], gv, p.get("verb")))
    s["neg_hit"] = len(neg_hit)
    s["bad_offsets"] = bad_offsets
    return s, forms, kinds, errors


def snippet(text, s, e, width=60):
    q = text[s:e].replace("\n", " ⏎ ")
    return q if len(q) <= width else q[: width // 2] + " … " + q[-width // 2:]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_args(ap, "/work/bench/quotes", "shared/data folder (holds nerel-ru-wikinews)")
    ap.add_argument("--split", default="all", choices=["all", "dev", "train"], help="annotated articles of this split (default: all)")
    ap.add_argument("--gold", default=str(HERE / "quotes-gold.jsonl"))
    ap.add_argument("--gold-docs", default=str(HERE / "quotes-gold.docs.jsonl"))
    ap.add_argument("--no-entities", action="store_true", help="run the quotes stage without the entities stage before it")
    ap.add_argument("--pred", help="score this predictions JSONL ({doc_id, quotes: [...]}) instead of running newsmill")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="list up to N misses, false quotes, speaker and verb errors (prints article text; keep it out of the repo)")
    args = ap.parse_args()

    if args.pred:
        from evalcommon import shared_data_dir
        data_root = shared_data_dir(args.shared, "nerel-ru-wikinews")
        work = Path(args.work)
    else:
        newsmill, data_root, work, _ = prepare(args, "quotes-eval", "nerel-ru-wikinews")
    data_dir = data_root / "nerel-ru-wikinews"
    if not (data_dir / "documents.jsonl").is_file():
        sys.exit(f"quotes-eval: no NEREL data at {data_dir}")
    texts, gold, changed = load_gold(data_dir, args.gold, args.gold_docs, args.split)
    if not texts:
        sys.exit("quotes-eval: no annotated article found (wrong --shared or --split?)")
    if args.pred:
        preds, notes = read_preds(args.pred, texts)
    else:
        preds, notes = newsmill_predict(args, newsmill, work, texts)

    n_gold = sum(1 for v in gold.values() for g in v if g["label"] == "quote")
    n_neg = sum(1 for v in gold.values() for g in v if g["label"] == "not_quote")
    n_sp = sum(1 for v in gold.values() for g in v if g["label"] == "quote" and g["speaker"])
    n_verb = sum(1 for v in gold.values() for g in v if g["label"] == "quote" and g["verb"])
    print(f"## Quotes on the hand-annotated NEREL articles ({args.split}): {len(texts)} articles, "
          f"{n_gold} gold quotes ({n_sp} with a speaker, {n_verb} with a verb), {n_neg} negatives\n")
    for note in notes:
        print(f"- {note}")
    if changed:
        print(f"- left out, dataset changed: {len(changed)} ({', '.join(f'{k}: {why}' for k, why in changed[:10])})")
    print()

    rows = [("all predicted quotes", ()), ("without form `reported`", ("reported",))]
    print("| predictions | predicted | gold | P / R / F1 (overlap ≥ 50%) | exact P / R | exact ± edge punct. P / R | FP on negatives (negatives hit) | speaker acc. | verb acc. |")
    print("|---|---|---|---|---|---|---|---|---|")
    results = {}
    for title, drop in rows:
        s, forms, kinds, errors = score(texts, gold, preds, drop)
        results[title] = (s, forms, kinds, errors)
        p, r, f = prf(s["tp"], s["pred"], s["gold"])
        ep, er, _ = prf(s["exact"], s["pred"], s["gold"])
        tp_, tr_, _ = prf(s["exact_trim"], s["pred"], s["gold"])
        print(f"| {title} | {s['pred']} | {s['gold']} | {p:.3f} / {r:.3f} / {f:.3f} | {ep:.3f} / {er:.3f} | "
              f"{tp_:.3f} / {tr_:.3f} | {s['fp_neg']} ({s['neg_hit']} of {s['neg']}) | "
              f"{pct(s['sp_ok'], s['sp_gold'])} | {pct(s['v_ok'], s['v_gold'])} |")
    s, forms, kinds, errors = results["all predicted quotes"]
    if s["bad_offsets"]:
        print(f"\nPredicted quotes whose `text` is not text[start:end]: {s['bad_offsets']}")

    print("\n| form | predicted | matched | precision |")
    print("|---|---|---|---|")
    for form in sorted({f for f, _ in forms}, key=lambda x: str(x)):
        n, tp = forms[(form, "pred")], forms[(form, "tp")]
        print(f"| {form} | {n} | {tp} | {pct(tp, n)} |")
    if not forms:
        print("| – | 0 | 0 | – |")

    print("\n| gold quotes | count | recall |")
    print("|---|---|---|")
    for part in ("marked", "unmarked block", "1-3 words", "4+ words"):
        n = kinds[(part, "gold")]
        print(f"| {part} | {n} | {pct(kinds[(part, 'found')], n)} |")

    if args.show:
        print(f"\n### Errors (first {args.show} of each)\n")
        for k, st, en in errors["missed"][: args.show]:
            print(f"- missed {k}:{st}-{en} «{snippet(texts[k], st, en)}»")
        for k, st, en, why in errors["false"][: args.show]:
            print(f"- false {k}:{st}-{en}{' (on a negative)' if why else ''} «{snippet(texts[k], st, en)}»")
        for k, st, gs, ps in errors["speaker"][: args.show]:
            got = f"{ps['text']!r} {ps['start']}-{ps['end']}" if ps else "null"
            print(f"- speaker {k}:{st} gold {texts[k][gs[0]:gs[1]]!r} {gs[0]}-{gs[1]}, predicted {got}")
        for k, st, gv, pv in errors["verb"][: args.show]:
            print(f"- verb {k}:{st} gold {gv!r}, predicted {pv!r}")


if __name__ == "__main__":
    main()
