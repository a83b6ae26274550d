// What a visitor's browser downloads for a first search, counted at the server: bytes of the
// (gzipped) bodies as sent, the bodies of `206 Partial Content` answers to the search client's
// Range requests included (one request a blob of a search pack, one for its offsets). Pagefind fetches its index from a worker, whose requests a page's
// DevTools session does not see, so counting at the server is the one way that is fair to both.
// Used by bench/search_quality.mjs and bench/search_scale.mjs.

/** Starts counting what `server` sends; returns `firstQueryBytes(browser, run, isIndex,
 * isClient)`: the bytes a fresh, cache-less context downloads while `run(page)` searches, split
 * into index and client (paths tested by the two predicates). */
export function counter(server, base) {
  let sent = null;
  server.on('request', (req, res) => {
    const end = res.end.bind(res);
    res.end = (body, ...rest) => {
      if (sent && body) sent.push([new URL(req.url, base).pathname, body.length]);
      return end(body, ...rest);
    };
  });
  return async function firstQueryBytes(browser, run, isIndex, isClient) {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    sent = [];
    await run(page);
    await page.waitForLoadState('networkidle');
    const sum = { index: 0, client: 0, files: 0 };
    for (const [p, size] of sent) {
      if (isClient(p)) sum.client += size;
      else if (isIndex(p)) {
        sum.index += size;
        sum.files++;
      }
    }
    sent = null;
    await context.close();
    return sum;
  };
}

/** tsunagari's search files (manifest and index folders under /search/). */
export const isTsunagariIndex = (p) => p.startsWith('/search/') && !p.endsWith('/search/') && !p.endsWith('.html');

