import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { updatePerformanceDoc } from './lib/doc';
import { describeMachine, machineInfo } from './lib/machine';
import { writeResult } from './lib/report';
import type { BenchContext, Scenario } from './lib/scenario';
import { p1 } from './scenarios/p1-sockets';
import { p2 } from './scenarios/p2-fanout';
import { p3 } from './scenarios/p3-placement';
import { p4 } from './scenarios/p4-settlement';
import { p5 } from './scenarios/p5-first-load';
import { p6 } from './scenarios/p6-watchers';

// `npm run bench` runs every scenario; `npm run bench -- p2 p5` runs
// those. `--full` uses the scales, `--tiny` a seconds-long check;
// the default is a small scale fit for a shared development machine.
// BENCH_APP_DIR points at another build than the current folder's.

const SCENARIOS: Scenario[] = [p1, p2, p3, p4, p5, p6];

const RESULTS = fileURLToPath(new URL('./results', import.meta.url));
const DOC = fileURLToPath(new URL('../docs/performance.md', import.meta.url));

async function main(argv: string[]): Promise<void> {
  const size = argv.includes('--full')
    ? 'full'
    : argv.includes('--tiny')
      ? 'tiny'
      : 'small';
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const chosen = pick(names);
  const ctx: BenchContext = {
    cwd: path.resolve(process.env.BENCH_APP_DIR ?? process.cwd()),
    size,
    log: (message) => process.stdout.write(`${message}\n`),
  };

  ctx.log(`bench (${size}): ${describeMachine(machineInfo())}`);
  let failed = 0;
  for (const scenario of chosen) {
    failed += (await runOne(scenario, ctx)) ? 0 : 1;
  }
  const all = SCENARIOS.map((scenario) => scenario.name);
  if (await updatePerformanceDoc(DOC, RESULTS, all)) {
    ctx.log(`updated ${path.relative('.', DOC)}`);
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

function pick(names: string[]): Scenario[] {
  if (names.length === 0) return SCENARIOS;

  return names.map((name) => {
    const found = SCENARIOS.find((scenario) => scenario.name === name);
    if (!found) {
      const known = SCENARIOS.map((scenario) => scenario.name).join(', ');
      throw new Error(`no scenario ${name}; known: ${known}`);
    }
    return found;
  });
}

/** Runs one scenario and writes its results; false if it crashed. */
export async function runOne(
  scenario: Scenario,
  ctx: BenchContext,
  dir = RESULTS,
): Promise<boolean> {
  const machine = machineInfo();
  const started = performance.now();
  ctx.log(`${scenario.name}: ${scenario.title}`);

  try {
    const result = await scenario.run(ctx);
    const durationS = Math.round((performance.now() - started) / 100) / 10;
    const files = writeResult(dir, { ...result, machine, durationS });
    for (const row of result.rows) {
      ctx.log(
        `  ${row.metric}: ${row.measured} ${row.unit} (ref ${row.reference})`,
      );
    }
    ctx.log(
      `  wrote ${files.map((file) => path.relative('.', file)).join(', ')}`,
    );
    return true;
  } catch (error) {
    ctx.log(`${scenario.name} failed: ${String(error)}`);
    if (error instanceof Error && error.stack) ctx.log(error.stack);
    return false;
  }
}

// Imported by the test for runOne; run only when started as the entry.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
