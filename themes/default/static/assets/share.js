// Share (issue 14). The page has plain share links (LINE, X, Facebook) that work without
// JavaScript; this adds 共有, which opens the phone's share sheet (Web Share API) where the
// browser has one, and リンクをコピー (Clipboard API), announced in a polite live region it adds
// to the section. Only buttons that can work are made, so a page without JavaScript shows none.
// The URL shared is the page's canonical one, the title its heading; the texts come from
// strings.js (the theme's strings.yaml, published by the build).
import t from './strings.js';

const button = (list, text, onClick) => {
  const li = document.createElement('li');
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.addEventListener('click', onClick);
  li.append(b);
  list.append(li);
};

const init = () => {
  for (const box of document.querySelectorAll('[data-share]')) {
    if (box.dataset.shareReady !== undefined) continue;
    box.dataset.shareReady = '';
    const url = document.querySelector('link[rel="canonical"]')?.href || location.href;
    const title = (box.closest('article')?.querySelector('h1') || document.querySelector('h1'))?.textContent.trim() || document.title;
    const list = box.querySelector('ul');
    const status = document.createElement('p');
    status.className = 'share-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    box.append(status);
    const say = (text) => {
      // A live region announces a change: empty it first so the same text is read again.
      status.textContent = '';
      requestAnimationFrame(() => { status.textContent = text; });
    };
    if (typeof navigator.share === 'function') {
      // First, where the share sheet offers every network at once.
      const li = list.firstElementChild;
      button(list, t.native, () => {
        // A dismissed share sheet rejects (AbortError): nothing to say.
        navigator.share({ title, url }).catch(() => {});
      });
      list.insertBefore(list.lastElementChild, li);
    }
    if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      button(list, t.copy, () => {
        navigator.clipboard.writeText(url).then(() => say(t.copied), () => say(t.failed));
      });
    }
  }
};
init();
document.addEventListener('tsunagari:updated', init);
