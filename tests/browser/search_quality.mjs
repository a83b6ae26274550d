// Search quality on tests/fixtures/sites/search-quality with the query set tests/search/queries.json:
// shared by the CI test (search_quality.test.mjs, tsunagari only) and the Pagefind comparison
// (bench/search_quality.mjs). Each query is typed into the real search page (or Pagefind's API in
// the same Chromium) and scored on the first ten results:
//   precision@5    of the (up to) five first results, the share that is `expect` or `also`
//                  (averaged over queries with at least one result)
//   recall@10      of `expect`, the share among the first ten results
//   zero results   the share of queries that find nothing (every query has expected pages)
//   pass           every `expect` in the first ten, `top` first, no `reject` in the first five
//   marked         of the results shown (first ten), the share whose excerpt has a <mark>
//   suggest        of the queries with a `suggest` field (typos that find nothing), the share whose
//                  「もしかして」 link is exactly that query
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const QUERIES = path.join(repo, 'tests/search/queries.json');
export const FIXTURE = path.join(repo, 'tests/fixtures/sites/search-quality');
/** The date the fixture is built at: it decides which challenges are closed. */
export const NOW = '2026-11-21';
export const POINTS = ['single-kanji', 'variants', 'normalisation', 'exact-positions', 'ranking-title', 'ranking-open', 'typo', 'baseline'];

export function loadQueries() {
  return JSON.parse(readFileSync(QUERIES, 'utf8'));
}

/** Copies the fixture to a temporary folder and builds it; returns the folder and the build's
 * wall time in milliseconds. */
export function buildFixture(bin) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-quality-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const t0 = performance.now();
  execFileSync(bin, ['build', '--quiet', '--root', dir, '--now', NOW], { stdio: 'inherit' });
  return { dir, ms: performance.now() - t0 };
}

/** The paths of tsunagari's results for `q`, in rank order, as the search page shows them:
 * `page` is the site's search page; the query is typed into its box and submitted, as a
 * visitor's next search (a fresh page per query costs a second each on a shared machine). */
export async function tsunagariResults(page, q) {
  await page.evaluate(() => { window.tsunagariSearch = undefined; });
  await page.fill('#search-q', q);
  await page.press('#search-q', 'Enter');
  // The client sets window.tsunagariSearch once the results (or none) are on screen.
  await page.waitForFunction(() => window.tsunagariSearch);
  const links = await page.$$eval('#search-results li', (lis) =>
    lis.map((li) => li.querySelector('a')).filter(Boolean).map((a) => new URL(a.href).pathname));
  return links.slice(0, 10);
}

/** Of the results on the search page now (up to ten), how many there are and how many show a
 * <mark> in their excerpt: the share of results whose excerpt shows the hit. */
export async function excerptMarks(page) {
  // A result takes its stored text once near the screen: bring each one there and wait until
  // its excerpt is final (`data-excerpt`).
  const items = page.locator('#search-results li');
  const n = Math.min(await items.count(), 10);
  for (let i = 0; i < n; i++) {
    await items.nth(i).scrollIntoViewIfNeeded();
    await page.waitForFunction((i) => document.querySelectorAll('#search-results li')[i].dataset.excerpt, i);
  }
  return page.$$eval('#search-results li', (lis) => {
    const top = lis.slice(0, 10);
    return { shown: top.length, marked: top.filter((li) => li.querySelector('.hit-excerpt mark')).length };
  });
}

/** The query tsunagari's search page offers as 「もしかして」 after `tsunagariResults`, or null. */
export async function tsunagariSuggestion(page) {
  return page.evaluate(() => window.tsunagariSearch.suggest ?? null);
}

/** Pagefind's results for `q` in the same browser: its own API on a page of the site. */
export async function pagefindResults(page, q) {
  return page.evaluate(async (q) => {
    const pf = await import('/pagefind/pagefind.js');
    const r = await pf.search(q);
    const rows = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return rows.map((d) => new URL(d.url, location.href).pathname.replace(/index\.html$/, ''));
  }, q);
}

