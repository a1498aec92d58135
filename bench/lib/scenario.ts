import type { ScenarioResult } from './report';

/** What every scenario is given by the runner. */
export interface BenchContext {
  /** The folder with the production build (`dist/`, `.next/`). */
  cwd: string;
  /** `small` for development, `full` for the scales. */
  size: 'tiny' | 'small' | 'full';
  log(message: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

/** Picks the figure for the run's size. */
export function bySize<T>(
  ctx: BenchContext,
  sizes: { tiny: T; small: T; full: T },
): T {
  return sizes[ctx.size];
}

/** Polls `check` until it is true or `timeoutMs` passed; true if it was. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }

  return check();
}
