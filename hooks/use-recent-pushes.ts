'use client';

import { useRef } from 'react';

const KEEP = 500;

/**
 * The pushes a hook applied since its last snapshot. A snapshot that was
 * requested before a push arrived can land after it; replaying the newer
 * pushes onto the snapshot keeps them instead of losing them.
 */
export function useRecentPushes<P extends { push: { seq?: number } }>() {
  const log = useRef<P[]>([]);

  return {
    record(entry: P): void {
      log.current.push(entry);
      if (log.current.length > KEEP) log.current.shift();
    },
    replayOnto<S>(state: S, seq: number, apply: (state: S, entry: P) => S): S {
      log.current = log.current.filter(
        ({ push }) => push.seq === undefined || push.seq > seq,
      );

      return log.current.reduce(apply, state);
    },
  };
}
