// Lighthouse figures of a built site on a phone profile (issue 14's "Done when").
//   (cd bench && npm ci)                      # once: Lighthouse, for this bench only
//   node bench/lighthouse.mjs SITE_OUTPUT_DIR [runs] [challenge path]
// Serves SITE_OUTPUT_DIR on 127.0.0.1 with gzip (tests/browser/server.mjs, as a CDN would) and
// runs Lighthouse's performance category with its default mobile profile (Moto G Power screen,
// simulated slow 4G and 4× CPU slowdown) on the home page, /challenges/ and one challenge (the
// first open one linked from the home page unless given), driving Debian's Chromium (CHROME_PATH,
// default /usr/bin/chromium). Prints one row per page: the median of `runs` (default 3) for
// the score, LCP, CLS, TBT, total transfer bytes and the number of requests.
// Not part of CI: figures depend on the machine (simulated throttling scales the observed CPU).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const here = path.dirname(fileURLToPath(import.meta.url));
const { serve } = await import(path.join(here, '../tests/browser/server.mjs'));

const root = path.resolve(process.argv[2] || 'public');
const RUNS = Number(process.argv[3] || 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The first challenge the home page links to (a card of an open one), else the first on the
 * challenge list, as a site path. */
function firstChallenge() {
  for (const page of ['index.html', 'challenges/index.html']) {
    const html = readFileSync(path.join(root, page), 'utf8');
    const m = html.match(/href="([^"]*\/challenges\/(?!page\/|status\/)[^"/]+\/)"/);
    if (m) return m[1];
  }
  throw new Error('no challenge linked from the home page or the list: give its path');
}

const { server, url } = await serve(root);
const pages = [
  ['home', '/'],
  ['list', '/challenges/'],
  ['challenge', process.argv[4] || firstChallenge()],
];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const rows = [];
try {
  for (const [name, p] of pages) {
    const pageUrl = new URL(p.replace(/^\//, ''), url).href;
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { lhr } = await lighthouse(pageUrl, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
      if (lhr.runtimeError) throw new Error(`${pageUrl}: ${lhr.runtimeError.message}`);
      const a = lhr.audits;
      runs.push({
        score: Math.round(lhr.categories.performance.score * 100),
        lcp: a['largest-contentful-paint'].numericValue,
        cls: a['cumulative-layout-shift'].numericValue,
        tbt: a['total-blocking-time'].numericValue,
        bytes: a['total-byte-weight'].numericValue,
        requests: a['network-requests'].details.items.length,
      });
    }
    const m = (k) => median(runs.map((r) => r[k]));
    rows.push({ name, path: decodeURI(p), score: m('score'), lcp: m('lcp'), cls: m('cls'), tbt: m('tbt'), bytes: m('bytes'), requests: m('requests') });
  }
} finally {
  await chrome.kill();
  server.close();
}

const version = spawnSync(process.env.CHROME_PATH || '/usr/bin/chromium', ['--version']).stdout?.toString().trim();
const lhVersion = JSON.parse(readFileSync(path.join(here, 'node_modules/lighthouse/package.json'), 'utf8')).version;
console.log(`Lighthouse ${lhVersion}, mobile profile (simulated throttling), ${version}, median of ${RUNS}`);
console.log('| page | path | score | LCP | CLS | TBT | transfer | requests |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.name} | \`${r.path}\` | ${r.score} | ${(r.lcp / 1000).toFixed(2)} s | ${r.cls.toFixed(3)} | ${Math.round(r.tbt)} ms | ${(r.bytes / 1024).toFixed(1)} KiB | ${r.requests} |`);
}
