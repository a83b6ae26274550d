// A static server for tests and benchmarks: serves a built site on 127.0.0.1 and gzips what a
// CDN would (HTML, CSS, JS, JSON, XML, the search index's .bin files; not the search packs,
// whose blobs are gzipped already), so transfer sizes measured in the browser are what visitors
// download. It answers a single `Range: bytes=…` with 206 (416 when unsatisfiable), as static
// hosts do; `serve(root, { ranges: false })` ignores Range (200, the whole file), as a host
// without Range support would.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
};

/** The one range `[a, z)` of a `Range` header over `size` bytes; 'bad' when unsatisfiable;
 * null when there is none or it is not a single byte range (then the whole file is sent). */
export function byteRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header || '').trim());
  if (!m || (!m[1] && !m[2])) return null;
  if (!m[1]) return Number(m[2]) > 0 && size > 0 ? [Math.max(0, size - Number(m[2])), size] : 'bad';
  const a = Number(m[1]);
  const z = m[2] ? Math.min(Number(m[2]) + 1, size) : size;
  return a < size && a < z ? [a, z] : 'bad';
}

export function serve(root, { ranges = true } = {}) {
  const server = http.createServer(async (req, res) => {
    try {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(root, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(root) || !(await stat(file)).isFile()) throw new Error('not found');
      let body = await readFile(file);
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-cache' };
      const range = ranges ? byteRange(req.headers.range, body.length) : null;
      if (range === 'bad') {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` });
        return res.end();
      }
      if (range) {
        headers['content-range'] = `bytes ${range[0]}-${range[1] - 1}/${body.length}`;
        headers['content-length'] = range[1] - range[0];
        res.writeHead(206, headers);
        return res.end(body.subarray(range[0], range[1]));
      }
      if (ranges) headers['accept-ranges'] = 'bytes';
      if (/gzip/.test(req.headers['accept-encoding'] || '') && !['.png', '.pack'].includes(path.extname(file))) {
        body = gzipSync(body, { level: 6 });
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

/** Chromium from Debian, as the audit launches it. */
export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A site built with the debug binary (or TSUNAGARI_BIN) on `now` into a temporary folder, served,
 * and a browser: `{ base, browser, out, server, close }` (`out`: the built site). `site` is one of
 * `{ root }` (built where it is: the sample portal is the repository root), `{ fixture }` (a folder
 * copied first) or `{ files }` (site-relative paths → text, written first); `serveOptions` go to
 * `serve`.
 */
export async function servedSite(name, site, now, serveOptions = {}) {
  const { execFileSync } = await import('node:child_process');
  const { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { fileURLToPath } = await import('node:url');
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
  // Always build: the theme is embedded in the binary.
  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), `tsunagari-${name}-`));
  let root = site.root;
  if (!root) {
    root = path.join(dir, 'site');
    if (site.fixture) cpSync(site.fixture, root, { recursive: true });
    for (const [rel, text] of Object.entries(site.files || {})) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
  }
  const out = path.join(dir, 'public');
  execFileSync(bin, ['build', '--quiet', '--root', root, '--now', now, '--output', out], { stdio: 'inherit' });
  const { server, url } = await serve(out, serveOptions);
  const browser = await launch();
  return {
    base: url,
    browser,
    out,
    server,
    close: async () => {
      await browser.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The sample portal (the repository's own site), served: for the browser tests that read the
 * showcase as visitors do. */
export async function servedSample(name, now = '2026-11-21', serveOptions = {}) {
  const { fileURLToPath } = await import('node:url');
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  return servedSite(name, { root: repo }, now, serveOptions);
}
