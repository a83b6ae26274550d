// tsunagari's search and Pagefind side by side on the same pages and the same queries:
//   node bench/search_quality.mjs
// Builds tests/fixtures/sites/search-quality (TSUNAGARI_BIN, else target/release, else
// target/debug), indexes the built pages with Pagefind (PAGEFIND, else bench/node_modules/.bin:
// `cd bench && npm ci`), runs every query of tests/search/queries.json in Chromium through both
// (tsunagari's search page; Pagefind's JS API on a page of the same site), and prints precision@5,
// recall@10, zero-result rate per point, first-query bytes (gzipped, as the browser received them)
// and index build time (median of RUNS).
// Pagefind indexes what a site would mark with data-pagefind-body: the content pages only (no
// lists or term pages, which tsunagari's index leaves out too), inside <main>, without the related
// cards, share and apply boxes that repeat other pages' titles and the same form on every page.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { serve, launch } = await import(path.join(here, '../tests/browser/server.mjs'));
const Q = await import(path.join(here, '../tests/browser/search_quality.mjs'));
const { counter, isTsunagariIndex } = await import(path.join(here, 'first_query.mjs'));
const RUNS = Number(process.env.RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pick = (...ps) => ps.find((p) => p && existsSync(p));
const bin = pick(process.env.TSUNAGARI_BIN, path.join(Q.repo, 'target/release/tsunagari'), path.join(Q.repo, 'target/debug/tsunagari'));
const pagefind = pick(process.env.PAGEFIND, path.join(here, 'node_modules/.bin/pagefind'));
if (!bin || !pagefind) throw new Error('needs a built tsunagari (cargo build) and pagefind (cd bench && npm ci)');
const FIRST = process.env.FIRST_QUERY || '観光';

const set = Q.loadQueries();
const { dir } = Q.buildFixture(bin);
const site = path.join(dir, 'public');

// Index build times: tsunagari's search index phase (it runs beside rendering, printed by every
// build) and the whole build; Pagefind's whole run over the built pages.
const ours = [];
const whole = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const out = spawnSync(bin, ['build', '--root', dir, '--now', Q.NOW], { encoding: 'utf8' });
  whole.push(performance.now() - t0);
  const m = /search index[^0-9]*([0-9.]+) ms/.exec(out.stdout + out.stderr);
  if (m) ours.push(Number(m[1]));
}
const pages = [];
for (const kind of readdirSync(path.join(dir, 'content'), { withFileTypes: true })) {
  if (kind.isDirectory()) pages.push(`${kind.name}/*`);
  else if (kind.name.endsWith('.md') && !kind.name.startsWith('_')) pages.push(kind.name.slice(0, -3));
}
writeFileSync(path.join(dir, 'pagefind.yml'), [
  `site: public`,
  `glob: "{${pages.join(',')}}/index.html"`,
  `root_selector: main`,
  `exclude_selectors: [".similar", ".share", ".apply", "nav"]`,
  `force_language: ja`,
  '',
].join('\n'));
const theirs = [];
for (let r = 0; r < RUNS; r++) {
  rmSync(path.join(site, 'pagefind'), { recursive: true, force: true });
  const t0 = performance.now();
  execFileSync(pagefind, [], { cwd: dir, stdio: 'ignore' });
  theirs.push(performance.now() - t0);
}

const { server, url: base } = await serve(site);
const browser = await launch();

// Bytes as the server sent them (gzipped bodies, without headers): bench/first_query.mjs.
const firstQueryBytes = counter(server, base);

const judged = { tsunagari: [], pagefind: [] };
const page = await (await browser.newContext({ locale: 'ja-JP' })).newPage();
await page.goto(base + 'search/');
await page.waitForLoadState('networkidle');
for (const q of set.queries) judged.tsunagari.push(Q.judge(q, await Q.tsunagariResults(page, q.query), await Q.tsunagariSuggestion(page)));
for (const q of set.queries) judged.pagefind.push(Q.judge(q, await Q.pagefindResults(page, q.query)));

const bytes = {
  tsunagari: await firstQueryBytes(
    browser,
    async (p) => {
      await p.goto(base + 'search/?q=' + encodeURIComponent(FIRST));
      await p.waitForFunction(() => window.tsunagariSearch);
    },
    isTsunagariIndex,
    (p) => /^\/assets\/search[^/]*\.js$/.test(p),
  ),
  pagefind: await firstQueryBytes(
    browser,
    async (p) => {
      await p.goto(base + 'about/');
      await Q.pagefindResults(p, FIRST);
    },
    (p) => p.startsWith('/pagefind/'),
    (p) => p === '/pagefind/pagefind.js' || /^\/pagefind\/wasm\./.test(p),
  ),
};
await browser.close();
server.close();

const reports = { tsunagari: Q.report(set.queries, judged.tsunagari), pagefind: Q.report(set.queries, judged.pagefind) };
console.log(Q.table(reports));
const kB = (x) => +(x / 1000).toFixed(1);
const rounded = (m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === null ? null : +v.toFixed(3)]));
const fileCount = (d) => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
const summary = {
  queries: set.queries.length,
  first_query: FIRST,
  tsunagari: {
    ...rounded(reports.tsunagari.all),
    first_query_index_kB: kB(bytes.tsunagari.index),
    first_query_client_kB: kB(bytes.tsunagari.client),
    // search.js and the modules it imports, each served gzipped alone.
    client_script_gzip_kB: kB(
      readdirSync(path.join(site, 'assets'))
        .filter((f) => /^search.*\.js$/.test(f))
        .reduce((n, f) => n + gzipSync(readFileSync(path.join(site, 'assets', f)), { level: 9 }).length, 0),
    ),
    search_index_ms: ours.length ? median(ours) : null,
    whole_build_ms: Math.round(median(whole)),
  },
  pagefind: {
    ...rounded(reports.pagefind.all),
    first_query_index_kB: kB(bytes.pagefind.index),
    first_query_client_kB: kB(bytes.pagefind.client),
    index_ms: Math.round(median(theirs)),
    index_files: fileCount(path.join(site, 'pagefind')),
  },
  median_of: RUNS,
};
console.log(JSON.stringify(summary, null, 2));
const misses = (name) => set.queries.filter((_, i) => !judged[name][i].pass).map((q) => q.query).join(' ');
console.log(`tsunagari misses: ${misses('tsunagari')}\npagefind misses: ${misses('pagefind')}`);
rmSync(dir, { recursive: true, force: true });
