import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderChart, type ChartSpec } from './chart';
import { describeMachine, type MachineInfo } from './machine';

/** One line of a scenario's table: a measure, its reference and target. */
export interface ResultRow {
  metric: string;
  unit: string;
  measured: number;
  /** What the same measure gave on the reference, when it has one. */
  reference: number | null;
  /** The target in words, e.g. `<= 1.5x ref + 5 ms`. */
  target: string;
  /** Whether the target was met; null when this run cannot say. */
  pass: boolean | null;
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** The scale actually run, so a small run is never read as a full one. */
  scale: Record<string, number | string | boolean>;
  rows: ResultRow[];
  chart?: ChartSpec;
  /** Raw figures per load step, for anyone redrawing the chart. */
  steps?: readonly object[];
  notes: string[];
}

export interface StoredResult extends ScenarioResult {
  machine: MachineInfo;
  durationS: number;
}

/** Writes `<name>.json`, `<name>.md` and, with a chart, `<name>.svg`. */
export function writeResult(dir: string, result: StoredResult): string[] {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, result.name);
  const files = [`${base}.json`, `${base}.md`];

  writeFileSync(files[0]!, `${JSON.stringify(result, null, 2)}\n`);
  if (result.chart) {
    files.push(`${base}.svg`);
    writeFileSync(`${base}.svg`, renderChart(result.chart));
  }
  writeFileSync(files[1]!, renderMarkdown(result));

  return files;
}

export function renderMarkdown(result: StoredResult): string {
  const scale = Object.entries(result.scale)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');

  return [
    `# ${result.name.toUpperCase()}: ${result.title}`,
    '',
    `Run: ${describeMachine(result.machine)}; took ${result.durationS} s.`,
    '',
    `Scale: ${scale}.`,
    '',
    renderTable(result.rows),
    '',
    ...(result.chart
      ? [`![${result.chart.title}](${result.name}.svg)`, '']
      : []),
    ...result.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}

export function renderTable(rows: readonly ResultRow[]): string {
  const lines = [
    '| measure | measured | reference | ratio | target | met |',
    '| --- | ---: | ---: | ---: | --- | :-: |',
  ];

  for (const row of rows) {
    const ratio =
      row.reference && row.reference !== 0
        ? `${(row.measured / row.reference).toFixed(2)}x`
        : '-';
    lines.push(
      `| ${row.metric} | ${show(row.measured, row.unit)} | ` +
        `${row.reference === null ? '-' : show(row.reference, row.unit)} | ` +
        `${ratio} | ${row.target} | ${verdict(row.pass)} |`,
    );
  }

  return lines.join('\n');
}

function show(value: number, unit: string): string {
  const rounded = Number.isInteger(value) ? value : Number(value.toFixed(2));

  return unit ? `${rounded} ${unit}` : String(rounded);
}

function verdict(pass: boolean | null): string {
  if (pass === null) return 'n/a';

  return pass ? 'yes' : '**no**';
}
