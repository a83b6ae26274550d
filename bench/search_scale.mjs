// Search at scale, tsunagari and Pagefind on the same generated portal, in one run:
//   node bench/search_scale.mjs [PAGES ...]        (default: 1000 10000 50000)
// For each size: generates the portal with ../shared/bench/gen_portal.py into bench/work/<N>/ours
// (kept for the next run), builds it with the release binary (TSUNAGARI_BIN to override) into
// /dev/shm, reads the search index phases the build prints, then indexes the same built pages with
// Pagefind (bench/node_modules: `cd bench && npm ci`; content pages only, inside <main>, as
// bench/search_quality.mjs does), and measures what a fresh, cache-less browser downloads for a
// first query with each (gzipped bodies counted at the server: bench/first_query.mjs).
// Prints one JSON object per size. Index build times: tsunagari's search phases (tokenize,
// group+impacts, write; they run after rendering) and Pagefind's whole run over the built site.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const shared = process.env.SHARED || path.resolve(repo, '../shared');
const { serve, launch } = await import(path.join(repo, 'tests/browser/server.mjs'));
const Q = await import(path.join(repo, 'tests/browser/search_quality.mjs'));
const { counter, isTsunagariIndex } = await import(path.join(here, 'first_query.mjs'));
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10000, 50000];
const queries = (process.env.QUERIES || '観光,島,まちづくり,観光 デザイン').split(',');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/release/tsunagari');
const pagefind = process.env.PAGEFIND || path.join(here, 'node_modules/.bin/pagefind');
if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--release', '--locked', '--quiet'], { cwd: repo, stdio: 'inherit' });
if (!existsSync(pagefind)) throw new Error('needs pagefind: cd bench && npm ci');

/** Files and bytes under a folder. */
function usage(dir) {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, MB: +(bytes / 1e6).toFixed(1) };
}

/** Milliseconds of each search phase from the build's summary ("search index: tokenize 820 ms, …"). */
function phases(text) {
  const line = /search index: (.*)/.exec(text);
  if (!line) throw new Error('the build printed no search phases:\n' + text.slice(-2000));
  return Object.fromEntries([...line[1].matchAll(/([a-z+ ]+?) (\d+) ms/g)].map((m) => [m[1].trim(), Number(m[2])]));
}

async function measure(n) {
  const content = path.join(here, 'work', String(n), 'ours');
  if (!existsSync(content)) {
    mkdirSync(path.dirname(content), { recursive: true });
    execFileSync('python3', [path.join(shared, 'bench/gen_portal.py'), '--pages', String(n), '--out', content], { stdio: 'ignore' });
  }
  const out = `/dev/shm/tsunagari-search-scale-${n}`;
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  const built = spawnSync(bin, ['build', '--root', content, '--output', out, '--now', Q.NOW, '--lang', 'en'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const buildMs = performance.now() - t0;
  if (built.status !== 0) throw new Error(built.stderr.slice(-2000));
  rmSync(path.join(content, '.tsunagari-cache'), { recursive: true, force: true });
  const ours = phases(built.stderr);

  const cfg = path.join(`/dev/shm/tsunagari-search-scale-pf-${n}`);
  mkdirSync(cfg, { recursive: true });
  writeFileSync(path.join(cfg, 'pagefind.yml'), [
    `site: ${out}`,
    `glob: "{challenges,cases,columns}/*/index.html"`,
    `root_selector: main`,
    `exclude_selectors: [".similar", ".share", ".apply", "nav"]`,
    `force_language: ja`,
    '',
  ].join('\n'));
  // Pagefind 1.6.0 needs about 20 GB at 50,000 pages (killed by the OOM killer on a 23 GB
  // machine): PAGEFIND_MAX_PAGES (default 20000) skips it above that size.
  const t1 = performance.now();
  let pagefindFailed = n > Number(process.env.PAGEFIND_MAX_PAGES || 20000) ? 'skipped (PAGEFIND_MAX_PAGES)' : null;
  if (!pagefindFailed) {
    const run = spawnSync(pagefind, [], { cwd: cfg, stdio: 'ignore' });
    if (run.status !== 0) pagefindFailed = `exit ${run.status ?? run.signal}`;
  }
  const pagefindMs = performance.now() - t1;
  rmSync(cfg, { recursive: true, force: true });

  const { server, url: base } = await serve(out);
  const firstQueryBytes = counter(server, base);
  const browser = await launch();
  const first = [];
  const somePage = readdirSync(path.join(out, 'challenges'), { withFileTypes: true }).find((e) => e.isDirectory()).name;
  for (const q of queries) {
    let ourResults = 0;
    const t = await firstQueryBytes(
      browser,
      async (p) => {
        await p.goto(base + 'search/?q=' + encodeURIComponent(q));
        await p.waitForFunction(() => window.tsunagariSearch, null, { timeout: 120000 });
        ourResults = await p.evaluate(() => window.tsunagariSearch.results);
      },
      isTsunagariIndex,
      (p) => /^\/assets\/search[^/]*\.js$/.test(p),
    );
    let theirResults = 0;
    const pf = pagefindFailed ? { index: NaN, files: 0, client: NaN } : await firstQueryBytes(
      browser,
      async (p) => {
        await p.goto(base + 'challenges/' + somePage + '/');
        theirResults = await p.evaluate(async (q) => (await (await import('/pagefind/pagefind.js')).search(q)).results.length, q);
        await Q.pagefindResults(p, q);
      },
      (p) => p.startsWith('/pagefind/') && p !== '/pagefind/pagefind.js' && !/^\/pagefind\/wasm\./.test(p),
      (p) => p === '/pagefind/pagefind.js' || /^\/pagefind\/wasm\./.test(p),
    );
    const kB = (x) => +(x / 1000).toFixed(1);
    first.push({ query: q, tsunagari: { results: ourResults, index_kB: kB(t.index), files: t.files }, pagefind: { results: theirResults, index_kB: kB(pf.index), files: pf.files, client_kB: kB(pf.client) } });
  }
  await browser.close();
  server.close();
  const result = {
    pages: n,
    tsunagari: {
      build_s: +(buildMs / 1000).toFixed(2),
      search_phases_ms: ours,
      search_index_ms: Object.values(ours).reduce((a, b) => a + b, 0),
      index: usage(path.join(out, 'search')),
    },
    pagefind: pagefindFailed ? { failed: pagefindFailed, after_ms: Math.round(pagefindMs) } : { index_ms: Math.round(pagefindMs), index: usage(path.join(out, 'pagefind')) },
    first_query: first,
  };
  rmSync(out, { recursive: true, force: true });
  return result;
}

for (const n of sizes) console.log(JSON.stringify(await measure(n), null, 1));
