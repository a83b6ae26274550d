// Search bandwidth benchmark: what a visitor's browser downloads for a first query.
//   node bench/search.mjs SITE_OUTPUT_DIR ["query" ...]
// Serves the built site on 127.0.0.1 with gzip (as a CDN would), opens /search/?q=… in a fresh
// Chromium context per query (empty cache), and sums the transfer sizes the browser reports
// (Network.loadingFinished encodedDataLength: headers and compressed bodies). Also reports the
// client script's gzipped size and the time from the last shard to results on screen.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { serve, launch } = await import(path.join(here, '../tests/browser/server.mjs'));
const root = path.resolve(process.argv[2] || 'public');
const queries = process.argv.length > 3 ? process.argv.slice(3) : ['観光', '観光 デザイン', '観光 デザイン 副業'];
const RUNS = Number(process.env.RUNS || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { server, url: base } = await serve(root);
const browser = await launch();
const rows = [];
async function once(q) {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = new Map();
  const sizes = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  await page.goto(base + 'search/?q=' + encodeURIComponent(q));
  await page.waitForFunction(() => window.tsunagariSearch, null, { timeout: 60000 });
  await page.waitForLoadState('networkidle');
  const info = await page.evaluate(() => window.tsunagariSearch);
  let index = 0;
  let pageBytes = 0;
  const parts = {};
  for (const [id, size] of sizes) {
    const u = new URL(urls.get(id) || base);
    // Every file under /search/ but the page itself (any index layout).
    const isIndex = /\/search\/.+/.test(u.pathname);
    if (isIndex) {
      index += size;
      const kind = u.pathname.includes('/s/') ? 'shards' : u.pathname.includes('/d/') ? 'docs' : u.pathname.includes('/t/') ? 'text' : u.pathname.endsWith('f.bin') ? 'facets' : 'manifest';
      parts[kind] = (parts[kind] || 0) + size;
    } else pageBytes += size;
  }
  await context.close();
  return { info, index, pageBytes, parts };
}

// Bytes are the same every run; times are the median of RUNS fresh, cache-less runs.
for (const q of queries) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push(await once(q));
  const { info, index, pageBytes, parts } = runs[0];
  const ms = (k) => +median(runs.map((x) => x.info[k])).toFixed(1);
  rows.push({ query: q, words: q.split(/\s+/).length, results: info.results, index_kB: +(index / 1000).toFixed(1), page_kB: +(pageBytes / 1000).toFixed(1), total_kB: +((index + pageBytes) / 1000).toFixed(1), parts_kB: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, +(v / 1000).toFixed(1)])), median_of: RUNS, shards_to_first_result_ms: ms('first_ms'), shards_to_full_page_ms: ms('ms'), rank_and_facets_ms: ms('rank_ms') });
}
await browser.close();
server.close();
// The client is search.js and the modules it imports (search-*.js), each served gzipped alone.
const scripts = readdirSync(path.join(root, 'assets')).filter((f) => /^search.*\.js$/.test(f));
const gz = scripts.reduce((n, f) => n + gzipSync(readFileSync(path.join(root, 'assets', f)), { level: 9 }).length, 0);
console.log(JSON.stringify({ client_script_gzip_kB: +(gz / 1000).toFixed(1), queries: rows }, null, 2));
