import { existsSync, mkdirSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go; CI keeps the folder. */
export const RESULTS_DIR = 'test-results';

/** The longest any single wait in a browser test may take. */
export const WAIT_MS = 30_000;

/**
 * Starts headless Chromium. Autoplay is allowed without a click, as for a
 * muted video on a real visit, so the stream can be checked.
 */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM} (apt-get install chromium).`,
    );
  }

  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Everything a page reported as broken: console errors and crashes. */
export interface PageProblems {
  list: string[];
}

/**
 * A new tab in `context` whose console errors and uncaught exceptions are
 * collected in `problems`, for a test to assert there are none.
 */
export async function openPage(
  context: BrowserContext,
  problems: PageProblems,
): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    problems.list.push(`console: ${message.text()} (${where})`);
  });
  page.on('pageerror', (error) => {
    problems.list.push(`pageerror: ${error.message}`);
  });

  return page;
}

/**
 * Logs in through the form, as a person would, and waits for the full
 * page load the form does on success.
 */
export async function logIn(
  page: Page,
  baseUrl: string,
  credentials: { username: string; password: string },
  next = '/',
): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await waitForHydration(page, 'form');
  await page.getByLabel('Username').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await Promise.all([
    page.waitForURL(`${baseUrl}${next}`),
    page.getByRole('button', { name: 'Log in' }).click(),
  ]);
}

/**
 * Resolves once React has hydrated the element `selector` finds, so its
 * handlers are attached. Submitting a form before that would make the
 * browser send it natively, as a GET with the fields in the URL.
 */
export async function waitForHydration(
  page: Page,
  selector: string,
): Promise<void> {
  // React keeps each hydrated element's props under a `__reactProps$…`
  // key; there is no public signal for it.
  await page.waitForFunction((css) => {
    const element = document.querySelector(css);
    return (
      element !== null &&
      Object.keys(element).some((key) => key.startsWith('__reactProps$'))
    );
  }, selector);
}

/** Resolves once the header shows the live connection as up. */
export async function waitUntilLive(page: Page): Promise<void> {
  // The dot may be styled out of sight on small screens; its label is
  // what says the connection is up.
  await page
    .getByRole('img', { name: 'Live updates on' })
    .waitFor({ state: 'attached' });
}

/** A toast (react-hot-toast renders each as role="status") with `text`. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.getByRole('status').filter({ hasText: text });
}

/** One figure of the wallet card (Balance, Available, Frozen), as shown. */
export async function walletFigure(
  page: Page,
  name: 'Balance' | 'Available' | 'Frozen',
): Promise<string> {
  const card = page.getByRole('region', { name: 'Your wallet' });
  const figure = card.locator(`dt:text-is("${name}") + dd`);

  // The Available figure carries the last change ("-10.00") after the
  // amount; the amount is the first text in it.
  return figure.evaluate((dd) => dd.firstChild?.textContent ?? '');
}

/** Waits until the wallet card shows exactly these three figures. */
export async function expectWallet(
  page: Page,
  figures: { balance: string; available: string; frozen: string },
): Promise<void> {
  await expect
    .poll(
      async () => ({
        balance: await walletFigure(page, 'Balance'),
        available: await walletFigure(page, 'Available'),
        frozen: await walletFigure(page, 'Frozen'),
      }),
      { timeout: WAIT_MS },
    )
    .toEqual(figures);
}

/** The offer with this id, wherever it is listed on the event page. */
export function offer(page: Page, betId: string): Locator {
  return page.locator(`[data-testid="offer"][data-bet-id="${betId}"]`);
}

/** Saves a screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = `${RESULTS_DIR}/${name}.png`;
  await page.screenshot({ path, fullPage: true });

  return path;
}
