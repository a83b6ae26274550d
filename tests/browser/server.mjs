// A static server for tests and benchmarks: serves a built site on 127.0.0.1 and gzips what a
// CDN would (HTML, CSS, JS, JSON, XML, the search index's .bin files), so transfer sizes
// measured in the browser are what visitors download.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
};

export function serve(root) {
  const server = http.createServer(async (req, res) => {
    try {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(root, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(root) || !(await stat(file)).isFile()) throw new Error('not found');
      let body = await readFile(file);
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      const headers = { 'content-type': type, 'cache-control': 'no-cache' };
      if (/gzip/.test(req.headers['accept-encoding'] || '') && path.extname(file) !== '.png') {
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
 * and a browser: `{ base, browser, out, close }` (`out`: the built site). `site` is one of
 * `{ root }` (built where it is: the sample portal is the repository root), `{ fixture }` (a folder
 * copied first) or `{ files }` (site-relative paths → text, written first).
 */
export async function servedSite(name, site, now) {
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
  const { server, url } = await serve(out);
  const browser = await launch();
  return {
    base: url,
    browser,
    out,
    close: async () => {
      await browser.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The sample portal (the repository's own site), served: for the browser tests that read the
 * showcase as visitors do. */
export async function servedSample(name, now = '2026-11-21') {
  const { fileURLToPath } = await import('node:url');
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  return servedSite(name, { root: repo }, now);
}
