/** What one receiver saw of a numbered stream 1..n. */
export interface StreamCount {
  received: number;
  lost: number;
  duplicates: number;
  reordered: number;
}

/**
 * Follows the counter a scenario puts in each push it causes, so a lost,
 * repeated or out-of-order push can be counted. The app's `seq` cannot do
 * this alone: it is shared by every room and has gaps by design.
 */
export class SequenceTracker {
  private readonly seen = new Set<number>();
  private highest = 0;
  private duplicates = 0;
  private reordered = 0;

  see(n: number): void {
    if (this.seen.has(n)) {
      this.duplicates += 1;
      return;
    }
    if (n < this.highest) this.reordered += 1;

    this.seen.add(n);
    this.highest = Math.max(this.highest, n);
  }

  /** Counts against the numbers 1..expected that were actually sent. */
  count(expected: number): StreamCount {
    let received = 0;
    for (let n = 1; n <= expected; n += 1) {
      if (this.seen.has(n)) received += 1;
    }

    return {
      received,
      lost: expected - received,
      duplicates: this.duplicates,
      reordered: this.reordered,
    };
  }
}

export function addCounts(a: StreamCount, b: StreamCount): StreamCount {
  return {
    received: a.received + b.received,
    lost: a.lost + b.lost,
    duplicates: a.duplicates + b.duplicates,
    reordered: a.reordered + b.reordered,
  };
}

export const NO_COUNT: StreamCount = {
  received: 0,
  lost: 0,
  duplicates: 0,
  reordered: 0,
};
