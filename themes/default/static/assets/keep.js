// 気になる (issue 14): visitors keep a list of challenges in this browser (localStorage, named by
// the site's base path), with no server and no account. What the 気になる page shows of a
// challenge (title, URL, place, status and deadline instants) is taken from the card or page its
// button is on when it is kept, so the page is drawn from storage alone: nothing is fetched, it works offline, and its cost
// does not grow with the site. A kept entry is refreshed whenever its button is seen again (a
// changed title or deadline); its badge is kept true by status.js's clock rules. A challenge's
// own page carries its button (hidden); a card carries none: this script makes it from the
// card's title link (issue 16: no markup that does nothing without JavaScript on every card).
// Without storage (or JavaScript) no button shows and the 気になる page says why.
import { apply as applyStatus } from './status.js';
import t from './strings.js';

// Its own element, found by its URL (the build publishes it under a fingerprinted name).
const me = Array.from(document.scripts).find((s) => s.src === import.meta.url && 'keepKey' in s.dataset);
const base = me ? me.dataset.keepKey : '/';
// The button's label when kept and when not (strings.js: the theme's strings.yaml).
const label = { true: t.kept, false: t.keep };
const KEY = 'tsunagari:kininaru:' + base;
const storage = (() => {
  try {
    const s = window.localStorage;
    s.getItem(KEY);
    return s;
  } catch {
    return null;
  }
})();

// Only the site's own pages: a stored URL is set as a link.
const sitePath = (u) => typeof u === 'string' && u.startsWith(base) && !u.startsWith('//');
const read = () => {
  try {
    const list = JSON.parse(storage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((e) => e && sitePath(e.url)) : [];
  } catch {
    return [];
  }
};
const write = (list) => {
  try {
    storage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full or refused: the list stays as it was.
  }
};
// What the 気になる page shows of a challenge, read from the card or the page its button is on
// (the title link or h1, the place, the status badge with its deadline instants).
const RANKS = ['open', 'closing-soon', 'closed'];
const entryOf = (b) => {
  const box = b.closest('.card') || b.closest('.entry') || document;
  const title = box.querySelector('.card-title a') || box.querySelector('h1');
  const badge = box.querySelector('.status');
  const d = badge ? badge.dataset : {};
  return {
    url: b.dataset.url,
    title: title ? title.textContent.trim() : '',
    place: box.querySelector('.card-place, .entry-meta .place')?.textContent.trim() ?? '',
    status: RANKS.find((s) => badge?.classList.contains('status--' + s)) ?? 'open',
    deadline: d.deadline,
    soon: d.soon,
  };
};

// A button's name for screen readers ends with its challenge's title (「気になる：…」), taken
// from around it like the rest of its entry: the markup carries only the label (issue 16).
const nameButton = (b) => {
  const name = document.createElement('span');
  name.className = 'visually-hidden';
  name.textContent = '：' + entryOf(b).title;
  b.append(name);
};

const showButton = (b, on) => {
  b.setAttribute('aria-pressed', String(on));
  b.querySelector('[data-keep-label]').textContent = label[on];
};

// The button of each challenge card, in the card's footer row after its facts (so it comes
// after the title link in focus order), made once per card.
const addCardButtons = () => {
  for (const card of document.querySelectorAll('.card--challenge')) {
    const link = card.querySelector('.card-title a');
    if (!link || card.querySelector('button[data-keep]')) continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'keep-toggle';
    b.dataset.keep = '';
    b.dataset.url = link.getAttribute('href');
    b.setAttribute('aria-pressed', 'false');
    const text = document.createElement('span');
    text.dataset.keepLabel = '';
    b.append(text);
    const row = document.createElement('div');
    row.className = 'card-actions';
    row.append(b);
    card.append(row);
  }
};

// Buttons on cards and challenge pages: made, shown, marked, and refreshing their kept entries.
const initButtons = () => {
  addCardButtons();
  let list = read();
  let changed = false;
  for (const b of document.querySelectorAll('button[data-keep]')) {
    const i = list.findIndex((e) => e.url === b.dataset.url);
    if (i >= 0) {
      const fresh = entryOf(b);
      if (JSON.stringify(fresh) !== JSON.stringify(list[i])) {
        list[i] = fresh;
        changed = true;
      }
    }
    showButton(b, i >= 0);
    b.hidden = false;
    if (b.dataset.keepReady === undefined) {
      b.dataset.keepReady = '';
      nameButton(b);
      b.addEventListener('click', () => toggle(b));
    }
  }
  if (changed) write(list);
};

const toggle = (b) => {
  const list = read();
  const i = list.findIndex((e) => e.url === b.dataset.url);
  if (i >= 0) list.splice(i, 1);
  else list.unshift(entryOf(b));
  write(list);
  sync();
};

// The 気になる page: one item per kept challenge, newest first.
const drawPage = () => {
  const page = document.querySelector('[data-keep-page]');
  const tpl = document.querySelector('template[data-keep-item]');
  if (!page || !tpl) return;
  const items = page.querySelector('[data-keep-items]');
  const list = read();
  const labels = { open: t.open, 'closing-soon': t.soon, closed: t.closed };
  items.replaceChildren(
    ...list.map((e) => {
      const li = tpl.content.firstElementChild.cloneNode(true);
      const status = labels[e.status] ? e.status : 'open';
      const badge = li.querySelector('[data-keep-badge]');
      badge.classList.add('status--' + status);
      badge.textContent = labels[status];
      if (status !== 'closed' && e.deadline) {
        badge.dataset.deadline = e.deadline;
        if (e.soon) badge.dataset.soon = e.soon;
      }
      li.querySelector('[data-keep-place]').textContent = e.place || '';
      const a = li.querySelector('[data-keep-link]');
      a.href = e.url;
      a.textContent = e.title || e.url;
      li.querySelector('[data-keep-name]').textContent = '：' + (e.title || e.url);
      li.querySelector('[data-keep-remove]').addEventListener('click', () => remove(e));
      return li;
    }),
  );
  page.querySelector('[data-keep-empty]').hidden = list.length > 0;
  page.hidden = false;
  applyStatus();
};

const remove = (entry) => {
  write(read().filter((e) => e.url !== entry.url));
  sync();
  const status = document.querySelector('[data-keep-status]');
  status.textContent = status.dataset.removed.replace('{title}', entry.title || entry.url);
  // The removed item's button is gone: focus goes back to the page's heading.
  document.getElementById('keep-heading')?.focus();
};

const sync = () => {
  initButtons();
  drawPage();
};

if (storage) {
  sync();
  // Another tab kept or removed a challenge.
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) sync();
  });
  document.addEventListener('tsunagari:updated', sync);
}
