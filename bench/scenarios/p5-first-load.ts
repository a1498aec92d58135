import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { startApp, type RunningApp } from '../lib/app';
import {
  CHROMIUM,
  launchChromium,
  recordScripts,
  type FetchedScript,
} from '../lib/browser';
import { expectApi } from '../lib/http';
import type { ResultRow } from '../lib/report';
import type { BenchContext } from '../lib/scenario';
import { adminUser } from '../lib/seed';

// P5: the JavaScript a browser downloads on a first visit to an event
// page. Chromium opens the page on the production server with an empty
// cache, as a visitor and as a signed-in bettor, and every script it
// fetches is counted as the server sent it (gzip). The reference is what
// the `next build` manifests list for the page, gzipped; the two agree
// when the manifests tell the whole story. The same visits check that
// hls.js is fetched only for an HLS stream the browser cannot play.

const PAGE = '/events/[id]/page';
const LIMIT_KB = 180;
// Strings only hls.js's bundle holds: its event names.
const HLS_MARKERS = ['MANIFEST_PARSED', 'FRAG_LOADED', 'hlsjs'];
const HLS_STREAM = '/streams/demo/index.m3u8';
// A stream that is not HLS; whether it plays does not matter here.
const MP4_STREAM = '/streams/demo/init.mp4';

type Stream = 'none' | 'mp4' | 'hls';

interface Visit {
  label: string;
  bettor: boolean;
  stream: Stream;
  /** Hide the browser's own HLS support, so the page needs hls.js. */
  hideNativeHls: boolean;
}

const VISITS: Visit[] = [
  { label: 'visitor', bettor: false, stream: 'none', hideNativeHls: false },
  { label: 'bettor', bettor: true, stream: 'none', hideNativeHls: false },
  { label: 'mp4', bettor: false, stream: 'mp4', hideNativeHls: false },
  { label: 'hls', bettor: false, stream: 'hls', hideNativeHls: true },
];

interface VisitResult {
  visit: Visit;
  scripts: FetchedScript[];
  hlsFetched: boolean;
}

export const p5 = {
  name: 'p5',
  title: 'event page first-load JavaScript',
  async run(ctx: BenchContext) {
    const next = path.join(ctx.cwd, '.next');
    const listed = firstLoadChunks(next);
    const hlsChunks = chunksHolding(next, HLS_MARKERS);
    const browser = await launchChromium();
    if (!browser) return resultOf(next, listed, hlsChunks, null);

    const app = await startApp({ cwd: ctx.cwd });
    try {
      const visits = await visitAll(ctx, app, browser, hlsChunks);
      return resultOf(next, listed, hlsChunks, visits);
    } finally {
      await browser.close();
      await app.stop();
    }
  },
};

async function visitAll(
  ctx: BenchContext,
  app: RunningApp,
  browser: Browser,
  hlsChunks: string[],
): Promise<VisitResult[]> {
  const admin = await adminUser(app);
  const events = {
    none: await newEvent(app, admin.token, null),
    mp4: await newEvent(app, admin.token, MP4_STREAM),
    hls: await newEvent(app, admin.token, HLS_STREAM),
  };

  const results: VisitResult[] = [];
  for (const visit of VISITS) {
    ctx.log(`p5: ${visit.label}`);
    const scripts = await visitOnce(app, browser, visit, events[visit.stream]);
    const hlsFetched = scripts.some((script) =>
      hlsChunks.some((chunk) => script.path.endsWith(chunk)),
    );
    results.push({ visit, scripts, hlsFetched });
  }

  return results;
}

/** One first load in a fresh profile: empty cache, no cookies. */
async function visitOnce(
  app: RunningApp,
  browser: Browser,
  visit: Visit,
  eventId: string,
): Promise<FetchedScript[]> {
  const context = await browser.newContext();
  try {
    if (visit.hideNativeHls) await context.addInitScript(hideNativeHls);
    if (visit.bettor) await signUp(app, context);

    return await recordScripts(context, `${app.url}/events/${eventId}`, {
      // A bettor's page is started once its socket is up.
      ready: visit.bettor ? '[aria-label="Live updates on"]' : undefined,
      // Waits out hls.js, which is fetched once the player has mounted.
      quietMs: visit.stream === 'hls' ? 3000 : 1500,
    });
  } finally {
    await context.close();
  }
}

// Runs in the page: the browser then reports that it cannot play HLS.
function hideNativeHls() {
  const canPlayType = HTMLMediaElement.prototype.canPlayType;
  HTMLMediaElement.prototype.canPlayType = function (type: string) {
    return /mpegurl/i.test(type) ? '' : canPlayType.call(this, type);
  };
}

/** Registers a bettor; the context keeps the session cookies it gets. */
async function signUp(app: RunningApp, context: BrowserContext) {
  const username = `p5_${Math.random().toString(36).slice(2, 10)}`;
  const response = await context.request.post(`${app.url}/api/auth/register`, {
    data: { username, password: 'p5-password-1' },
  });
  if (response.status() !== 201) {
    throw new Error(`sign-up answered ${response.status()}`);
  }
}

