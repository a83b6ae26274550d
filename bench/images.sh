#!/usr/bin/env bash
# The image pipeline at scale: a portal of PAGES pages (gen_portal.py) whose first PHOTOS
# challenges get a photo each (examples/photos.rs: varied 1–3 MP JPEGs, every third with EXIF
# GPS and a camera serial) in static/images/photos/, then
#   cold: a build with an empty image cache (every photo decoded, resized, encoded),
#   warm: the same build again with the cache full (nothing encoded).
#   bench/images.sh [PAGES [PHOTOS]]      (default: 10000 1000)
# Prints wall time and peak RSS (GNU time -v), the pipeline's counts (images processed, files
# encoded) and the bytes of the output and of its processed images. Output on tmpfs (/dev/shm).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
# ../shared beside the repository, or two levels up from a worktree (/work/wt/<name>).
SHARED=${SHARED:-$( [ -d "$REPO/../shared" ] && cd "$REPO/../shared" || cd "$REPO/../../shared"; pwd)}
PAGES=${1:-10000}
PHOTOS=${2:-1000}
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
(cd "$REPO" && cargo build --release --locked -q && cargo build --release --locked -q --example photos)
TS=$REPO/target/release/tsunagari
W=$HERE/work/images-$PAGES-$PHOTOS
SHM=/dev/shm/tsunagari-images-$$
mkdir -p "$SHM"
trap 'rm -rf "$SHM"' EXIT
if [ ! -d "$W/site" ]; then
  python3 "$SHARED/bench/gen_portal.py" --pages "$PAGES" --out "$W/site" --force >/dev/null
  "$REPO/target/release/examples/photos" "$W/site/static/images/photos" "$PHOTOS" --exif-every 3
  # The first PHOTOS challenges (by file name) show photo i.
  python3 - "$W/site" "$PHOTOS" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
folder = os.path.join(root, "content", "challenges")
names = sorted(f for f in os.listdir(folder) if f.endswith(".md") and not f.startswith("_"))
for i, name in enumerate(names[:n]):
    path = os.path.join(folder, name)
    text = open(path, encoding="utf-8").read()
    assert text.startswith("---\n")
    add = f"image: /images/photos/photo-{i:04d}.jpg\nimage_alt: 町の風景（写真 {i}）\n"
    open(path, "w", encoding="utf-8").write("---\n" + add + text[4:])
PY
fi
echo "machine: $(nproc) cores; tsunagari $(git -C "$REPO" rev-parse --short HEAD); $PAGES pages, $PHOTOS photos ($(du -sh "$W/site/static/images/photos" | cut -f1))"
run() {
  rm -rf "$SHM/o"
  /usr/bin/time -v "$TS" build --root "$W/site" --output "$SHM/o" --now 2026-11-21 2>"$SHM/log" >/dev/null
  wall=$(grep 'Elapsed (wall clock)' "$SHM/log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$SHM/log" | awk '{print $NF}')
  images=$(grep -E '^(画像|images):' "$SHM/log" || true)
  out=$(du -sb "$SHM/o" | cut -f1)
  processed=$(du -sb "$SHM/o/images/_processed" | cut -f1)
  printf '%-5s wall %9s  peak RSS %5d MiB  output %6d MiB (processed images %5d MiB)  %s\n' \
    "$1" "$wall" $((rss / 1024)) $((out / 1048576)) $((processed / 1048576)) "$images"
}
rm -rf "$W/site/.tsunagari-cache"
run cold
run warm
rm -rf "$W/site/.tsunagari-cache"
