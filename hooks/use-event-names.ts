'use client';

import { useEffect, useRef, useState } from 'react';
import { apiFetch } from '@/lib/client/api';
import type { EventView } from '@/lib/domain/events';

export type EventNames = Readonly<Record<string, string>>;

function namesOf(events: EventView[]): Record<string, string> {
  return Object.fromEntries(events.map((event) => [event.id, event.name]));
}

/**
 * Names for the events that rows point at. Starts from the server's list
 * and reloads it once for any id it has not seen, such as an event created
 * after the page was rendered. An id still missing then stays unnamed.
 */
export function useEventNames(
  initial: EventNames,
  eventIds: readonly string[],
): EventNames {
  const [names, setNames] = useState<EventNames>(initial);
  const tried = useRef(new Set<string>());
  const missing = eventIds.filter(
    (id) => !(id in names) && !tried.current.has(id),
  );
  const missingKey = [...new Set(missing)].sort().join(',');

  useEffect(() => {
    if (!missingKey) return;
    for (const id of missingKey.split(',')) tried.current.add(id);

    apiFetch<{ items: EventView[] }>('/api/events')
      .then((data) =>
        setNames((current) => ({ ...current, ...namesOf(data.items) })),
      )
      .catch(() => {
        // Rows fall back to a generic link; the next new id tries again.
      });
  }, [missingKey]);

  return names;
}
