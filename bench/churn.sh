#!/usr/bin/env bash
# Deploy churn: how many output files a sync (`rsync --delete`, by path and bytes) would upload or
# delete after adding one challenge dated the build day, and after a rebuild of unchanged content.
#   bench/churn.sh [SITE] [NOW]   (default: bench/work/10000/ours, made by
#   ../shared/bench/gen_portal.py when missing; 2026-11-21)
# Builds with the release binary (TSUNAGARI=… to use another) into a temporary folder on /dev/shm
# (else $TMPDIR) and deletes it at the end. Prints, for search/ and for the whole output: files
# new, removed, changed in bytes, and their total.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SITE=${1:-$HERE/work/10000/ours}
if [ ! -d "$SITE" ]; then
  mkdir -p "$(dirname "$SITE")"
  python3 "${SHARED:-$REPO/../shared}/bench/gen_portal.py" --pages 10000 --out "$SITE" >/dev/null
fi
NOW=${2:-2026-11-21}
if [ -z "${TSUNAGARI:-}" ]; then
  (cd "$REPO" && cargo build --release --locked -q)
  TSUNAGARI=$REPO/target/release/tsunagari
fi
BASE=/dev/shm
[ -d "$BASE" ] && [ -w "$BASE" ] || BASE=${TMPDIR:-/tmp}
WORK=$(mktemp -d "$BASE/churn.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

build() { "$TSUNAGARI" build --quiet --root "$1" --now "$NOW" --output "$2" 2>/dev/null; }

# Counts files of $1 against $2 (paths relative to each), optionally under a sub folder $3.
count() {
  local a=$1/${3:-} b=$2/${3:-}
  (cd "$a" && find . -type f | sort) >"$WORK/la"
  (cd "$b" && find . -type f | sort) >"$WORK/lb"
  local new removed changed=0
  new=$(comm -13 "$WORK/la" "$WORK/lb" | wc -l)
  removed=$(comm -23 "$WORK/la" "$WORK/lb" | wc -l)
  while IFS= read -r f; do
    cmp -s "$a/$f" "$b/$f" || changed=$((changed + 1))
  done < <(comm -12 "$WORK/la" "$WORK/lb")
  printf '%-8s %-10s new %5d  removed %5d  changed %5d  total %5d  (of %d files)\n' \
    "${3:-all}" "$4" "$new" "$removed" "$changed" $((new + removed + changed)) "$(wc -l <"$WORK/lb")"
}

cp -r "$SITE" "$WORK/site"
build "$WORK/site" "$WORK/A"
build "$WORK/site" "$WORK/A2"
mkdir -p "$WORK/site/content/challenges"
sed "s/@NOW@/$NOW/" "$HERE/churn-challenge.md" >"$WORK/site/content/challenges/churn-new.md"
build "$WORK/site" "$WORK/B"
echo "site: $SITE, --now $NOW; tsunagari $(git -C "$REPO" rev-parse --short HEAD)"
count "$WORK/A" "$WORK/A2" search unchanged
count "$WORK/A" "$WORK/A2" "" unchanged
count "$WORK/A" "$WORK/B" search +1-page
count "$WORK/A" "$WORK/B" "" +1-page
