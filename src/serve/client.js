// The live-preview client of `tsunagari serve`, served as /__tsunagari/live.js and loaded by a
// `<script type="module" src>` the server adds to every HTML page (an external script, so pages
// with a strict Content-Security-Policy — script-src 'self', style-src 'self' — run it without a
// violation). The overlay is styled through the CSSOM (`element.style`), which CSP allows; it
// never sets a `style` attribute or adds a style element. Text goes in with textContent only.
const show = (list) => {
  document.getElementById('tsunagari-problems')?.remove();
  if (!list.length) return;
  const box = document.createElement('div');
  box.id = 'tsunagari-problems';
  box.setAttribute('role', 'alert');
  box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#1a1a1a;border-top:6px solid #b3000c;padding:1rem 1.25rem;font:15px/1.7 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.3)';
  const h = document.createElement('p');
  h.style.cssText = 'margin:0 0 .5rem;font-weight:700;color:#b3000c';
  h.textContent = `保存した内容に問題があります（${list.length}件）。前回の正しい状態を表示しています。`;
  box.append(h);
  for (const e of list) {
    const p = document.createElement('p');
    p.style.margin = '0 0 .75rem';
    const where = document.createElement('strong');
    where.className = 'tsunagari-where';
    where.textContent = e.line ? `${e.file}:${e.line}:${e.column}` : e.file;
    p.append(where, ' ', e.message);
    if (e.source) { const pre = document.createElement('pre'); pre.style.cssText = 'margin:.25rem 0;background:#f2f2f2;padding:.25rem .5rem;white-space:pre-wrap'; pre.textContent = `${e.line} | ${e.source}`; p.append(pre); }
    if (e.help) { const hint = document.createElement('span'); hint.textContent = `ヒント: ${e.help}`; p.append(document.createElement('br'), hint); }
    box.append(p);
  }
  document.body.append(box);
};
fetch('/__tsunagari/errors').then((r) => r.json()).then(show).catch(() => {});
// When this page changed, swap in its new body (keeps the scroll position and is much faster
// than a reload); pages that run scripts of their own are reloaded instead.
const here = () => {
  let p = decodeURIComponent(location.pathname).replace(/^\/+/, '');
  if (p === '' || p.endsWith('/')) p += 'index.html';
  return p;
};
// Scripts that would not run again after a swap; a theme script that re-applies itself on
// `tsunagari:updated` says so with `data-on-update` (assets/status.js) and does not force a reload.
const runnable = (d) => [...d.scripts].filter((s) => s.type !== 'application/ld+json' && !s.hasAttribute('data-tsunagari') && !s.hasAttribute('data-on-update'));
const styles = (d) => [...d.querySelectorAll('link[rel~="stylesheet"], style')].map((e) => e.outerHTML).join();
const refresh = async () => {
  try {
    const res = await fetch(location.href, { cache: 'no-store' });
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    if (!res.ok || runnable(document).length || runnable(doc).length || styles(doc) !== styles(document)) {
      location.reload();
      return;
    }
    document.title = doc.title;
    for (const e of [...document.head.children]) if (!e.matches('link[rel~="stylesheet"], style')) e.remove();
    for (const e of [...doc.head.children]) if (!e.matches('link[rel~="stylesheet"], style')) document.head.append(document.importNode(e, true));
    // This script moves into the new body as it is (moved, it does not run again).
    const body = document.importNode(doc.body, true);
    const client = document.querySelector('script[data-tsunagari]');
    const copy = body.querySelector('script[data-tsunagari]');
    if (client && copy) copy.replaceWith(client);
    document.body.replaceWith(body);
    document.dispatchEvent(new CustomEvent('tsunagari:updated'));
  } catch {
    location.reload();
  }
};
const es = new EventSource('/__tsunagari/events');
// A mark on <html> (which in-place updates keep) while the stream is open: tests and tools wait
// for it instead of guessing when the page is listening.
let opened = false;
es.addEventListener('open', () => {
  document.documentElement.setAttribute('data-tsunagari-live', '');
  // Back after the server was away: saves made meanwhile sent no event, so fetch the page.
  if (opened) refresh();
  opened = true;
});
es.addEventListener('error', () => document.documentElement.removeAttribute('data-tsunagari-live'));
es.addEventListener('reload', (e) => {
  const d = JSON.parse(e.data || '{}');
  if (!d.paths) location.reload();
  else if (d.paths.includes(here())) refresh();
  else show([]);
});
es.addEventListener('problems', (e) => show(JSON.parse(e.data)));
