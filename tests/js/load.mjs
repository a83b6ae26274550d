// Loads a theme script as an ES module in Node. A `.js` file outside a "type": "module" package
// is CommonJS to Node, and the theme's static folder must not get a package.json (it would be
// published), so the module is imported from a data: URL; a data: module cannot resolve relative
// imports, so each `from './x.js'` is replaced by x.js as a data: URL, recursively.
import { readFileSync } from 'node:fs';

const ASSETS = new URL('../../themes/default/static/assets/', import.meta.url);

/** The data: URL of a theme asset whose relative imports are data: URLs too. */
export function dataUrl(name, seen = []) {
  if (seen.includes(name)) throw new Error('import cycle: ' + [...seen, name].join(' → '));
  const src = readFileSync(new URL(name, ASSETS), 'utf8').replace(
    /(\bfrom\s*)(['"])\.\/([\w.-]+\.js)\2/g,
    (_, from, q, dep) => from + q + dataUrl(dep, [...seen, name]) + q,
  );
  return 'data:text/javascript;base64,' + Buffer.from(src).toString('base64');
}

/** The module namespace of a theme asset (`load('search.js')`). */
export const load = (name) => import(dataUrl(name));