/** Scores one query's results (and the suggestion offered, if the tool offers any). */
export function judge(query, got, suggestion = null) {
  const top5 = got.slice(0, 5);
  const relevant = new Set([...query.expect, ...(query.also || [])]);
  const found = query.expect.filter((p) => got.includes(p));
  const topOk = !query.top || got[0] === query.top;
  // A rejected page fails the query when it takes a place among the first five above a page
  // that belongs there (expected or fine); below all of them it only costs precision.
  const lastGood = Math.max(-1, ...got.map((p, i) => (relevant.has(p) ? i : -1)));
  const rejected = (query.reject || []).filter((p) => top5.includes(p) && got.indexOf(p) < lastGood);
  return {
    zero: got.length === 0,
    precision: top5.length ? top5.filter((p) => relevant.has(p)).length / top5.length : null,
    recall: found.length / query.expect.length,
    missing: query.expect.filter((p) => !got.includes(p)),
    topOk,
    rejected,
    pass: found.length === query.expect.length && topOk && rejected.length === 0,
    suggested: query.suggest ? suggestion === query.suggest : null,
  };
}

/** precision@5, recall@10 and zero-result rate over a list of judged queries. */
export function metrics(judged) {
  const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const withResults = judged.filter((j) => j.precision !== null);
  const typos = judged.filter((j) => j.suggested !== null);
  return {
    queries: judged.length,
    pass: judged.filter((j) => j.pass).length,
    precision_at_5: withResults.length ? mean(withResults.map((j) => j.precision)) : null,
    recall_at_10: mean(judged.map((j) => j.recall)),
    zero_result_rate: judged.filter((j) => j.zero).length / (judged.length || 1),
    suggest_rate: typos.length ? typos.filter((j) => j.suggested).length / typos.length : null,
  };
}

/** Overall and per-point metrics of `judged` (parallel to `queries`). */
export function report(queries, judged) {
  const by = {};
  for (const point of POINTS) {
    const js = judged.filter((_, i) => queries[i].point === point);
    if (js.length) by[point] = metrics(js);
  }
  return { all: metrics(judged), by };
}

const f2 = (x) => (x === null ? '–' : x.toFixed(2));
/** A text table of one or more tools' reports: rows are points, columns per tool. */
export function table(reports) {
  const names = Object.keys(reports);
  const head = ['point', 'n', ...names.flatMap((n) => [`${n} pass`, 'P@5', 'R@10', 'zero', 'suggest'])];
  const rows = [head];
  const line = (label, pick) => {
    const first = pick(reports[names[0]]);
    rows.push([label, String(first.queries), ...names.flatMap((n) => {
      const m = pick(reports[n]);
      return [String(m.pass), f2(m.precision_at_5), f2(m.recall_at_10), f2(m.zero_result_rate), f2(m.suggest_rate)];
    })]);
  };
  for (const point of Object.keys(reports[names[0]].by)) line(point, (r) => r.by[point]);
  line('all', (r) => r.all);
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => '| ' + r.map((x, c) => x.padEnd(widths[c])).join(' | ') + ' |').join('\n');
}

/** Writes the query set back, one query a line (the file is reviewed in diffs). */
export function saveQueries(set) {
  const { queries, ...rest } = set;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  const body = queries.map((q) => '    ' + JSON.stringify(q)).join(',\n');
  writeFileSync(QUERIES, `${head},\n  "queries": [\n${body}\n  ]\n}\n`);
}

/** Raises the floors to just below `all` and marks every passing query `today`; never lowers a
 * floor nor unmarks a query (a regression must fail the test, not move the bar). */
export function raiseFloor(set, all, judged) {
  const down = (x) => Math.floor((x - 0.02) * 100) / 100;
  const up = (x) => Math.ceil((x + 0.02) * 100) / 100;
  const old = set.floor || { precision_at_5: 0, recall_at_10: 0, zero_result_rate_max: 1 };
  set.floor = {
    precision_at_5: Math.max(old.precision_at_5, down(all.precision_at_5 ?? 0)),
    suggest_rate: Math.max(old.suggest_rate ?? 0, down(all.suggest_rate ?? 0)),
    recall_at_10: Math.max(old.recall_at_10, down(all.recall_at_10)),
    zero_result_rate_max: Math.min(old.zero_result_rate_max, up(all.zero_result_rate)),
  };
  set.queries = set.queries.map((q, i) => (judged[i].pass && !q.today ? { ...q, today: true } : q));
}
