// Status that stays true between rebuilds (issue 14). The build marks every status badge,
// countdown and apply control of an open challenge with its deadline (data-deadline, RFC 3339);
// on load this compares them with the visitor's clock. It only moves a status forward (open →
// closing soon → closed), so a visitor clock behind the build changes nothing. Texts come from
// strings.js (the theme's strings.yaml, published by the build); without JavaScript the build's
// status shows. A module (deferred, like search.js): it applies again after the dev server swaps
// a page in place (the `tsunagari:updated` event).
import t from './strings.js';

export const apply = () => {
  const now = Date.now();
  const passed = (v) => v !== undefined && now >= Date.parse(v);
  const rank = ['open', 'closing-soon', 'closed'];
  const text = { open: t.open, 'closing-soon': t.soon, closed: t.closed };
  for (const el of document.querySelectorAll('[data-deadline]')) {
    const d = el.dataset;
    const closed = passed(d.deadline);
    if ('closedNote' in d) {
      if (closed) el.hidden = false;
    } else if ('apply' in d) {
      if (closed) el.hidden = true;
    } else if (d.dayEnds !== undefined) {
      const left = Math.ceil((Date.parse(d.dayEnds) - now) / 864e5) - 1;
      if (closed || left < 0) el.hidden = true;
      else if (left < Number(d.daysLeft)) el.textContent = t.days.replace('{n}', left);
    } else {
      const was = rank.findIndex((s) => el.classList.contains('status--' + s));
      const next = closed ? 2 : passed(d.soon) ? 1 : 0;
      if (was < 0 || next <= was) continue;
      for (const box of [el, el.closest('.card')]) {
        if (!box) continue;
        const pre = box === el ? 'status--' : 'card--';
        box.classList.replace(pre + rank[was], pre + rank[next]);
      }
      el.textContent = text[rank[next]];
    }
  }
};
apply();
document.addEventListener('tsunagari:updated', apply);