async function newEvent(
  app: RunningApp,
  adminToken: string,
  streamUrl: string | null,
): Promise<string> {
  const event = await expectApi<{ id: string }>(
    201,
    app.url,
    'POST',
    '/api/events',
    {
      token: adminToken,
      body: {
        name: `P5 ${streamUrl ?? 'no stream'}`,
        sport: 'football',
        outcomes: ['home', 'draw', 'away'],
        startsAt: new Date(Date.now() + 3600_000).toISOString(),
        streamUrl,
      },
    },
  );

  return event.id;
}

function resultOf(
  next: string,
  listed: string[],
  hlsChunks: string[],
  visits: VisitResult[] | null,
) {
  const listedKb = kb(listed.reduce((sum, c) => sum + gzipOf(next, c), 0));
  const rows: ResultRow[] = visits
    ? visitRows(listedKb, hlsChunks, visits)
    : [manifestRow(listedKb, null), hlsSplitRow(listed, hlsChunks)];

  return {
    name: 'p5',
    title: p5.title,
    scale: {
      page: '/events/[id]',
      build: path.relative('.', next) || '.',
      browser: visits ? CHROMIUM : 'none (manifests only)',
    },
    rows,
    steps: visits?.map(summariseVisit) ?? [],
    notes: notesFor(hlsChunks, visits),
  };
}

function visitRows(
  listedKb: number,
  hlsChunks: string[],
  visits: VisitResult[],
): ResultRow[] {
  const rows = visits.map((result) => {
    const wireKb = kb(sum(result.scripts, 'wireBytes'));
    const gzipKb = kb(sum(result.scripts, 'gzipBytes'));
    const needsHls = result.visit.stream === 'hls';

    return {
      metric:
        `${result.visit.label}: JS fetched on first load (wire; gzip -9 ` +
        `${gzipKb} KB; ${result.scripts.length} scripts)`,
      unit: 'KB',
      measured: wireKb,
      reference: needsHls ? null : listedKb,
      target: needsHls ? 'hls.js fetched' : `<= ${LIMIT_KB} KB`,
      pass: needsHls ? result.hlsFetched : wireKb <= LIMIT_KB,
    };
  });
  const strayHls = visits.filter(
    (result) => result.visit.stream !== 'hls' && result.hlsFetched,
  );
  rows.push({
    metric: 'visits without an HLS stream that fetched hls.js',
    unit: '',
    measured: strayHls.length,
    reference: null,
    target: `0 (hls.js in ${hlsChunks.length} chunk of its own)`,
    pass: strayHls.length === 0 && hlsChunks.length > 0,
  });

  return [manifestRow(listedKb, null), ...rows];
}

function manifestRow(listedKb: number, reference: number | null): ResultRow {
  return {
    metric: 'first-load JS the build manifests list (gzip -9)',
    unit: 'KB',
    measured: listedKb,
    reference,
    target: `<= ${LIMIT_KB} KB`,
    pass: listedKb <= LIMIT_KB,
  };
}

function hlsSplitRow(listed: string[], hlsChunks: string[]): ResultRow {
  const inFirstLoad = hlsChunks.filter((chunk) => listed.includes(chunk));

  return {
    metric: 'hls.js chunks in the listed first load',
    unit: '',
    measured: inFirstLoad.length,
    reference: null,
    target: '0, and hls.js in a chunk of its own',
    pass: inFirstLoad.length === 0 && hlsChunks.length > 0,
  };
}

function summariseVisit(result: VisitResult) {
  return {
    visit: result.visit.label,
    hlsFetched: result.hlsFetched,
    scripts: result.scripts,
  };
}

function notesFor(hlsChunks: string[], visits: VisitResult[] | null) {
  const notes = [
    `The reference is the build's own list: build-manifest rootMainFiles ` +
      `plus the entryJSFiles of the root layout and ${PAGE} in its client ` +
      `reference manifest, each gzipped at level 9; polyfillFiles are ` +
      `left out (nomodule, never loaded by a modern browser).`,
    `hls.js is in ${hlsChunks.join(', ') || 'no chunk'}; ` +
      `components/stream-player.tsx imports it dynamically.`,
  ];
  if (!visits) {
    notes.push(`No Chromium at ${CHROMIUM}: only the manifests were read.`);
    return notes;
  }
  notes.push(
    `Each visit is a fresh browser context (empty cache, no cookies) on ` +
      `the production server; "wire" is the body bytes the server sent ` +
      `(it gzips), counted until no script was asked for in a quiet spell.`,
  );

  return notes;
}

function sum(scripts: FetchedScript[], key: 'wireBytes' | 'gzipBytes') {
  return scripts.reduce((total, script) => total + script[key], 0);
}

function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}

function gzipOf(next: string, chunk: string): number {
  return gzipSync(readFileSync(path.join(next, chunk)), { level: 9 }).length;
}

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

/** Chunks (relative to `.next`) whose text holds every marker. */
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
