# Sourced by the benchmark scripts that take one corpus folder: prints the calling script's header
# comment (lines 2-16) for -h/--help or a wrong argument count, then sets CORPUS (the folder,
# absolute) and REPO.
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
[[ ${1:-} == -h || ${1:-} == --help || $# -ne 1 ]] && { usage; exit $(( $# != 1 ? 2 : 0 )); }

CORPUS=$(cd "$1" && pwd)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
