'use client';

import { useCallback, useEffect, useRef } from 'react';
import { apiFetch } from '@/lib/client/api';
import { useReconnect } from './use-socket';

/**
 * Loads `path` now (unless the server already rendered it), again after
 * every reconnect, and whenever `reloadKey` changes, handing each answer
 * to `onLoad`. Answers that arrive after a newer request are dropped.
 */
export function useSnapshot<T>(
  path: string | null,
  onLoad: (data: T) => void,
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

    apiFetch<T>(path)
      .then((data) => {
        if (mine === generation.current) latest.current(data);
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

  useReconnect(reload);

  return reload;
}
