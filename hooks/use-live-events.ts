'use client';

import { useCallback, useMemo, useState } from 'react';
import {
  applyEventPush,
  type EventPush,
  type EventState,
} from '@/lib/client/merge';
import type { EventView } from '@/lib/domain/events';
import { useRecentPushes } from './use-recent-pushes';
import { useSnapshot } from './use-snapshot';
import { useSocketEvent } from './use-socket';

const LIST_PATH = '/api/events';

// Each event remembers the stream seq of the list it came from: pushes at
// or below it are already in the list.
function track(event: EventView, seq = 0): EventState {
  return { event, seq };
}

/**
 * Every event, as in the lobby: the server's list, then `event-update`
 * and `event-result` pushes on top. The list is reloaded after each
 * reconnect and when a push names an event it does not hold yet (one
 * just created). Open-offer counts only change on a reload.
 */
export function useLiveEvents(initial: EventView[]) {
  const [states, setStates] = useState<EventState[]>(() =>
    initial.map((event) => track(event)),
  );

  const recent = useRecentPushes<EventPush>();

  const onSnapshot = useCallback(
    (data: { items: EventView[] }, seq: number) => {
      setStates(
        data.items.map((event) =>
          recent.replayOnto(track(event, seq), seq, applyEventPush),
        ),
      );
    },
    [],
  );
  const reload = useSnapshot(LIST_PATH, onSnapshot, { skipFirst: true });

  const isKnown = (eventId: string) =>
    states.some((state) => state.event?.id === eventId);

  const receive = (entry: EventPush) => {
    recent.record(entry);
    if (!isKnown(entry.push.eventId)) {
      reload();
      return;
    }

    setStates((current) =>
      current.map((state) => applyEventPush(state, entry)),
    );
  };

  useSocketEvent('event-update', (push) => receive({ kind: 'update', push }));
  useSocketEvent('event-result', (push) => receive({ kind: 'result', push }));

  const events = useMemo(
    () => states.flatMap((state) => (state.event ? [state.event] : [])),
    [states],
  );

  return { events, reload };
}
