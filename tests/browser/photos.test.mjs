// Browser test of photos on a phone (issue 14, "Images" and "Cards"): the sample portal, whose
// sample challenges and a case carry photos (static/images/photos/), built on 2026-11-21 and read
// at 390×844 with the page clock on the build date:
//   - cards show their photo as a WebP the phone picked from the srcset, with width and height
//     set, lazily loaded; cards without a photo show the placeholder slot in their town's colour (drawn by CSS);
//   - loading every photo (scrolling them into view) moves nothing: the page's cumulative layout
//     shift stays 0;
//   - a challenge's hero photo is fetched eagerly with high priority and keeps the aspect ratio
//     its width/height give;
//   - no published raster the page loads is the source file: every photo comes from
//     images/_processed/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSample } from './server.mjs';

const NOW = '2026-11-21T09:00:00+09:00';
const PHONE = { width: 390, height: 844 };
const WITH_PHOTO = 'challenges/haenoshima-energy/';
let sample;
let base;
let browser;

before(async () => {
  sample = await servedSample('photos');
  ({ base, browser } = sample);
});

after(async () => {
  await sample?.close();
});

/** A phone page at `url`, recording layout shifts from the start and every image it fetched. */
async function phone(url) {
  const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'ja-JP' });
  const page = await ctx.newPage();
  const images = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'image') images.push(new URL(r.url()).pathname);
  });
  await page.clock.setFixedTime(new Date(NOW));
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(base + url, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  return { ctx, page, images };
}

/** Scrolls every card photo into view and waits until each has loaded. */
async function loadAll(page) {
  const photos = page.locator('.card-photo img');
  const n = await photos.count();
  for (let i = 0; i < n; i += 1) {
    await photos.nth(i).scrollIntoViewIfNeeded();
    await photos.nth(i).evaluate((img) => (img.complete ? null : new Promise((ok, fail) => {
      img.addEventListener('load', ok, { once: true });
      img.addEventListener('error', () => fail(new Error(`${img.currentSrc} did not load`)), { once: true });
    })));
  }
  return n;
}

test('cards on a phone show lazy WebP photos with their size, placeholders keep the slot in the town colour', async () => {
  // The sample shows one photo card on home and four on the list of challenges.
  for (const [url, least] of [['', 1], ['challenges/', 4]]) {
    const { ctx, page, images } = await phone(url);
    const n = await loadAll(page);
    assert.ok(n >= least, `${url}: ${n} card photos`);
    const photos = await page.$$eval('.card-photo img', (imgs) => imgs.map((img) => ({
      width: img.getAttribute('width'),
      height: img.getAttribute('height'),
      loading: img.getAttribute('loading'),
      alt: img.alt,
      src: img.currentSrc,
      shown: img.getBoundingClientRect().width,
      // The widths the srcset offers, and the one the browser took (`name-960.hash.webp`).
      offered: img.closest('picture').querySelector('source').srcset.split(',').map((c) => Number(c.trim().split(' ')[1].replace('w', ''))),
      taken: Number(img.currentSrc.match(/-(\d+)\.[0-9a-f]+\.webp$/)?.[1]),
    })));
    for (const p of photos) {
      assert.ok(Number(p.width) > 0 && Number(p.height) > 0, JSON.stringify(p));
      assert.equal(p.loading, 'lazy');
      assert.ok(p.alt.length > 0, 'a photo has its alt text');
      assert.match(new URL(p.src).pathname, /^\/images\/_processed\/.+\.webp$/);
      // The phone (2×) takes the smallest rendition that is sharp at its width, or the largest.
      const enough = p.offered.filter((w) => w >= p.shown * 2);
      assert.equal(p.taken, enough.length ? Math.min(...enough) : Math.max(...p.offered), JSON.stringify(p));
    }
    // A card without a photo: its class names the tone; style.css draws the slot above its text.
    const holders = await page.$$eval('.card:not(:has(.card-photo))', (els) => els.map((el) => ({
      tone: Array.from(el.classList).find((c) => /^card--tone-[0-7]$/.test(c)) ?? '',
      background: getComputedStyle(el, '::before').backgroundImage,
      slot: el.querySelector('.card-meta').getBoundingClientRect().top - el.getBoundingClientRect().top,
      text: el.textContent,
    })));
    assert.ok(holders.length > 0, `${url}: cards without a photo`);
    for (const h of holders) {
      assert.ok(h.tone, JSON.stringify(h));
      assert.match(h.background, /gradient/, 'the slot has its tone');
      assert.ok(h.slot > 100, 'the placeholder keeps the photo slot');
    }
    // Loading every photo moved nothing.
    assert.equal(await page.evaluate(() => window.__shift), 0, `${url}: layout shift`);
    for (const img of images) {
      if (img.startsWith('/images/')) assert.match(img, /^\/images\/_processed\//, 'no source file is served');
    }
    await ctx.close();
  }
});

test('a challenge hero photo loads eagerly at high priority and keeps its aspect ratio', async () => {
  const { ctx, page } = await phone(WITH_PHOTO);
  const hero = page.locator('.entry-image img');
  await hero.waitFor();
  assert.equal(await hero.getAttribute('fetchpriority'), 'high');
  assert.equal(await hero.getAttribute('loading'), null);
  await hero.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('.entry-image img').complete);
  const box = await hero.evaluate((img) => ({
    ratio: img.width / img.height,
    attrs: Number(img.getAttribute('width')) / Number(img.getAttribute('height')),
    natural: img.naturalWidth,
    src: new URL(img.currentSrc).pathname,
  }));
  assert.ok(box.natural > 0, 'the hero loaded');
  assert.ok(Math.abs(box.ratio - box.attrs) < 0.02, JSON.stringify(box));
  assert.match(box.src, /^\/images\/_processed\/.+\.webp$/);
  assert.equal(await page.evaluate(() => window.__shift), 0, 'layout shift');
  await ctx.close();
});
