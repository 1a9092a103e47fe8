#!/usr/bin/env bash
# Checks that NewsMill's output can be queried as documented in docs/output.md, with DuckDB and pandas.
#
# Usage: Scripts/check-analytics.sh          (after `swift build`; NEWSMILL=/path/to/newsmill to override)
#
# It makes a throwaway virtualenv, installs duckdb, pandas and zstandard (pandas' reader of .zst),
# runs newsmill on corpus/ into a temp folder `out`, runs the queries below from the folder holding
# `out`, prints their results and checks them against out/report.json. Then it runs again with
# `output.compression: zstd` and `gzip` (into `out-zstd`, `out-gzip`) and reads the compressed parts
# the same way, checking that they hold the same rows and that files of several frames are read
# whole. Last line: `analytics: N passed, M failed`.
#
# ---- Query text for docs/output.md (out = the folder given to `newsmill run -o`) -----------------
#
# DuckDB (SQL; nested fields are STRUCTs, reached with a dot):
#
#   SELECT dedup.status AS status, count(*) AS docs
#   FROM read_json_auto('out/part-*.jsonl')
#   GROUP BY ALL ORDER BY docs DESC;
#
#   SELECT title, source.archive, source.member, dedup.of
#   FROM read_json_auto('out/part-*.jsonl')
#   WHERE dedup.status = 'exact'
#   ORDER BY source.archive, source.member;
#
#   WITH RECURSIVE m(old, new) AS (
#     SELECT unnest(dedup.merges), dedup.cluster FROM read_json_auto('out/part-*.jsonl') WHERE len(dedup.merges) > 0),
#    final(id, cluster) AS (
#     SELECT id, dedup.cluster FROM read_json_auto('out/part-*.jsonl')
#     UNION SELECT f.id, m.new FROM final f JOIN m ON f.cluster = m.old)
#   SELECT id, cluster FROM final WHERE cluster NOT IN (SELECT old FROM m) ORDER BY cluster, id LIMIT 10;
#
#   SELECT left(d.value, 7) AS month, count(*) AS mentions
#   FROM (SELECT unnest(dates) AS d FROM read_json_auto('out/part-*.jsonl'))
#   WHERE regexp_matches(d.value, '^[0-9]{4}-[0-9]{2}')
#   GROUP BY ALL ORDER BY mentions DESC, month LIMIT 10;
#
#   -- Who is in the news: people by the documents that name them and the quotations they are
#   -- given (entities and quotes stages; exact duplicates counted once).
#   WITH docs AS (SELECT * FROM read_json_auto('out/part-*.jsonl') WHERE dedup.status <> 'exact'),
#    named AS (SELECT DISTINCT id, e.canonical AS person
#              FROM (SELECT id, unnest(entities) AS e FROM docs) WHERE e.type = 'PER'),
#    said AS (SELECT q.speaker.normal AS person, count(*) AS quotes
#             FROM (SELECT unnest(quotes) AS q FROM docs)
#             WHERE q.speaker.entity = 'PER' AND q.speaker.normal IS NOT NULL GROUP BY ALL)
#   SELECT person, count(*) AS documents, coalesce(any_value(said.quotes), 0) AS quotes
#   FROM named LEFT JOIN said USING (person)
#   GROUP BY person ORDER BY documents DESC, quotes DESC, person LIMIT 10;
#
# pandas (nested fields are dicts; .str[...] reaches into them, json_normalize flattens them):
#
#   import pandas as pd
#   from glob import glob
#   df = pd.concat((pd.read_json(p, lines=True) for p in sorted(glob('out/part-*.jsonl'))), ignore_index=True)
#   df['dedup'].str['status'].value_counts()
#
#   flat = pd.json_normalize(df.to_dict('records'))      # columns: source.archive, dedup.status, stats.words, ...
#   flat.loc[flat['dedup.status'] == 'exact', ['title', 'source.archive', 'source.member', 'dedup.of']]
#
# Compressed parts (output.compression: zstd or gzip) are read by the same calls, the compression
# told by the file name:
#
#   SELECT dedup.status AS status, count(*) AS docs
#   FROM read_json_auto('out/part-*.jsonl.zst')          -- or 'out/part-*.jsonl.gz'
#   GROUP BY ALL ORDER BY docs DESC;
#
#   df = pd.concat((pd.read_json(p, lines=True) for p in sorted(glob('out/part-*.jsonl.zst'))), ignore_index=True)
#
# ---------------------------------------------------------------------------------------------------
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NEWSMILL="${NEWSMILL:-$ROOT/.build/debug/newsmill}"
case "$NEWSMILL" in /*) ;; *) NEWSMILL="$ROOT/$NEWSMILL" ;; esac
if [[ ! -x "$NEWSMILL" ]]; then
    echo "check-analytics: newsmill not found at $NEWSMILL: run \`swift build\` first (or set NEWSMILL)" >&2
    exit 2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/newsmill-analytics.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

echo "== virtualenv (duckdb, pandas, zstandard) in $WORK/venv"
if ! python3 -m venv "$WORK/venv" 2>/dev/null; then
    echo "python3 -m venv failed; installing python3-venv" >&2
    rm -rf "$WORK/venv"
    apt-get install -y python3-venv >/dev/null
    python3 -m venv "$WORK/venv"
fi
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check duckdb pandas zstandard

echo "== newsmill run corpus -o $WORK/out"
status=0
(cd "$ROOT" && "$NEWSMILL" run corpus -o "$WORK/out" -q) || status=$?
# 0: all good; 3: finished with rejects (the corpus holds deliberately broken members).
if [[ $status -ne 0 && $status -ne 3 ]]; then
    echo "check-analytics: newsmill failed with exit status $status" >&2
    exit 1
fi
for codec in zstd gzip; do
    # The default pipeline with its output compressed.
    sed "s/^output:\$/output:\n  compression: $codec/" "$ROOT/Pipelines/default.yaml" >"$WORK/$codec.yaml"
    grep -q "^  compression: $codec\$" "$WORK/$codec.yaml" || { echo "check-analytics: no output section in Pipelines/default.yaml" >&2; exit 1; }
    echo "== newsmill run corpus --pipeline $codec.yaml -o $WORK/out-$codec"
    status=0
    (cd "$ROOT" && "$NEWSMILL" run corpus --pipeline "$WORK/$codec.yaml" -o "$WORK/out-$codec" -q) || status=$?
    if [[ $status -ne 0 && $status -ne 3 ]]; then
        echo "check-analytics: newsmill ($codec) failed with exit status $status" >&2
        exit 1
    fi
done

cd "$WORK"
"$WORK/venv/bin/python" - <<'PY'
import json
import re
import sys
from glob import glob

import duckdb
import pandas as pd

passed = failed = 0

def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")

report = json.load(open("out/report.json", encoding="utf-8"))
written = report["documents"]["written"]
by_status = {k: v for k, v in report.get("dedup", {}).items() if v}
print(f"report.json: documents.written={written}, dedup={by_status}")

# ---- DuckDB (same text as the comment block at the top) ----
STATUS_SQL = """
SELECT dedup.status AS status, count(*) AS docs
FROM read_json_auto('out/part-*.jsonl')
GROUP BY ALL ORDER BY docs DESC;
"""
EXACT_SQL = """
SELECT title, source.archive, source.member, dedup.of
FROM read_json_auto('out/part-*.jsonl')
WHERE dedup.status = 'exact'
ORDER BY source.archive, source.member;
"""
print("\n== DuckDB", duckdb.__version__)
print(STATUS_SQL.strip())
duckdb.sql(STATUS_SQL).show()
rows = duckdb.sql(STATUS_SQL).fetchall()
check("duckdb: documents counted equal report documents.written",
      written > 0 and sum(n for _, n in rows) == written, f"rows={rows} written={written}")
check("duckdb: counts by dedup.status equal report dedup", dict(rows) == by_status,
      f"duckdb={dict(rows)} report={by_status}")

print(EXACT_SQL.strip())
duckdb.sql(EXACT_SQL).show(max_width=200)
exact_rows = duckdb.sql(EXACT_SQL).fetchall()
check("duckdb: exact duplicates listed with member and canonical id",
      len(exact_rows) == by_status.get("exact", 0) > 0 and all(r[2] and r[3] for r in exact_rows),
      f"rows={len(exact_rows)} report={by_status.get('exact', 0)}")

CLUSTERS_SQL = """
WITH RECURSIVE m(old, new) AS (
  SELECT unnest(dedup.merges), dedup.cluster FROM read_json_auto('out/part-*.jsonl') WHERE len(dedup.merges) > 0),
 final(id, cluster) AS (
  SELECT id, dedup.cluster FROM read_json_auto('out/part-*.jsonl')
  UNION SELECT f.id, m.new FROM final f JOIN m ON f.cluster = m.old)
SELECT id, cluster FROM final WHERE cluster NOT IN (SELECT old FROM m) ORDER BY cluster, id LIMIT 10;
"""
print(CLUSTERS_SQL.strip())
duckdb.sql(CLUSTERS_SQL).show(max_width=200)
final = dict(duckdb.sql(CLUSTERS_SQL.replace(" ORDER BY cluster, id LIMIT 10", "")).fetchall())
parent = {}
def find(x):
    parent.setdefault(x, x)
    while parent[x] != x:
        x = parent[x]
    return x
records = [json.loads(line) for path in sorted(glob("out/part-*.jsonl")) for line in open(path, encoding="utf-8")]
for r in records:
    for merged in r["dedup"]["merges"]:
        a, b = find(merged), find(r["dedup"]["cluster"])
        if a != b:
            parent[a] = b
expected_clusters = {r["id"]: find(r["dedup"]["cluster"]) for r in records}
near = sum(1 for r in records if r["dedup"]["status"] == "near")
check("duckdb: final clusters equal the closure over cluster and merges, with near duplicates in them",
      final == expected_clusters and near > 0, f"differ={sum(1 for k in expected_clusters if final.get(k) != expected_clusters[k])} near={near}")

MONTHS_SQL = """
SELECT left(d.value, 7) AS month, count(*) AS mentions
FROM (SELECT unnest(dates) AS d FROM read_json_auto('out/part-*.jsonl'))
WHERE regexp_matches(d.value, '^[0-9]{4}-[0-9]{2}')
GROUP BY ALL ORDER BY mentions DESC, month LIMIT 10;
"""
print(MONTHS_SQL.strip())
duckdb.sql(MONTHS_SQL).show()
months = duckdb.sql(MONTHS_SQL).fetchall()
expected = {}
for path in sorted(glob("out/part-*.jsonl")):
    for line in open(path, encoding="utf-8"):
        for d in json.loads(line).get("dates") or []:
            if d["value"] and re.match(r"^[0-9]{4}-[0-9]{2}", d["value"]):
                expected[d["value"][:7]] = expected.get(d["value"][:7], 0) + 1
top = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
check("duckdb: date mentions by month equal the records' dates", months == top and len(top) > 0,
      f"duckdb={months} records={top}")

PEOPLE_SQL = """
WITH docs AS (SELECT * FROM read_json_auto('out/part-*.jsonl') WHERE dedup.status <> 'exact'),
 named AS (SELECT DISTINCT id, e.canonical AS person
           FROM (SELECT id, unnest(entities) AS e FROM docs) WHERE e.type = 'PER'),
 said AS (SELECT q.speaker.normal AS person, count(*) AS quotes
          FROM (SELECT unnest(quotes) AS q FROM docs)
          WHERE q.speaker.entity = 'PER' AND q.speaker.normal IS NOT NULL GROUP BY ALL)
SELECT person, count(*) AS documents, coalesce(any_value(said.quotes), 0) AS quotes
FROM named LEFT JOIN said USING (person)
GROUP BY person ORDER BY documents DESC, quotes DESC, person LIMIT 10;
"""
print(PEOPLE_SQL.strip())
duckdb.sql(PEOPLE_SQL).show()
people = duckdb.sql(PEOPLE_SQL).fetchall()
named, said = {}, {}
for path in sorted(glob("out/part-*.jsonl")):
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if r["dedup"]["status"] == "exact":
            continue
        for person in {e["canonical"] for e in r.get("entities") or [] if e["type"] == "PER"}:
            named[person] = named.get(person, 0) + 1
        for q in r.get("quotes") or []:
            sp = q.get("speaker")
            if sp and sp.get("entity") == "PER" and sp.get("normal"):
                said[sp["normal"]] = said.get(sp["normal"], 0) + 1
expected_people = sorted(((p, n, said.get(p, 0)) for p, n in named.items()), key=lambda t: (-t[1], -t[2], t[0]))[:10]
check("duckdb: people by documents and quotes equal the records' entities and speakers",
      people == expected_people and len(people) > 0 and any(q > 0 for _, _, q in people),
      f"duckdb={people} records={expected_people}")

# ---- pandas (same text as the comment block at the top) ----
print("\n== pandas", pd.__version__)
df = pd.concat((pd.read_json(p, lines=True) for p in sorted(glob('out/part-*.jsonl'))), ignore_index=True)
counts = df['dedup'].str['status'].value_counts()
print(counts.to_string())
check("pandas: rows equal report documents.written", len(df) == written, f"rows={len(df)} written={written}")
check("pandas: value_counts of dedup.status equal report dedup",
      {k: int(v) for k, v in counts.items()} == by_status, f"pandas={counts.to_dict()} report={by_status}")

flat = pd.json_normalize(df.to_dict('records'))
exact = flat.loc[flat['dedup.status'] == 'exact', ['title', 'source.archive', 'source.member', 'dedup.of']]
with pd.option_context("display.width", 200, "display.max_colwidth", 60):
    print(exact.to_string())
check("pandas: json_normalize gives flat columns",
      {"source.archive", "source.member", "dedup.status", "stats.words"} <= set(flat.columns))
pairs = exact[['source.archive', 'source.member']].astype(object)
pairs = pairs.where(pairs.notna(), None).itertuples(index=False, name=None)
check("pandas: exact duplicates equal DuckDB's", sorted(pairs, key=str) == sorted(((r[1], r[2]) for r in exact_rows), key=str))

# ---- compressed parts: the same rows through the same readers ----
for codec, ext in (("zstd", "zst"), ("gzip", "gz")):
    print(f"\n== {codec}: out-{codec}/part-*.jsonl.{ext}")
    packed = json.load(open(f"out-{codec}/report.json", encoding="utf-8"))["output"]
    print({k: packed[k] for k in ("parts", "bytes", "compression", "compressed_bytes")})
    check(f"{codec}: report names .jsonl.{ext} parts and their compressed bytes",
          packed["compression"] == codec and packed["parts"] and all(p.endswith(f".jsonl.{ext}") for p in packed["parts"])
          and packed["bytes"] == report["output"]["bytes"] and 0 < packed["compressed_bytes"] < packed["bytes"],
          f"output={packed}")
    sql = STATUS_SQL.replace("out/part-*.jsonl", f"out-{codec}/part-*.jsonl.{ext}")
    duckdb.sql(sql).show()
    check(f"duckdb: {codec} parts give the plain output's rows by dedup.status",
          duckdb.sql(sql).fetchall() == rows, f"duckdb={duckdb.sql(sql).fetchall()} plain={rows}")
    packed_df = pd.concat((pd.read_json(p, lines=True) for p in sorted(glob(f"out-{codec}/part-*.jsonl.{ext}"))), ignore_index=True)
    check(f"pandas: {codec} parts give the plain output's rows", len(packed_df) == len(df) == written
          and packed_df['id'].tolist() == df['id'].tolist(), f"rows={len(packed_df)} plain={len(df)}")
    # A part larger than a frame (4 MiB uncompressed) is frames back to back; two copies of this
    # small part in one file are the same thing, and readers must take every frame, not the first.
    with open(f"twice.jsonl.{ext}", "wb") as twice:
        for _ in range(2):
            for p in sorted(glob(f"out-{codec}/part-*.jsonl.{ext}")):
                twice.write(open(p, "rb").read())
    n_duckdb = duckdb.sql(f"SELECT count(*) FROM read_json_auto('twice.jsonl.{ext}')").fetchall()[0][0]
    n_pandas = len(pd.read_json(f"twice.jsonl.{ext}", lines=True))
    check(f"{codec}: frames back to back are read whole by duckdb and pandas", n_duckdb == n_pandas == 2 * written,
          f"duckdb={n_duckdb} pandas={n_pandas} expected={2 * written}")

print(f"\nanalytics: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
