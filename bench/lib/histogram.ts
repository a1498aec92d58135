import * as hdr from 'hdr-histogram-js';

// Latencies are recorded in microseconds, so sub-millisecond deliveries on
// loopback stay distinguishable, and reported in milliseconds.

export type Histogram = hdr.Histogram;

/** p50, p99, p99.9 and max in milliseconds, and how many samples. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

// An hour is far past any latency a bounded scenario can see; a larger
// value would mean a clock went wrong, and is clamped rather than thrown.
const HIGHEST_US = 3_600_000_000;

export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });
}

/** Records one latency; a negative one (clocks a tick apart) counts as 0. */
export function recordMs(histogram: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);

  histogram.recordValue(Math.min(Math.max(us, 0), HIGHEST_US));
}

export function summarize(histogram: Histogram): LatencySummary {
  const ms = (us: number) => round(us / 1000, 3);
  const empty = histogram.totalCount === 0;

  return {
    count: histogram.totalCount,
    p50: empty ? 0 : ms(histogram.getValueAtPercentile(50)),
    p99: empty ? 0 : ms(histogram.getValueAtPercentile(99)),
    p999: empty ? 0 : ms(histogram.getValueAtPercentile(99.9)),
    max: empty ? 0 : ms(histogram.maxValue),
  };
}

/** A compact text form, to carry a histogram from a load process. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Adds the encoded histograms of several processes into one. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = createHistogram();

  for (const text of encoded) {
    const part = hdr.decodeFromCompressedBase64(text);
    total.add(part);
    part.destroy();
  }

  return total;
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;

  return Math.round(value * scale) / scale;
}
