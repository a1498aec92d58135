import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderChart } from '../bench/lib/chart';
import {
  createHistogram,
  encodeHistogram,
  mergeEncoded,
  recordMs,
  summarize,
} from '../bench/lib/histogram';
import { runOpenLoop } from '../bench/lib/open-loop';
import { renderTable } from '../bench/lib/report';
import { SequenceTracker } from '../bench/lib/sequence';
import { runOne } from '../bench/run';
import { updatePerformanceDoc } from '../bench/lib/doc';
import { p1 } from '../bench/scenarios/p1-sockets';
import { p2 } from '../bench/scenarios/p2-fanout';
import { p3 } from '../bench/scenarios/p3-placement';
import { p6 } from '../bench/scenarios/p6-watchers';
import { usesRealServices } from './support/env';

// The benchmark's own arithmetic, on data whose answer is known, and one
// scenario end to end at a tiny scale. Timings are reported, never
// asserted: a shared machine makes them vary.

const results = mkdtempSync(path.join(tmpdir(), 'bench-results-'));

afterAll(() => rmSync(results, { recursive: true, force: true }));

describe('latency histograms', () => {
  it('report the percentiles of known data in milliseconds', () => {
    const histogram = createHistogram();
    for (let ms = 1; ms <= 1000; ms += 1) recordMs(histogram, ms);

    const summary = summarize(histogram);

    expect(summary.count).toBe(1000);
    expect(summary.p50).toBeCloseTo(500, 0);
    expect(summary.p99).toBeCloseTo(990, 0);
    expect(summary.p999).toBeCloseTo(999, 0);
    expect(summary.max).toBeCloseTo(1000, 0);
  });

  it('merge what several load processes recorded', () => {
    const parts = [1, 2].map((ms) => {
      const histogram = createHistogram();
      for (let i = 0; i < 50; i += 1) recordMs(histogram, ms);
      return encodeHistogram(histogram);
    });

    const merged = summarize(mergeEncoded(parts));

    expect(merged.count).toBe(100);
    expect(merged.p50).toBeCloseTo(1, 2);
    expect(merged.max).toBeCloseTo(2, 2);
  });

  it('count a negative latency from clocks a tick apart as zero', () => {
    const histogram = createHistogram();
    recordMs(histogram, -0.4);

    expect(summarize(histogram).max).toBe(0);
  });
});

describe('sequence tracking', () => {
  it('counts lost, repeated and reordered pushes', () => {
    const tracker = new SequenceTracker();
    for (const n of [1, 2, 4, 3, 4, 6]) tracker.see(n);

    expect(tracker.count(7)).toEqual({
      received: 5,
      lost: 2,
      duplicates: 1,
      reordered: 1,
    });
  });
});

describe('open-loop load', () => {
  it('keeps its schedule while earlier requests are still running', async () => {
    const started: number[] = [];

    const result = await runOpenLoop({
      ratePerSecond: 100,
      count: 10,
      send: async (i) => {
        started.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 200));
        return i !== 3;
      },
    });

    // Ten 200 ms requests at 100/s overlap: a closed loop would take 2 s.
    expect(result).toMatchObject({ sent: 10, ok: 9, failed: 1 });
    expect(started[9]! - started[0]!).toBeLessThan(150);
  });
});

