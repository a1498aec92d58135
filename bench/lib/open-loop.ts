import { setTimeout as sleep } from 'node:timers/promises';

// Open-loop load: the i-th request is due at start + i / rate whatever
// happened to the earlier ones, so a slow server meets more concurrency
// instead of quietly lowering the rate (coordinated omission).

export interface OpenLoopResult {
  sent: number;
  ok: number;
  failed: number;
  /** How late the latest send was against its schedule, in ms. */
  maxLagMs: number;
  elapsedMs: number;
}

export async function runOpenLoop(opts: {
  ratePerSecond: number;
  count: number;
  /** Sends request i (1-based); resolves true when it succeeded. */
  send: (i: number) => Promise<boolean>;
  /** How long to wait for stragglers after the last send. */
  drainMs?: number;
}): Promise<OpenLoopResult> {
  const started = performance.now();
  const intervalMs = 1000 / opts.ratePerSecond;
  const pending = new Set<Promise<void>>();
  let ok = 0;
  let failed = 0;
  let maxLagMs = 0;

  for (let i = 1; i <= opts.count; i += 1) {
    const due = started + (i - 1) * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    maxLagMs = Math.max(maxLagMs, performance.now() - due);

    const request = opts
      .send(i)
      .then(
        (success) => (success ? (ok += 1) : (failed += 1)),
        () => (failed += 1),
      )
      .then(() => void pending.delete(request));
    pending.add(request);
  }

  await Promise.race([Promise.all(pending), sleep(opts.drainMs ?? 30_000)]);

  return {
    sent: opts.count,
    ok,
    failed: failed + pending.size,
    maxLagMs: Math.round(maxLagMs * 10) / 10,
    elapsedMs: Math.round(performance.now() - started),
  };
}
