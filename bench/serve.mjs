// Save-to-browser benchmark for `tsunagari serve`.
//   node bench/serve.mjs SITE_DIR [runs]
// Starts the release binary's dev server on SITE_DIR, opens one challenge in Chromium (the page
// carries the injected reload script, as a member of staff would have it), then saves edits to
// that challenge's file and measures, for each save, the time from the write to the browser
// having loaded the new page with the edit in it. Also prints the server's own update time.
// Edits: body text (the fast path), a theme (structure changes: re-assembly), a new challenge.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { launch } = await import(path.join(here, '../tests/browser/server.mjs'));
const site = path.resolve(process.argv[2]);
const RUNS = Number(process.argv[3] || 10);
const bin = path.join(here, '../target/release/tsunagari');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = spawn(bin, ['serve', '--root', site, '--port', '0', '--now', '2026-11-21', '--lang', 'en'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
const waiters = [];
server.stderr.on('data', (d) => {
  log += d.toString();
  for (const w of [...waiters]) w();
});
const waitLog = (re, from) =>
  new Promise((resolve) => {
    const check = () => {
      const m = log.slice(from).match(re);
      if (m) {
        waiters.splice(waiters.indexOf(check), 1);
        resolve(m);
      }
    };
    waiters.push(check);
    check();
  });
const started = Date.now();
const url = (await waitLog(/http:\/\/127\.0\.0\.1:\d+\//, 0))[0];
const initial = (await waitLog(/Built: .*\((\d+) ms\)/, 0))[1];
console.log(`initial in-memory build: ${initial} ms (server up after ${Date.now() - started} ms)`);

const dir = path.join(site, 'content/challenges');
const name = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== '_index.md').sort()[100];
const file = path.join(dir, name);
const original = readFileSync(file, 'utf8');
const pageUrl = `${url}challenges/${name.replace(/\.md$/, '')}/`;

// The reload signal as a tab receives it: an event stream of our own, timestamped here.
let lastSignal = 0;
{
  const http = await import('node:http');
  http.get(`${url}__tsunagari/events`, (res) => {
    res.setEncoding('utf8');
    res.on('data', (d) => {
      if (d.includes('event: reload')) lastSignal = performance.now();
    });
  });
}

const browser = await launch();
const page = await browser.newPage();
await page.goto(pageUrl);
// Let the late outputs of the first build settle.
await new Promise((r) => setTimeout(r, 3000));

async function measure(label, edit, marker, runs) {
  const browserMs = [];
  const signalMs = [];
  const serverMs = [];
  for (let i = 0; i < runs; i++) {
    const from = log.length;
    lastSignal = 0;
    // The open tab notes (on its own clock, which is this machine's) when the edit appears:
    // the injected client swaps the new body in, which the observer on <html> sees.
    await page.evaluate((m) => {
      window.__seen = 0;
      const o = new MutationObserver(() => {
        if (!window.__seen && document.body?.textContent.includes(m)) {
          window.__seen = performance.timeOrigin + performance.now();
          o.disconnect();
        }
      });
      o.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    }, marker(i));
    const t0 = performance.now();
    edit(i);
    // Or, when more pages changed than the server lists (a full reload for every tab), the load.
    const loaded = page
      .waitForEvent('load', { timeout: 120000 })
      .then(() => performance.timeOrigin + performance.now());
    const swapped = page
      .waitForFunction(() => window.__seen > 0, null, { timeout: 120000 })
      .then(() => page.evaluate(() => window.__seen));
    const seen = await Promise.race([loaded, swapped]);
    loaded.catch(() => {});
    swapped.catch(() => {});
    if (!(await page.content()).includes(marker(i))) throw new Error(`${label}: the page lacks the edit`);
    browserMs.push(seen - (performance.timeOrigin + t0));
    signalMs.push(lastSignal - t0);
    const m = await waitLog(/Rebuilt \d+ of \d+ pages \(([\d.]+) ms\)/, from);
    serverMs.push(Number(m[1]));
    // Let the late outputs (search, feeds) finish before the next save.
    await waitLog(/Search index and feeds updated/, from);
  }
  const f = (x) => x.toFixed(1);
  console.log(
    `${label}, ${runs} saves, medians: server update ${f(median(serverMs))} ms; save → reload signal ${f(median(signalMs))} ms; save → edit shown in the open tab ${f(median(browserMs))} ms (min ${f(Math.min(...browserMs))}, max ${f(Math.max(...browserMs))})`,
  );
  return { server: median(serverMs), signal: median(signalMs), shown: median(browserMs) };
}

try {
  const body = await measure(
    'body edit (fast path)',
    (i) => writeFileSync(file, `${original}\n計測用の追記 ${i} 回目。\n`),
    (i) => `計測用の追記 ${i} 回目。`,
    RUNS,
  );
  const themes = await measure(
    'theme edit (re-assembly)',
    (i) => writeFileSync(file, original.replace(/^themes: \[/m, `themes: [計測${i}, `)),
    (i) => `計測${i}`,
    Math.max(3, Math.floor(RUNS / 3)),
  );
  console.log(JSON.stringify({ initial_ms: Number(initial), body, themes }));
} finally {
  writeFileSync(file, original);
  await browser.close();
  server.kill();
}
