// Resource limits of `tsunagari serve` under hostile load (issue 11, area serve).
//   node bench/serve_limits.mjs [SITE_DIR] [runs]      (default: tests/fixtures/sites/minimal)
// Starts the release binary's dev server on SITE_DIR and reports, for each situation, the
// server's resident memory (VmRSS and VmHWM from /proc, Linux) and the answer time of a normal
// GET of a page (median and max of `runs` requests, each on a fresh connection):
//   1. idle server;
//   2. with 1,000 idle connections open (half send nothing, half a stalled partial request);
//   3. while clients stream 1 GiB request headers, one after another, as fast as the server
//      takes them (each is cut off at 16 KiB with 431);
//   4. while 140 clients loop bad requests (`X`), each lingering 1.5 s after its answer;
//   5. while 200 clients hold event-stream requests open (64 are streams, the rest refused).
// Needs only Node (no npm packages).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const site = path.resolve(process.argv[2] || path.join(here, '../tests/fixtures/sites/minimal'));
const RUNS = Number(process.argv[3] || 50);
const bin = process.env.TSUNAGARI_BIN || path.join(here, '../target/release/tsunagari');

const server = spawn(bin, ['serve', '--root', site, '--port', '0', '--now', '2026-04-01', '--lang', 'en'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
const url = await new Promise((resolve, reject) => {
  server.stderr.on('data', (d) => {
    log += d;
    const m = log.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) resolve(m);
  });
  server.on('exit', (c) => reject(new Error(`serve exited ${c}: ${log}`)));
});
const port = Number(url[1]);
const page = process.env.PAGE || '/';

const mib = (kb) => `${(kb / 1024).toFixed(1)} MiB`;
const memory = () => {
  const s = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const get = (k) => Number(s.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
  return { rss: get('VmRSS'), hwm: get('VmHWM'), threads: get('Threads') };
};

/** One raw GET on a fresh connection: [ms, status line]. */
const get = () =>
  new Promise((resolve, reject) => {
    const t = performance.now();
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.on('connect', () => s.write(`GET ${page} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`));
    s.on('data', (d) => (data += d));
    s.on('end', () => resolve([performance.now() - t, data.split('\r\n')[0]]));
    s.on('error', reject);
  });

const measure = async (label) => {
  const times = [];
  const statuses = new Set();
  for (let i = 0; i < RUNS; i++) {
    const [ms, status] = await get();
    times.push(ms);
    statuses.add(status);
  }
  times.sort((a, b) => a - b);
  const m = memory();
  console.log(
    `${label.padEnd(34)} GET median ${times[times.length >> 1].toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms ` +
      `[${[...statuses].join(', ')}]; RSS ${mib(m.rss)} (peak ${mib(m.hwm)}), ${m.threads} threads`,
  );
};

await measure('idle server');

// 2. 1,000 idle connections.
const idle = [];
let closedByServer = 0;
await Promise.all(
  Array.from({ length: 1000 }, (_, i) =>
    new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        if (i % 2) s.write('GET / HTTP/1.1\r\nhost: loc');
        resolve();
      });
      s.on('error', () => {});
      s.on('end', () => closedByServer++);
      idle.push(s);
    }),
  ),
);
await measure('with 1,000 idle connections');
console.log(`  (idle connections the server closed to make room: ${closedByServer})`);
for (const s of idle) s.destroy();

// 3. 1 GiB request headers, one after another on new connections, while we measure.
let measuring = true;
let attempts = 0;
const answers = new Map();
let queued = 0;
const attack = () => {
  if (!measuring) return;
  attempts++;
  const big = net.connect(port, '127.0.0.1');
  let sent = 0;
  let answer = '';
  const chunk = Buffer.from(`x-filler: ${'a'.repeat(8180)}\r\n`);
  big.on('error', () => {});
  big.on('data', (d) => (answer += d));
  big.on('close', () => {
    const status = answer.split('\r\n')[0] || '(none)';
    answers.set(status, (answers.get(status) || 0) + 1);
    queued += sent;
    attack();
  });
  const pump = () => {
    while (sent < 1 << 30 && !big.destroyed) {
      sent += chunk.length;
      if (!big.write(chunk)) return big.once('drain', pump);
    }
  };
  big.on('connect', () => {
    big.write(`GET / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`);
    pump();
  });
};
attack();
await measure('while 1 GiB headers are sent');
measuring = false;
console.log(`  (header clients: ${attempts}, answers ${JSON.stringify(Object.fromEntries(answers))}, ${(queued / 1048576).toFixed(0)} MiB written by them)`);

// 4. Refusals that linger: 140 clients in a loop, each sending a bad request and keeping the
// socket 1.5 s after the answer.
let refusing = true;
const refusals = new Map();
const lingerer = () => {
  if (!refusing) return;
  const s = net.connect(port, '127.0.0.1', () => s.write('X\r\n\r\n'));
  let answer = '';
  s.on('error', () => {});
  s.on('data', (d) => {
    if (!answer) setTimeout(() => s.destroy(), 1500);
    answer += d;
  });
  s.on('close', () => {
    const status = answer.split('\r\n')[0] || '(none)';
    refusals.set(status, (refusals.get(status) || 0) + 1);
    lingerer();
  });
};
for (let i = 0; i < 140; i++) lingerer();
await new Promise((r) => setTimeout(r, 500));
await measure('while 140 bad requests linger');
refusing = false;
console.log(`  (bad-request answers ${JSON.stringify(Object.fromEntries(refusals))})`);

// 5. 200 event-stream requests held open.
const streams = await Promise.all(
  Array.from({ length: 200 }, () =>
    new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () =>
        s.write(`GET /__tsunagari/events HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`),
      );
      s.on('error', () => resolve([s, '(error)']));
      s.on('close', () => resolve([s, '(closed)']));
      s.once('data', (d) => resolve([s, String(d).split('\r\n')[0]]));
    }),
  ),
);
const streamAnswers = {};
for (const [, st] of streams) streamAnswers[st] = (streamAnswers[st] || 0) + 1;
await measure('while 200 event streams are held');
console.log(`  (event-stream answers ${JSON.stringify(streamAnswers)})`);
for (const [s] of streams) s.destroy();
server.kill();
