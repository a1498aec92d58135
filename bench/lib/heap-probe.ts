import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Asks a server started with the probe preloaded (probe-preload.mjs) for
// its own heap and event-loop delay, over a Unix socket of its own: no
// port to find, and nothing the server under test has to serve.

const PRELOAD = fileURLToPath(new URL('./probe-preload.mjs', import.meta.url));

export interface HeapSample {
  /** Whether a full collection ran first (it needs --expose-gc). */
  collected: boolean;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

/** Event-loop delay in ms, as monitorEventLoopDelay samples it. */
export interface LoopDelay {
  /** Each sample is the time between timer ticks this far apart. */
  resolutionMs: number;
  samples: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export interface Probe {
  /** Arguments for the server's node command line, before its script. */
  nodeArgs: string[];
  /** Environment the server needs for the probe to listen. */
  env: Record<string, string>;
  heap(opts: { collect: boolean }): Promise<HeapSample>;
  /** The delay since the last reset; `reset` starts a new window. */
  loop(opts: { reset: boolean }): Promise<LoopDelay>;
  /** Removes the socket file once the server has stopped. */
  dispose(): void;
}

export function createProbe(): Probe {
  const socketPath = path.join(
    tmpdir(),
    `bench-probe-${process.pid}-${randomBytes(4).toString('hex')}.sock`,
  );

  return {
    nodeArgs: ['--expose-gc', '--import', pathToFileURL(PRELOAD).href],
    env: { BENCH_PROBE_SOCKET: socketPath },
    heap: ({ collect }) =>
      getJson<HeapSample>(socketPath, collect ? '/heap?gc=1' : '/heap'),
    loop: ({ reset }) =>
      getJson<LoopDelay>(socketPath, reset ? '/loop?reset=1' : '/loop'),
    dispose: () => rmSync(socketPath, { force: true }),
  };
}

function getJson<T>(socketPath: string, urlPath: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = get({ socketPath, path: urlPath }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body) as T);
        } catch (error) {
          reject(error);
        }
      });
    });
    // A collection of a large heap takes a while, but not this long.
    request.setTimeout(30_000, () =>
      request.destroy(new Error(`the probe did not answer ${urlPath}`)),
    );
    request.on('error', reject);
  });
}
