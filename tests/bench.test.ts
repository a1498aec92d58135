import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { p2 } from '../bench/scenarios/p2-fanout';
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
