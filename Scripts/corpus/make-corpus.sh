#!/usr/bin/env bash
# Rebuild the sample news corpus in <repo>/corpus/ from Scripts/corpus/src/.
#
# Usage: Scripts/corpus/make-corpus.sh        (from any directory)
#
# Needs: bsdtar (apt: libarchive-tools), iconv, coreutils. No python, no network.
# Output is deterministic: every member is written from an mtree manifest with
# fixed mtime/owner/mode (no atime/ctime/inode numbers), members are sorted, gzip
# gets no timestamp, so two runs give byte-identical archives.
# corpus/000_e05233e226880e41.txt (the real sample article) is never touched.
set -euo pipefail

export LC_ALL=C.UTF-8 TZ=UTC   # UTF-8 locale: bsdtar needs it to convert names to CP866
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC=$HERE/src
LEGACY=$HERE/src-legacy
OUT=$ROOT/corpus
STAMP='2024-01-01 00:00:00 UTC'
EPOCH=1704067200

for tool in bsdtar iconv od awk dd grep; do
  command -v "$tool" >/dev/null || { echo "make-corpus: missing $tool (apt-get install -y libarchive-tools)" >&2; exit 1; }
done

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/newsmill-corpus.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/out"

# put ARCH SRC MEMBER: stage SRC as member MEMBER of archive staging dir ARCH.
put() {
  mkdir -p "$(dirname "$STAGE/$1/$3")"
  cp "$2" "$STAGE/$1/$3"
}
# put_crlf ARCH SRC MEMBER: same, with CRLF line endings.
put_crlf() {
  mkdir -p "$(dirname "$STAGE/$1/$3")"
  sed 's/$/\r/' "$2" > "$STAGE/$1/$3"
}

# mtree_escape STRING: every byte outside printable ASCII (and \ # = space) as \ooo.
mtree_escape() {
  printf '%s' "$1" | od -An -v -tu1 | awk '{
    for (i = 1; i <= NF; i++) {
      b = $i + 0
      if (b <= 32 || b >= 127 || b == 92 || b == 35 || b == 61) printf "\\%03o", b
      else printf "%c", b
    }
  }'
}

