#!/usr/bin/env bash
# Checks the relative links of the documentation: every [text](path) and [text](path#anchor) in
# README.md and docs/*.md (or the Markdown files given) must name an existing file, and an anchor
# a heading of that file (GitHub's anchor rules). Web links are not checked.
#
# Usage: Scripts/check-links.sh [FILE.md ...]      exit status 1 when a link is broken
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- README.md docs/*.md; fi

python3 - "$@" <<'PY'
import os, re, sys

FENCE = re.compile(r'^\s*(```|~~~)')
LINK = re.compile(r'\[[^\]]*\]\(([^)\s]+)\)')
HEADING = re.compile(r'^#{1,6}\s+(.*?)\s*#*\s*$')

def outside_fences(path):
    """(line number, line) of every line outside code fences: links and headings in examples do not count."""
    in_fence = False
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence:
                yield number, line.rstrip('\n')

def anchors(path, cache={}):
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    if path not in cache:
        seen, found = {}, set()
        for _, line in outside_fences(path):
            heading = HEADING.match(line)
            if not heading:
                continue
            text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', heading.group(1))
            slug = re.sub(r'[^\w\- ]', '', text.lower()).replace(' ', '-')
            repeats = seen.get(slug, 0)
            seen[slug] = repeats + 1
            found.add(slug if repeats == 0 else f'{slug}-{repeats}')
        cache[path] = found
    return cache[path]

broken = checked = 0
for source in sys.argv[1:]:
    for number, line in outside_fences(source):
        for target in LINK.findall(re.sub(r'`[^`]*`', '', line)):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):
                continue
            checked += 1
            file_part, _, anchor = target.partition('#')
            path = os.path.normpath(os.path.join(os.path.dirname(source), file_part)) if file_part else source
            problem = None
            if not os.path.exists(path):
                problem = 'no such file'
            elif anchor and path.endswith('.md') and anchor not in anchors(path):
                problem = f'no heading #{anchor} in {path}'
            if problem:
                broken += 1
                print(f'{source}:{number}: {target}: {problem}')
print(f'links: {checked} checked, {broken} broken', file=sys.stderr)
sys.exit(1 if broken else 0)
PY
