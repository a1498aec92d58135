import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import type { ResultRow } from '../lib/report';
import type { BenchContext } from '../lib/scenario';

// P5: the JavaScript a browser must fetch before the event page runs,
// read from the `next build` output: the root chunks every App Router
// page loads plus the page's and its layout's entry chunks, gzipped.

const PAGE = '/events/[id]/page';
const LIMIT_KB = 180;
// Strings only hls.js's bundle holds: its event names.
const HLS_MARKERS = ['MANIFEST_PARSED', 'FRAG_LOADED', 'hlsjs'];

export const p5 = {
  name: 'p5',
  title: 'event page first-load JavaScript',
  async run(ctx: BenchContext) {
    const next = path.join(ctx.cwd, '.next');
    const chunks = firstLoadChunks(next);
    const sizes = chunks.map((chunk) => ({
      chunk,
      gzipBytes: gzipSync(readFileSync(path.join(next, chunk)), {
        level: 9,
      }).length,
    }));
    const totalKb = sizes.reduce((sum, s) => sum + s.gzipBytes, 0) / 1024;
    const hlsChunks = chunksHolding(next, HLS_MARKERS);
    const hlsInFirstLoad = hlsChunks.filter((chunk) => chunks.includes(chunk));

    const rows: ResultRow[] = [
      {
        metric: 'first-load JS of /events/[id] (gzip -9)',
        unit: 'KB',
        measured: Math.round(totalKb * 10) / 10,
        reference: null,
        target: `<= ${LIMIT_KB} KB`,
        pass: totalKb <= LIMIT_KB,
      },
      {
        metric: 'hls.js chunks in the first load',
        unit: '',
        measured: hlsInFirstLoad.length,
        reference: null,
        target: '0, and hls.js in a chunk of its own',
        pass: hlsInFirstLoad.length === 0 && hlsChunks.length > 0,
      },
    ];

    return {
      name: 'p5',
      title: p5.title,
      scale: { page: '/events/[id]', build: path.relative('.', next) || '.' },
      rows,
      steps: sizes,
      notes: [
        `First load = build-manifest rootMainFiles + the entryJSFiles of ` +
          `the root layout and ${PAGE} in its client reference manifest; ` +
          `polyfillFiles are left out (nomodule, not loaded by modern ` +
          `browsers).`,
        `hls.js found in: ${hlsChunks.join(', ') || 'no chunk'}; it is ` +
          `imported dynamically by components/stream-player.tsx. Whether ` +
          `a page without HLS fetches it at run time is not checked here.`,
      ],
    };
  },
};

/** The chunk paths (relative to `.next`) the event page loads first. */
export function firstLoadChunks(next: string): string[] {
  const build = JSON.parse(
    readFileSync(path.join(next, 'build-manifest.json'), 'utf8'),
  ) as { rootMainFiles: string[] };
  const entries = clientManifest(next).entryJSFiles;
  const own = [
    ...(entries['[project]/app/layout'] ?? []),
    ...(entries[`[project]/app${PAGE.replace(/\/page$/, '')}/page`] ?? []),
  ];

  return [...new Set([...build.rootMainFiles, ...own])];
}

// The manifest is a script that assigns to globalThis.__RSC_MANIFEST;
// it is run in an empty context rather than parsed by hand.
function clientManifest(next: string): {
  entryJSFiles: Record<string, string[]>;
} {
  const file = path.join(
    next,
    'server/app/events/[id]/page_client-reference-manifest.js',
  );
  const sandbox: { self: object; __RSC_MANIFEST?: Record<string, never> } = {
    self: {},
  };
  sandbox.self = sandbox;
  runInNewContext(`globalThis = self;${readFileSync(file, 'utf8')}`, sandbox);
  const manifest = sandbox.__RSC_MANIFEST?.[PAGE];
  if (!manifest) throw new Error(`no client manifest for ${PAGE}`);

  return manifest;
}

function chunksHolding(next: string, markers: string[]): string[] {
  const dir = path.join(next, 'static/chunks');

  return readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .filter((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return markers.every((marker) => text.includes(marker));
    })
    .map((file) => `static/chunks/${file}`);
}
