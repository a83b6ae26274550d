// Share (issue 14). The page has plain share links (LINE, X, Facebook) that work without
// JavaScript; this adds 共有, which opens the phone's share sheet (Web Share API) where the
// browser has one, and リンクをコピー (Clipboard API), announced in the section's polite live
// region. Found by data attributes; texts come from the page (partials/share.html).
const init = () => {
  for (const box of document.querySelectorAll('[data-share]')) {
    if (box.dataset.shareReady) continue;
    box.dataset.shareReady = '';
    const { url, title } = box.dataset;
    const status = box.querySelector('[data-share-status]');
    const say = (text) => {
      // A live region announces a change: empty it first so the same text is read again.
      status.textContent = '';
      requestAnimationFrame(() => { status.textContent = text; });
    };
    const native = box.querySelector('[data-share-native]');
    if (native && typeof navigator.share === 'function') {
      native.hidden = false;
      native.querySelector('button').addEventListener('click', () => {
        // A dismissed share sheet rejects (AbortError): nothing to say.
        navigator.share({ title, url }).catch(() => {});
      });
    }
    const copy = box.querySelector('[data-share-copy]');
    if (copy && navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      copy.hidden = false;
      const button = copy.querySelector('button');
      button.addEventListener('click', () => {
        navigator.clipboard.writeText(url).then(
          () => say(button.dataset.copied),
          () => say(button.dataset.failed),
        );
      });
    }
  }
};
init();
document.addEventListener('tsunagari:updated', init);