describe('reports', () => {
  it('draw a well-formed SVG chart with one line per series', () => {
    const svg = renderChart({
      title: 'p99 <by> "size" & more',
      xLabel: 'sockets',
      yLabel: 'ms',
      series: [
        {
          label: 'app',
          points: [
            { x: 1000, y: 3 },
            { x: 10000, y: 9 },
          ],
        },
        { label: 'reference', points: [{ x: 1000, y: 1 }] },
      ],
    });

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(
      true,
    );
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('p99 &lt;by&gt; &quot;size&quot; &amp; more');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('mark a missed target in the Markdown table', () => {
    const table = renderTable([
      {
        metric: 'p99',
        unit: 'ms',
        measured: 12,
        reference: 4,
        target: '<= 11 ms',
        pass: false,
      },
    ]);

    expect(table).toContain(
      '| p99 | 12 ms | 4 ms | 3.00x | <= 11 ms | **no** |',
    );
  });
});

describe.runIf(usesRealServices)('a tiny fan-out run', () => {
  it('delivers every push to every socket and writes its results', async () => {
    const log: string[] = [];

    const ok = await runOne(
      p2,
      { cwd: process.cwd(), size: 'tiny', log: (line) => log.push(line) },
      results,
    );

    expect(ok, log.join('\n')).toBe(true);
    const result = JSON.parse(
      readFileSync(path.join(results, 'p2.json'), 'utf8'),
    );
    const lost = result.rows.filter((row: { metric: string }) =>
      row.metric.endsWith('lost pushes'),
    );
    expect(lost.map((row: { measured: number }) => row.measured)).toEqual([
      0, 0,
    ]);
    expect(readFileSync(path.join(results, 'p2.svg'), 'utf8')).toContain(
      '</svg>',
    );
  });
});

interface StoredRow {
  metric: string;
  measured: number;
  pass: boolean | null;
}

/** Runs a scenario at the tiny scale and returns its stored rows. */
async function runTiny(scenario: typeof p1 | typeof p3 | typeof p6) {
  const log: string[] = [];
  const ok = await runOne(
    scenario,
    { cwd: process.cwd(), size: 'tiny', log: (line) => log.push(line) },
    results,
  );
  expect(ok, log.join('\n')).toBe(true);

  const file = path.join(results, `${scenario.name}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { rows: StoredRow[] }).rows;
}

function rowOf(rows: StoredRow[], start: string): StoredRow {
  const row = rows.find((candidate) => candidate.metric.startsWith(start));
  expect(row, `no row "${start}"`).toBeDefined();

  return row!;
}

// Targets of speed are not asserted (a tiny run on a shared machine says
// nothing about them); what must hold at any scale is.
describe.runIf(usesRealServices)('tiny runs of the other scenarios', () => {
  it('P1 holds every socket it opened, with no disconnect', async () => {
    const rows = await runTiny(p1);

    expect(rowOf(rows, 'sockets held').measured).toBe(20);
    expect(rowOf(rows, 'unexpected disconnects').measured).toBe(0);
  });

  it('P3 leaves the books balanced and a bet row per acknowledgement', async () => {
    const rows = await runTiny(p3);

    expect(rowOf(rows, 'invariants after the run').pass).toBe(true);
  });

  it('P6 gets every offer to every watcher once', async () => {
    const rows = await runTiny(p6);

    expect(rowOf(rows, 'offers acknowledged').pass).toBe(true);
    expect(rowOf(rows, 'offers a watcher missed').measured).toBe(0);
    expect(rowOf(rows, 'unexpected watcher disconnects').measured).toBe(0);
  });
});

describe('the performance page', () => {
  it('gets the latest tables between its markers and keeps its prose', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-doc-'));
    const doc = path.join(dir, 'performance.md');
    writeFileSync(
      doc,
      '# Perf\n\nProse.\n\n<!-- bench-results:start -->\nold\n' +
        '<!-- bench-results:end -->\n\nAfter.\n',
    );
    writeFileSync(
      path.join(dir, 'p9.json'),
      JSON.stringify({
        name: 'p9',
        title: 'a test scenario',
        scale: { size: 1 },
        rows: [
          {
            metric: 'p99',
            unit: 'ms',
            measured: 3,
            reference: 2,
            target: '<= 4 ms',
            pass: true,
          },
        ],
        notes: ['A note.'],
        machine: {
          date: '2026-01-01T00:00:00.000Z',
          node: 'v20',
          cores: 2,
          cpu: 'test',
          memoryGb: 1,
          platform: 'linux',
          loadAverage: [0, 0, 0],
        },
        durationS: 1,
      }),
    );

    try {
      expect(await updatePerformanceDoc(doc, dir, ['p9', 'p8'])).toBe(true);
      const text = readFileSync(doc, 'utf8');

      expect(text).toContain('Prose.');
      expect(text).toContain('After.');
      expect(text).not.toContain('old');
      expect(text).toContain('### P9: a test scenario');
      // Prettier pads the columns, so the cells are matched, not the spaces.
      const cells = ['p99', '3 ms', '2 ms', '1.50x', '<= 4 ms', 'yes'];
      const row = text
        .split('\n')
        .find((line) => line.trimStart().startsWith('| p99'));
      expect(row?.split('|').map((cell) => cell.trim())).toEqual([
        '',
        ...cells,
        '',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
