import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Response,
} from 'playwright-core';

// A real browser for the scenarios that measure what a page costs a
// visitor: the system Chromium the end-to-end tests use, never one
// downloaded for the bench.

export const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';

/** One script the page fetched, with what it cost on the wire. */
export interface FetchedScript {
  /** The path on the app, e.g. `/_next/static/chunks/abc.js`. */
  path: string;
  /** Body bytes as the server sent them (gzip when it compressed). */
  wireBytes: number;
  /** The same script gzipped at level 9, as build reports count it. */
  gzipBytes: number;
  rawBytes: number;
  encoding: string;
}

/** Chromium, or null where none is installed. */
export async function launchChromium(): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) return null;

  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/**
 * Opens `url` in a new tab of `context` and lists every script it
 * fetched: those the HTML names and those loaded while the page starts,
 * until none has been asked for within `quietMs` (at most `maxMs`), and
 * `ready` (if given) has resolved.
 */
export async function recordScripts(
  context: BrowserContext,
  url: string,
  opts: { quietMs?: number; maxMs?: number; ready?: string } = {},
): Promise<FetchedScript[]> {
  const { quietMs = 1500, maxMs = 20_000 } = opts;
  const page = await context.newPage();
  const pending: Array<Promise<FetchedScript>> = [];
  let lastRequest = Date.now();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') lastRequest = Date.now();
  });
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(describeScript(response));
  });

  await page.goto(url, { waitUntil: 'load', timeout: maxMs });
  if (opts.ready) {
    await page.locator(opts.ready).waitFor({ state: 'attached' });
  }
  const deadline = Date.now() + maxMs;
  while (Date.now() - lastRequest < quietMs && Date.now() < deadline) {
    await page.waitForTimeout(100);
  }
  const scripts = await Promise.all(pending);
  await page.close();

  return scripts;
}

async function describeScript(response: Response): Promise<FetchedScript> {
  const body = await response.body();
  const sizes = await response.request().sizes();

  return {
    path: new URL(response.url()).pathname,
    wireBytes: sizes.responseBodySize,
    gzipBytes: gzipSync(body, { level: 9 }).length,
    rawBytes: body.length,
    encoding: response.headers()['content-encoding'] ?? 'identity',
  };
}
