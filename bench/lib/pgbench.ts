import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgbenchResult {
  clients: number;
  tps: number;
  transactions: number;
  failed: number;
  latencyMs: number;
}

/**
 * Runs a pgbench script for `seconds` at `clients`, closed loop, with
 * prepared statements as postgres.js sends them.
 */
export async function pgbench(opts: {
  databaseUrl: string;
  script: string;
  clients: number;
  seconds: number;
  variables: Record<string, string | number>;
}): Promise<PgbenchResult> {
  const args = [
    '--no-vacuum',
    '--protocol=prepared',
    `--client=${opts.clients}`,
    `--jobs=${Math.min(opts.clients, 2)}`,
    `--time=${opts.seconds}`,
    `--file=${opts.script}`,
    ...Object.entries(opts.variables).map(([k, v]) => `--define=${k}=${v}`),
    opts.databaseUrl,
  ];
  const { stdout, stderr } = await run(process.env.PGBENCH ?? 'pgbench', args, {
    timeout: (opts.seconds + 60) * 1000,
  });
  // A client that hit an error other than a serialisation failure stops,
  // and pgbench still prints a (lower) TPS: that must not pass unseen.
  if (/client \d+ aborted/.test(stderr)) {
    throw new Error(`pgbench clients aborted:\n${stderr.slice(0, 2000)}`);
  }

  return {
    clients: opts.clients,
    tps: numberAfter(stdout, /tps = ([\d.]+)/),
    transactions: numberAfter(stdout, /actually processed: (\d+)/),
    failed: numberAfter(stdout, /number of failed transactions: (\d+)/),
    latencyMs: numberAfter(stdout, /latency average = ([\d.]+) ms/),
  };
}

function numberAfter(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`pgbench printed no ${pattern}:\n${text}`);

  return Number(match[1]);
}
