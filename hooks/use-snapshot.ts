'use client';

import { useCallback, useEffect, useRef } from 'react';
import { fetchSnapshot } from '@/lib/client/api';
import { useStreamSynced } from './use-socket';

/**
 * Loads `path` now (unless the server already rendered it) and again
 * each time the stream is synced (connect, reconnect, a room joined),
 * handing each answer to `onLoad` with the stream
 * seq it reflects. Answers that arrive after a newer request are dropped.
 */
export function useSnapshot<T>(
  path: string | null,
  onLoad: (data: T, seq: number) => void,
  opts: { skipFirst?: boolean } = {},
): () => void {
  const latest = useRef(onLoad);
  const generation = useRef(0);
  const skipFirst = useRef(opts.skipFirst ?? false);

  useEffect(() => {
    latest.current = onLoad;
  });

  const reload = useCallback(() => {
    if (!path) return;
    const mine = ++generation.current;

    fetchSnapshot<T>(path)
      .then(({ data, seq }) => {
        if (mine === generation.current) latest.current(data, seq);
      })
      .catch(() => {
        // The socket status shows the outage; the next reconnect retries.
      });
  }, [path]);

  useEffect(() => {
    if (skipFirst.current) {
      skipFirst.current = false;
      return;
    }
    reload();
  }, [reload]);

  useStreamSynced(reload);

  return reload;
}
