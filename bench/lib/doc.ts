import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';
import { describeMachine } from './machine';
import { renderTable, type StoredResult } from './report';

// docs/performance.md holds the analysis by hand and, between two
// markers, the latest table of every scenario as the harness last wrote
// it. Each run rewrites only that part, so the tables never drift from
// bench/results/ and the prose is never overwritten.

const START = '<!-- bench-results:start -->';
const END = '<!-- bench-results:end -->';

/**
 * Rewrites the results part of `docPath` from `resultsDir`'s JSON, then
 * formats the page as `npm run lint` expects it.
 */
export async function updatePerformanceDoc(
  docPath: string,
  resultsDir: string,
  names: readonly string[],
): Promise<boolean> {
  if (!existsSync(docPath)) return false;

  const doc = readFileSync(docPath, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return false;

  const sections = names
    .map((name) => path.join(resultsDir, `${name}.json`))
    .filter((file) => existsSync(file))
    .map((file) => section(docPath, resultsDir, readResult(file)));
  const body = [START, '', ...sections, END].join('\n');
  const updated = doc.slice(0, start) + body + doc.slice(end + END.length);
  writeFileSync(docPath, await format(updated, { filepath: docPath }));

  return true;
}

function readResult(file: string): StoredResult {
  return JSON.parse(readFileSync(file, 'utf8')) as StoredResult;
}

function section(docPath: string, resultsDir: string, result: StoredResult) {
  const scale = Object.entries(result.scale)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
  const chart = path.relative(
    path.dirname(docPath),
    path.join(resultsDir, `${result.name}.svg`),
  );

  return [
    `### ${result.name.toUpperCase()}: ${result.title}`,
    '',
    `${describeMachine(result.machine)}; took ${result.durationS} s. ` +
      `Scale: ${scale}.`,
    '',
    renderTable(result.rows),
    '',
    ...(result.chart ? [`![${result.chart.title}](${chart})`, ''] : []),
    ...result.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}
