#!/usr/bin/env bash
# Fuzzes NewsMill's decoders, charset detection, normalizer and extractors with libFuzzer (and
# AddressSanitizer), seeded with the sample corpus sources.
#
#   Scripts/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET ...]
#
# Targets: decode (charset detection and UTF-8 repair), txt, html, jsonl, json, csv (member
# decoders), normalize (the normalize stage, and that it is idempotent), extract (every text stage
# but entities, with the offsets of every mention checked), entities (NER and quotes on top).
# Each target keeps its growing corpus in .build-fuzz/corpus/TARGET, so later runs go on from
# there; an input that crashes, breaks an invariant or runs over FUZZ_TIMEOUT seconds is saved in
# .build-fuzz/findings/TARGET/ and the script exits 1. Prints one line per target: seconds,
# executions, coverage, new findings. FUZZ_SEED fixes libFuzzer's random seed (the CI smoke run
# does, so that it is repeatable); FUZZ_TIMEOUT, FUZZ_MAX_LEN bound one input; FUZZ_NO_BUILD=1 runs
# the binary as it is (a second run beside one in progress must not rebuild under it).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode txt html jsonl json csv normalize extract entities)
scratch=.build-fuzz
timeout_s=${FUZZ_TIMEOUT:-10}
max_len=${FUZZ_MAX_LEN:-65536}
seed_arg=()
[ -z "${FUZZ_SEED:-}" ] || seed_arg=(-seed="$FUZZ_SEED")

[ -n "${FUZZ_NO_BUILD:-}" ] || NEWSMILL_FUZZ=1 swift build -c release --scratch-path "$scratch" --product newsmill-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; } >&2
binary=$scratch/release/newsmill-fuzz
export NEWSMILL_MODELS=${NEWSMILL_MODELS:-$PWD/models}

seed() {  # seed TARGET DIR: copies the corpus sources that fit the target into DIR
    local src=Scripts/corpus/src
    case $1 in
        html) cp $src/web/*.html "$2"/ ;;
        jsonl) cp $src/dumps/*.jsonl "$2"/ ;;
        csv) cp $src/dumps/*.csv "$2"/ ;;
        json) local i=0; while IFS= read -r line; do i=$((i + 1)); printf '[%s]\n' "$line" > "$2/row-$i.json"; done < $src/dumps/feed.jsonl ;;
        decode) cp $src/ru/*.txt $src/uk/*.txt $src/en/*.txt "$2"/; cp Scripts/corpus/src-legacy/* "$2"/;
                iconv -c -f utf-8 -t cp1251 $src/ru/2024-03-01-most-remont.txt > "$2/cp1251.txt";
                iconv -c -f utf-8 -t koi8-r $src/ru/2024-03-02-avia-reys.txt > "$2/koi8r.txt";
                iconv -f utf-8 -t utf-16 $src/ru/2024-03-04-zerno-eksport.txt > "$2/utf16.txt" ;;
        *) cp $src/ru/*.txt $src/uk/*.txt $src/en/*.txt $src/reprints/*.txt "$2"/ ;;
    esac
}

status=0
printf '%-10s %8s %12s %8s %8s %9s\n' target seconds execs exec/s cov findings
for target in "${targets[@]}"; do
    corpus=$scratch/corpus/$target
    artifacts=$scratch/findings/$target
    mkdir -p "$corpus" "$artifacts"
    [ -n "$(ls -A "$corpus")" ] || seed "$target" "$corpus"
    before=$(ls "$artifacts" | wc -l)
    log=$scratch/$target.log
    NEWSMILL_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$binary" "$corpus" \
        -max_total_time="$seconds" -timeout="$timeout_s" -max_len="$max_len" -rss_limit_mb=4096 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 "${seed_arg[@]}" > "$log" 2>&1 || true
    found=$(( $(ls "$artifacts" | wc -l) - before ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    printf '%-10s %8s %12s %8s %8s %9s\n' "$target" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$found"
    if [ "$found" -gt 0 ] || [ -z "$execs" ]; then
        status=1
        echo "  $target: see $log and $artifacts/" >&2
        grep -E 'ERROR|INVARIANT|deadly|timeout|Fatal error' "$log" | head -5 >&2 || true
    fi
done
exit $status
