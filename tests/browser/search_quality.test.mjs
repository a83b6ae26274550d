// Search quality in Chromium: every query of tests/search/queries.json typed into the real search
// page of tests/fixtures/sites/search-quality (built with the debug binary). Prints precision@5,
// recall@10, zero-result rate and passes per issue point (see search_quality.mjs for the
// definitions), then holds today's level: the metrics must not fall below `floor`, and every
// query marked `"today": true` must still pass. Known misses are not asserted, so improvements
// land without touching this file; after one, raise the bar and commit queries.json:
//   SEARCH_QUALITY_UPDATE=1 node --test tests/browser/search_quality.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { servedSite } from './server.mjs';
import { FIXTURE, NOW, loadQueries, saveQueries, raiseFloor, tsunagariResults, tsunagariSuggestion, excerptMarks, judge, report, table, POINTS } from './search_quality.mjs';

const set = loadQueries();
let site;
let base;
let browser;

before(async () => {
  site = await servedSite('quality', { fixture: FIXTURE }, NOW);
  ({ base, browser } = site);
});

after(async () => {
  await site?.close();
});

test('the query set covers every point of issue 15 with pages that exist', () => {
  assert.ok(set.queries.length >= 60, `${set.queries.length} queries`);
  for (const point of POINTS) assert.ok(set.queries.some((q) => q.point === point), point);
  for (const q of set.queries) {
    assert.ok(POINTS.includes(q.point), `${q.query}: point ${q.point}`);
    assert.ok(q.expect.length > 0, `${q.query}: nothing expected`);
    if (q.top) assert.ok(q.expect.includes(q.top), `${q.query}: top ${q.top} is not expected`);
    for (const p of [...q.expect, ...(q.reject || []), ...(q.also || [])]) {
      assert.ok(existsSync(path.join(site.out, p, 'index.html')), `${q.query}: no page ${p}`);
    }
    for (const p of q.reject || []) assert.ok(!q.expect.includes(p), `${q.query}: ${p} both expected and rejected`);
  }
});

test('search quality stays at or above today’s floor, and what passed still passes', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + 'search/');
  await page.waitForLoadState('networkidle'); // the client listens for submit once its manifest is in
  const judged = [];
  const marks = { shown: 0, marked: 0 };
  for (const q of set.queries) {
    judged.push(judge(q, await tsunagariResults(page, q.query), await tsunagariSuggestion(page)));
    const m = await excerptMarks(page);
    marks.shown += m.shown;
    marks.marked += m.marked;
  }
  await context.close();
  assert.deepEqual(errors, [], 'errors on the search page');
  const { all, by } = report(set.queries, judged);
  console.log(table({ tsunagari: { all, by } }));
  // Reported, not held: excerpts are issue 15's, the floors above are the ranking's.
  console.log(`excerpts with <mark>: ${marks.marked} of ${marks.shown} shown results (${((100 * marks.marked) / (marks.shown || 1)).toFixed(1)} %)`);
  const misses = set.queries
    .map((q, i) => ({ q, j: judged[i] }))
    .filter(({ j }) => !j.pass)
    .map(({ q, j }) => `${q.point} ${q.query}: missing ${j.missing.join(' ') || '-'}${j.topOk ? '' : ', wrong first'}${j.rejected.length ? ', rejected ' + j.rejected.join(' ') : ''}`);
  console.log('misses today:\n  ' + misses.join('\n  '));
  if (process.env.SEARCH_QUALITY_UPDATE) {
    raiseFloor(set, all, judged);
    saveQueries(set);
  }
  const regressed = set.queries.filter((q, i) => q.today && !judged[i].pass).map((q) => q.query);
  assert.deepEqual(regressed, [], 'queries that passed before fail now');
  const floor = set.floor;
  assert.ok(all.precision_at_5 >= floor.precision_at_5, `precision@5 ${all.precision_at_5} < ${floor.precision_at_5}`);
  assert.ok(all.recall_at_10 >= floor.recall_at_10, `recall@10 ${all.recall_at_10} < ${floor.recall_at_10}`);
  assert.ok(all.zero_result_rate <= floor.zero_result_rate_max, `zero-result rate ${all.zero_result_rate} > ${floor.zero_result_rate_max}`);
  assert.ok((all.suggest_rate ?? 0) >= (floor.suggest_rate ?? 0), `suggestion rate ${all.suggest_rate} < ${floor.suggest_rate}`);
});
