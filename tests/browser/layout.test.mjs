// Browser test of the page layout (issue 14, "Pages"): the sample portal (the repository's own
// site, built on 2026-11-21 with the page clock fixed to that day, so assets/status.js agrees with
// the build) read as visitors do:
//   - a phone (390×844): a header of at most 120 px with the menu behind a button, the first card
//     in the first screen of home and lists, and on a challenge its status, deadline and apply
//     link in the first screen with the key facts before the body; a closed challenge says 募集終了
//     at the top and shows no apply control;
//   - 320×640 with text at 200 % (WCAG 1.4.4, 1.4.10): no page kind scrolls sideways, the facts
//     stack, tap targets are at least 44×44 px;
//   - a desktop (1280×800): the facts and the apply button in a sticky panel beside the body.
// Text zoom: Chromium has no reliable text-only zoom switch (deviceScaleFactor and page zoom scale
// px too), so the root font size is set to 200 % with a style element, which is what a browser's
// text-size setting does to rem/em sizes. The site's CSP forbids inline styles, so these contexts
// bypass the CSP (the CSP itself is tested in csp.test.mjs and status.test.mjs).
// Japanese fonts (fonts-noto-cjk, installed by scripts/test) make line breaks and heights real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSample } from './server.mjs';

const NOW = '2026-11-21T09:00:00+09:00';
const PHONE = { width: 390, height: 844 };
const SMALL = { width: 320, height: 640 };
const DESKTOP = { width: 1280, height: 800 };
// Sample challenges: open (a form on the page) and closed by its deadline.
const OPEN = 'challenges/aikawa-english-guide/';
const CLOSED = 'challenges/hisui-furusato-tax/';
// One page of every kind.
const KINDS = {
  home: '',
  section: 'challenges/',
  term: 'themes/dx/',
  taxonomy: 'themes/',
  municipalities: 'municipalities/',
  municipality: 'municipalities/niigata/汐見町/',
  'challenge open': OPEN,
  'challenge closed': CLOSED,
  case: 'cases/shimanto-online-booking/',
  column: 'columns/island-life/',
  page: 'about/',
  search: 'search/?q=観光',
  404: '404.html',
  thanks: 'thanks/',
  keep: 'kininaru/',
};
let sample;
let base;
let browser;

before(async () => {
  sample = await servedSample('layout');
  ({ base, browser } = sample);
});

after(async () => {
  await sample?.close();
});

/** Opens `url` at `viewport` with the clock on the build date; `zoom` sets text to 200 %. */
async function open(url, viewport, { zoom = false, javaScriptEnabled = true } = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'ja-JP', bypassCSP: zoom, javaScriptEnabled });
  const page = await ctx.newPage();
  await page.clock.setFixedTime(new Date(NOW));
  await page.goto(base + url, { waitUntil: 'load' });
  if (zoom) {
    await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
    await page.waitForFunction(() => getComputedStyle(document.documentElement).fontSize === '32px');
  }
  await page.evaluate(() => document.fonts.ready);
  return { ctx, page };
}

/** Page-absolute top and bottom of the first element matching `sel` (null when none). */
const box = (page, sel) =>
  page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right };
  }, sel);

test('phone: the header is at most 120 px and the first card is in the first screen', async () => {
  // Home, section lists and term pages (a municipality page begins with its profile instead).
  for (const url of ['', 'challenges/', 'cases/', 'columns/', 'themes/dx/', 'prefectures/niigata/']) {
    const { ctx, page } = await open(url, PHONE);
    const header = await box(page, '.site-header');
    assert.ok(header.bottom - header.top <= 120, `${url || 'home'}: header ${header.bottom - header.top} px`);
    const card = await box(page, '.card');
    assert.ok(card && card.top < PHONE.height, `${url || 'home'}: first card at ${card?.top}`);
    await ctx.close();
  }
});

test('phone: the menu opens from its button, with and without JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const { ctx, page } = await open('', PHONE, { javaScriptEnabled });
    const link = page.locator('.site-nav a').first();
    assert.equal(await link.isVisible(), false, 'the menu starts closed');
    await page.locator('.menu-button').click();
    await link.waitFor({ state: 'visible' });
    const nav = await box(page, '.site-nav');
    const header = await box(page, '.site-header');
    assert.ok(nav.top >= header.bottom - 5, 'the open menu drops below the header');
    await ctx.close();
  }
});

test('phone: a challenge shows status, deadline and 応募する first, the key facts before the body', async () => {
  const { ctx, page } = await open(OPEN, PHONE);
  for (const sel of ['.entry-status .status', '.entry-status .deadline', '.apply-now a']) {
    const b = await box(page, sel);
    assert.ok(b && b.bottom <= PHONE.height, `${sel} at ${b?.bottom}`);
  }
  assert.equal(await page.locator('.apply-now a').textContent(), '応募する');
  assert.equal(await page.locator('.apply-now a').getAttribute('href'), '#apply');
  const facts = await box(page, '.entry-side .facts-table');
  const body = await box(page, '.entry-main .prose');
  assert.ok(facts.bottom <= body.top, 'the key facts come before the body');
  const heads = await page.locator('.entry-side .facts-table th').allTextContents();
  assert.deepEqual(heads.slice(0, 3), ['報酬', '期間', '関わり方']);
  // The apply link leads to the form.
  await page.locator('.apply-now a').click();
  await page.waitForFunction(() => location.hash === '#apply');
  assert.ok(await page.locator('#apply form').isVisible());
  await ctx.close();
});

