"""Helpers shared by the evaluation scripts in Scripts/eval (charset_eval.py, langid_eval.py).

Evaluation only: nothing here is used by NewsMill itself. Samples are written into uncompressed
tars outside the repo, `newsmill run` reads them, and its part files are read back by member name.
"""
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def add_common_args(ap, work, shared_help):
    """The options every evaluation takes: which newsmill, where the data is, where output goes,
    and the pipeline and jobs passed on to newsmill."""
    ap.add_argument("--newsmill", default=os.environ.get("NEWSMILL", str(REPO / ".build/release/newsmill")))
    ap.add_argument("--shared", default=str(REPO.parent / "shared" / "data"), help=shared_help)
    ap.add_argument("--work", default=work, help="where tars and NewsMill output go")
    ap.add_argument("--pipeline", help="pass --pipeline to newsmill (default: its own default)")
    ap.add_argument("--jobs", type=int, help="pass --jobs to newsmill")


def squash(s):
    """NFC, all whitespace removed: the text comparison used by every figure."""
    return "".join(unicodedata.normalize("NFC", s).split())


def read_utf8(path):
    with open(path, encoding="utf-8") as f:
        t = f.read()
    return t.lstrip("\ufeff")


def load_nerel(data_dir, split, keep=lambda entity: False):
    """NEREL articles of `split` ("all" for every split) as {doc_id: text}, and the gold entities
    `keep` accepts as {doc_id: [entity dict, ...]}."""
    docs = {}
    with open(data_dir / "documents.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if split == "all" or d["split"] == split:
                docs[d["doc_id"]] = read_utf8(data_dir / d["path"])
    gold = {k: [] for k in docs}
    with open(data_dir / "entities.jsonl", encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e["doc_id"] in gold and keep(e):
                gold[e["doc_id"]].append(e)
    return docs, gold


def pct(ok, n):
    return f"{100.0 * ok / n:.1f}% ({n})" if n else "– (0)"


def newsmill_path(arg, prog):
    """Absolute path of the binary to test; exits with a hint when it is missing."""
    newsmill = os.path.abspath(arg)
    if not (os.path.isfile(newsmill) and os.access(newsmill, os.X_OK)):
        sys.exit(f"{prog}: newsmill not found at {newsmill} (build it with `swift build -c release`, "
                 f"or set NEWSMILL / --newsmill)")
    return newsmill


def shared_data_dir(arg, marker):
    """--shared may name shared/data or shared/ itself; `marker` is a folder expected inside."""
    d = Path(arg)
    if not (d / marker).exists() and (d / "data" / marker).exists():
        d = d / "data"
    return d


def write_tar(path, items):
    """items: iterable of (member, bytes); uncompressed, fixed mtime, in the order given."""
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
        for member, data in items:
            ti = tarfile.TarInfo(member)
            ti.size = len(data)
            ti.mtime = 0
            ti.mode = 0o644
            tf.addfile(ti, io.BytesIO(data))


def run_newsmill(newsmill, tar, out, cwd, extra, prog="eval"):
    """`newsmill run TAR -o OUT -q` -> (cmd, wall seconds, {member: record}, {member: reject code})."""
    cmd = [newsmill, "run", str(tar), "-o", str(out), "-q"] + list(extra)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 3):
        sys.stderr.write(p.stdout[-4000:] + p.stderr[-4000:])
        sys.exit(f"{prog}: newsmill exited {p.returncode}: {shlex.join(cmd)}")
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


def prepare(args, prog, marker, fresh=False):
    """What every evaluation starts from, after add_common_args: the newsmill binary, the shared
    data folder (holding `marker`), the work folder (emptied first when `fresh`), and the extra
    `newsmill run` arguments for --pipeline/--jobs."""
    newsmill = newsmill_path(args.newsmill, prog)
    data = shared_data_dir(args.shared, marker)
    work = Path(args.work)
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    return newsmill, data, work, newsmill_extra(args.pipeline, args.jobs)


def wrong_answers_table(label, rows, tools, counters, top):
    """Markdown lines: one row per `rows` item, one column per (key, title) in `tools`, each cell
    the `top` most frequent wrong answers in counters[(tool key, row)] ("–" when none)."""
    lines = [f"| {label} | " + " | ".join(title for _key, title in tools) + " |", "|---|" + "---|" * len(tools)]
    for row in rows:
        cells = [", ".join(f"{answer} {n}" for answer, n in counters[(key, row)].most_common(top)) or "–" for key, _title in tools]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def newsmill_extra(pipeline=None, jobs=None):
    extra = []
    if pipeline:
        extra += ["--pipeline", os.path.abspath(pipeline)]
    if jobs:
        extra += ["--jobs", str(jobs)]
    return extra


def record_text(r):
    return (r.get("title") or "") + (r.get("text") or "")