# cpio_nlink1 FILE: set c_nlink to 1 in every newc header of FILE (not the trailer).
cpio_nlink1() {
  local f=$1 off=0 size namesize filesize name
  size=$(stat -c %s "$f")
  while (( off + 110 <= size )); do
    [[ $(dd if="$f" bs=1 skip="$off" count=6 status=none) == 070701 ]] || break
    filesize=$((16#$(dd if="$f" bs=1 skip=$((off + 54)) count=8 status=none)))
    namesize=$((16#$(dd if="$f" bs=1 skip=$((off + 94)) count=8 status=none)))
    name=$(dd if="$f" bs=1 skip=$((off + 110)) count=$((namesize - 1)) status=none)
    [[ $name == 'TRAILER!!!' ]] && break
    printf '00000001' | dd of="$f" bs=1 seek=$((off + 38)) conv=notrunc status=none
    off=$(( (off + 110 + namesize + 3) / 4 * 4 ))
    off=$(( (off + filesize + 3) / 4 * 4 ))
  done
}

# pack ARCH OUTFILE BSDTAR-ARGS...: archive every file staged under ARCH, sorted by
# byte order, with fixed metadata, into OUTFILE.
pack() {
  local arch=$1 outfile=$2; shift 2
  local dir=$STAGE/$arch manifest=$STAGE/$arch.mtree path esc
  find "$dir" -exec touch -h -d "$STAMP" {} +
  {
    echo '#mtree'
    (cd "$dir" && find . -type f -printf '%P\n' | LC_ALL=C sort) | while IFS= read -r path; do
      esc=$(mtree_escape "$path")
      echo "$esc type=file mode=0644 uid=0 gid=0 time=$EPOCH.0 contents=$esc"
    done
  } > "$manifest"
  (cd "$dir" && bsdtar "$@" --uid 0 --gid 0 --uname '' --gname '' -cf "$outfile" "@$manifest")
  touch -d "$STAMP" "$outfile"
}

# --- 2024-03-wire.tar.gz: Russian wire copy up to 21 March (18 articles) ---------
for f in "$SRC"/ru/2024-03-0*.txt "$SRC"/ru/2024-03-1*.txt "$SRC"/ru/2024-03-2[01]-*.txt; do
  put wire "$f" "ru/$(basename "$f")"
done
pack wire "$STAGE/out/2024-03-wire.tar.gz" --format pax -z --options 'gzip:!timestamp'

# --- 2024-03-regions.tar.zst: later Russian articles + reprints of wire stories ----
for f in "$SRC"/ru/2024-03-2[2-8]-*.txt; do
  put regions "$f" "ru/$(basename "$f")"
done
put regions "$SRC/reprints/2024-03-11-vybory-sovet-vvinform.txt"  reprints/2024-03-11-vybory-sovet-vvinform.txt
put regions "$SRC/reprints/2024-03-07-teatr-premiera-telegram.txt" reprints/2024-03-07-teatr-premiera-telegram.txt
pack regions "$STAGE/out/2024-03-regions.tar.zst" --format pax --zstd

# --- 2024-03-ukr.tar.bz2: Ukrainian articles + reprint of a regions story ---------
for f in "$SRC"/uk/*.txt; do
  put ukr "$f" "uk/$(basename "$f")"
done
put ukr "$SRC/reprints/2024-03-24-miass-raschistka.txt" ru/2024-03-24-miass-raschistka.txt
pack ukr "$STAGE/out/2024-03-ukr.tar.bz2" --format pax -j

# --- 2024-04-agg.tar.xz: aggregator dump: reprints, exact duplicates, empty, binary -
put agg "$SRC/reprints/2024-03-02-avia-reys-yugpress.txt"          agg/2024-03-02-avia-reys-yugpress.txt
put agg "$SRC/reprints/2024-03-12-vinnytsia-biblioteka-chytaite.txt" agg/2024-03-12-vinnytsia-biblioteka-chytaite.txt
put agg "$SRC/reprints/2024-03-08-ferry-nordic-coast.txt"          agg/2024-03-08-ferry-nordic-coast.txt
put      agg "$SRC/ru/2024-03-05-pozhar-sklad.txt"      dups/pozhar-podolsk.txt       # byte-identical copy
put_crlf agg "$SRC/ru/2024-03-18-nalog-malyi-biznes.txt" dups/nalog-ip-crlf.txt       # same text, CRLF
mkdir -p "$STAGE/agg/misc"
: > "$STAGE/agg/misc/empty.txt"                                                      # 0 bytes
# 512 pseudo-random bytes (fixed LCG seed, so deterministic) with NULs: not text.
binesc='' x=20240101
for ((i = 0; i < 512; i++)); do
  x=$(( (x * 1103515245 + 12345) % 2147483648 ))
  b=$(( (x >> 16) & 255 ))
  (( i % 37 == 0 )) && b=0
  printf -v o '%03o' "$b"
  binesc+="\\$o"
done
printf "$binesc" > "$STAGE/agg/misc/binary.txt"
pack agg "$STAGE/out/2024-04-agg.tar.xz" --format gnutar -J

# --- 2024-04-mixed.zip: English articles, HTML page, CSV and JSONL dumps ----------
for f in "$SRC"/en/*.txt; do
  put mixed "$f" "news/en/$(basename "$f")"
done
put mixed "$SRC/web/article.html"       web/2024/04/kaluga-vodonapornaya-bashnya.html
put mixed "$SRC/dumps/lenta-style.csv"  dumps/lenta-style.csv
put mixed "$SRC/dumps/feed.jsonl"       dumps/feed.jsonl
pack mixed "$STAGE/out/2024-04-mixed.zip" --format zip

# --- 2024-04-legacy.7z: two articles + one cp1251 article -------------------------
put legacy "$SRC/ru/2024-03-29-turizm-baikal.txt" ru/2024-03-29-turizm-baikal.txt
put legacy "$SRC/ru/2024-04-01-sport-marafon.txt" ru/2024-04-01-sport-marafon.txt
mkdir -p "$STAGE/legacy/legacy"
iconv -f utf-8 -t cp1251 "$LEGACY/cp1251-article.utf8.txt" > "$STAGE/legacy/legacy/cp1251-article.txt"
pack legacy "$STAGE/out/2024-04-legacy.7z" --format 7zip

# --- 2024-05-nested.tar: ustar with an inner zip (3 articles) + one loose article --
put inner "$SRC/ru/2024-04-02-agro-teplica.txt"      ru/2024-04-02-agro-teplica.txt
put inner "$SRC/ru/2024-04-03-zheleznaya-doroga.txt" ru/2024-04-03-zheleznaya-doroga.txt
put inner "$SRC/reprints/2024-03-15-lipetsk-stal.txt" reprints/2024-03-15-lipetsk-stal.txt
mkdir -p "$STAGE/nested/bundle"
pack inner "$STAGE/nested/bundle/2024-05-bundle.zip" --format zip
put nested "$SRC/ru/2024-04-04-biblioteka-cifra.txt" loose/2024-04-04-biblioteka-cifra.txt
pack nested "$STAGE/out/2024-05-nested.tar" --format ustar

# --- 2024-05-cpio.cpio: SVR4 newc cpio, one article + a byte-identical copy -------
put cpio "$SRC/ru/2024-04-05-energetika-ges.txt" ru/2024-04-05-energetika-ges.txt
put cpio "$SRC/uk/2024-03-05-lviv-tramvai.txt"    uk/lviv-tramvai-kopiya.txt            # byte-identical copy
# cpio headers carry inode and device numbers, which bsdtar takes from the staged
# files even with an mtree manifest. Go through a ustar first (no inode/device), so
# the newc writer numbers inodes 1, 2, ... and writes device 0; then set each
# member's nlink (0 after the tar round trip) to 1 as a real cpio would have it.
pack cpio "$STAGE/cpio.tar" --format ustar
bsdtar --format newc -cf "$STAGE/out/2024-05-cpio.cpio" "@$STAGE/cpio.tar"
cpio_nlink1 "$STAGE/out/2024-05-cpio.cpio"
touch -d "$STAMP" "$STAGE/out/2024-05-cpio.cpio"

# --- 2024-06-damaged.zip: stored zip, one member's data patched so its CRC fails ---
put damaged "$SRC/ru/2024-04-09-vodoprovod-avariya.txt" ru/2024-04-09-vodoprovod-avariya.txt
put damaged "$SRC/ru/2024-04-10-zapovednik-rysi.txt"    ru/2024-04-10-zapovednik-rysi.txt
put damaged "$SRC/reprints/2024-03-16-dtp-trassa-chitaite.txt" reprints/2024-03-16-dtp-trassa-chitaite.txt
pack damaged "$STAGE/out/2024-06-damaged.zip" --format zip --options zip:compression=store
# Stored data is the plain text: turn "46" into "64" in the zapovednik member. The
# text stays valid UTF-8; only the CRC check reveals the damage.
marker='установлено 46 фотоловушек'
hits=$(grep -obUaF "$marker" "$STAGE/out/2024-06-damaged.zip" | cut -d: -f1) || true
[[ $(printf '%s\n' "$hits" | grep -c .) -eq 1 ]] || { echo "make-corpus: damage marker not unique" >&2; exit 1; }
off=$(( hits + $(printf '%s' 'установлено ' | wc -c) ))
printf '64' | dd of="$STAGE/out/2024-06-damaged.zip" bs=1 seek="$off" conv=notrunc status=none
touch -d "$STAMP" "$STAGE/out/2024-06-damaged.zip"

# --- 2024-06-win-names.zip: member names in CP866, UTF-8 flag (bit 11) clear ------
put winnames "$SRC/ru/2024-04-08-aeroport-terminal.txt"       'Новости/Новый терминал аэропорта Барнаула.txt'
put winnames "$SRC/reprints/2024-03-10-metro-sibinform.txt"   'Новости/Перепечатка - метро Новосибирска.txt'
pack winnames "$STAGE/out/2024-06-win-names.zip" --format zip --options zip:hdrcharset=CP866

# --- self-checks -------------------------------------------------------------------
failed=0
while IFS= read -r m; do
  bsdtar -xOf "$STAGE/out/2024-06-damaged.zip" "$m" >/dev/null 2>&1 || failed=$((failed + 1))
done < <(bsdtar -tf "$STAGE/out/2024-06-damaged.zip")
[[ $failed -eq 1 ]] || { echo "make-corpus: expected 1 failing member in damaged.zip, got $failed" >&2; exit 1; }

# --- publish: replace previous archives, keep everything else in corpus/ ----------
mkdir -p "$OUT"
shopt -s nullglob
for old in "$OUT"/*.tar "$OUT"/*.tar.gz "$OUT"/*.tgz "$OUT"/*.tar.zst "$OUT"/*.tar.bz2 \
           "$OUT"/*.tar.xz "$OUT"/*.zip "$OUT"/*.7z "$OUT"/*.cpio; do
  rm -f -- "$old"
done
shopt -u nullglob
for f in "$STAGE"/out/*; do
  cp -p "$f" "$OUT/"
done

echo "make-corpus: wrote $(ls "$STAGE"/out | wc -l) archives to $OUT"
(cd "$OUT" && for f in *; do
  [[ -f $f ]] || continue
  case $f in *.txt) printf '%8d  %s\n' "$(wc -c < "$f")" "$f" ;;
             *) printf '%8d  %s  (%d members)\n' "$(wc -c < "$f")" "$f" "$(bsdtar -tf "$f" | wc -l)" ;; esac
done)