test('phone: a closed challenge says 募集終了 at the top and offers no apply control', async () => {
  const { ctx, page } = await open(CLOSED, PHONE);
  assert.equal(await page.locator('.entry-status .status').textContent(), '募集終了');
  const note = await box(page, '.closed-note');
  assert.ok(note && note.bottom <= PHONE.height, `closed note at ${note?.bottom}`);
  assert.match(await page.locator('.closed-note').textContent(), /募集終了/);
  const visible = await page.evaluate(() =>
    [...document.querySelectorAll('.apply-now, #apply, .contact-form, [data-apply]')].filter((e) => e.checkVisibility()).length);
  assert.equal(visible, 0);
  await ctx.close();
});

test('320 px with 200 % text: no page kind scrolls sideways', async () => {
  for (const [kind, url] of Object.entries(KINDS)) {
    const { ctx, page } = await open(url, SMALL, { zoom: true });
    const { scroll, width, wide } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: innerWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > innerWidth + 1)
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    }));
    assert.ok(scroll <= width, `${kind}: scrollWidth ${scroll} > ${width} (${wide.join(', ')})`);
    await ctx.close();
  }
});

test('320 px with 200 % text: facts stack, each heading above its value', async () => {
  const { ctx, page } = await open(OPEN, SMALL, { zoom: true });
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll('.facts-table tr')].map((tr) => {
      const th = tr.querySelector('th').getBoundingClientRect();
      const td = tr.querySelector('td').getBoundingClientRect();
      return { above: th.bottom <= td.top + 1, full: td.width >= tr.getBoundingClientRect().width - 1 };
    }));
  assert.ok(rows.length >= 6);
  assert.deepEqual(rows.filter((r) => !r.above || !r.full), []);
  await ctx.close();
});

test('tap targets are at least 44×44 px: menu, links in lists, cards, form controls', async () => {
  const small = [];
  for (const url of ['', 'challenges/', 'themes/', OPEN]) {
    const { ctx, page } = await open(url, PHONE);
    await page.locator('.menu-button').click();
    await page.locator('.site-nav a').first().waitFor({ state: 'visible' });
    small.push(...(await page.evaluate((u) => {
      const sel = [
        '.menu-button', '.site-nav a', '.breadcrumbs a', '.header-search input', '.header-search button',
        '.card', '.more a', '.term-list a', '.footer-links a', '.pager a', '.facet summary', '.facets-summary',
        '.apply-now a', '.contact-form input:not([type=checkbox]):not([type=hidden])', '.contact-form textarea',
        '.contact-form select', '.contact-form button',
      ].join(', ');
      return [...document.querySelectorAll(sel)]
        .filter((e) => e.checkVisibility() && !e.closest('.hp'))
        .map((e) => ({ e, r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width < 44 || r.height < 44)
        .map(({ e, r }) => `${u} ${e.tagName.toLowerCase()}.${e.className} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }, url)));
    // A card is one target: its title link covers it.
    const card = await page.evaluate(() => {
      const c = document.querySelector('.card');
      if (!c) return true;
      c.scrollIntoView({ block: 'center' });
      const r = c.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.bottom - 4);
      return hit?.closest('a') === c.querySelector('.card-title a');
    });
    assert.ok(card, `${url}: the card's bottom reaches its link`);
    await ctx.close();
  }
  assert.deepEqual(small, []);
});

test('desktop: the menu is shown, the facts and apply button sit in a sticky panel beside the body', async () => {
  const { ctx, page } = await open(OPEN, DESKTOP);
  assert.ok(await page.locator('.site-nav a').first().isVisible(), 'the menu needs no button on a desktop');
  assert.equal(await page.locator('.menu-button').isVisible(), false);
  const side = await box(page, '.entry-side');
  const body = await box(page, '.entry-main .prose');
  assert.ok(side.left >= body.right, `side panel at ${side.left}, body ends at ${body.right}`);
  assert.ok(side.top < body.top + 200, 'beside the body, not below it');
  assert.ok(DESKTOP.width - side.right < 200, `no empty right column (${DESKTOP.width - side.right} px)`);
  const apply = await box(page, '.entry-side .apply-now a');
  assert.ok(apply.bottom <= DESKTOP.height);
  // Scrolled down, the panel stays in view.
  await page.evaluate(() => window.scrollTo(0, 1200));
  await page.waitForFunction(() => scrollY >= 1000);
  const top = await page.evaluate(() => document.querySelector('.entry-side').getBoundingClientRect().top);
  assert.ok(top >= 0 && top <= 40, `the panel sticks near the top (${top})`);
  await ctx.close();
});
