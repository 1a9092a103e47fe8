#!/usr/bin/env bash
# Checks that NewsMill's output can be queried as documented in docs/output.md, with DuckDB and pandas.
#
# Usage: Scripts/check-analytics.sh          (after `swift build`; NEWSMILL=/path/to/newsmill to override)
#
# It makes a throwaway virtualenv, installs duckdb and pandas, runs newsmill on corpus/ into a
# temp folder `out`, runs the queries below from the folder holding `out`, prints their results
# and checks them against out/report.json. Last line: `analytics: N passed, M failed`.
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

echo "== virtualenv (duckdb, pandas) in $WORK/venv"
if ! python3 -m venv "$WORK/venv" 2>/dev/null; then
    echo "python3 -m venv failed; installing python3-venv" >&2
    rm -rf "$WORK/venv"
    apt-get install -y python3-venv >/dev/null
    python3 -m venv "$WORK/venv"
fi
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check duckdb pandas

echo "== newsmill run corpus -o $WORK/out"
status=0
(cd "$ROOT" && "$NEWSMILL" run corpus -o "$WORK/out" -q) || status=$?
# 0: all good; 3: finished with rejects (the corpus holds deliberately broken members).
if [[ $status -ne 0 && $status -ne 3 ]]; then
    echo "check-analytics: newsmill failed with exit status $status" >&2
    exit 1
fi

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
            if re.match(r"^[0-9]{4}-[0-9]{2}", d["value"]):
                expected[d["value"][:7]] = expected.get(d["value"][:7], 0) + 1
top = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
check("duckdb: date mentions by month equal the records' dates", months == top and len(top) > 0,
      f"duckdb={months} records={top}")

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

print(f"\nanalytics: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
