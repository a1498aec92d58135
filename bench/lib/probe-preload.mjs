// Preloaded into a server under test (`--expose-gc --import <this file>`,
// see heap-probe.ts) so the app and the bare reference report their heap
// and event-loop delay through the same code, without an endpoint in
// either. Plain JavaScript: the app's production build runs without tsx.
//
// GET /heap?gc=1 answers process.memoryUsage() after a full collection;
// GET /loop?reset=1 answers the event-loop delay percentiles in ms, then
// starts a new window.
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

// The same sampling interval as prom-client's default metrics and the
// bare server's own histogram, so the figures compare with theirs.
const RESOLUTION_MS = 10;

const socketPath = process.env.BENCH_PROBE_SOCKET;

if (socketPath) {
  // Processes the server starts must not try to listen on the same path.
  delete process.env.BENCH_PROBE_SOCKET;
  startProbe(socketPath);
}

function startProbe(path) {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  rmSync(path, { force: true });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://probe');
    const body =
      url.pathname === '/heap'
        ? heapOf(url.searchParams.has('gc'))
        : loopOf(delay, url.searchParams.has('reset'));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  // The probe must never keep a stopping server alive.
  server.unref();
  server.listen(path);
}

function heapOf(collect) {
  const collected = collect && typeof globalThis.gc === 'function';
  if (collected) {
    // A second pass frees what the first one's finalisers let go.
    globalThis.gc();
    globalThis.gc();
  }

  return { collected, ...process.memoryUsage() };
}

function loopOf(delay, reset) {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const empty = delay.count === 0;
  const result = {
    resolutionMs: RESOLUTION_MS,
    samples: delay.count,
    p50: empty ? 0 : ms(delay.percentile(50)),
    p99: empty ? 0 : ms(delay.percentile(99)),
    p999: empty ? 0 : ms(delay.percentile(99.9)),
    max: empty ? 0 : ms(delay.max),
  };
  if (reset) delay.reset();

  return result;
}
