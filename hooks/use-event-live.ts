'use client';

import { useCallback, useState } from 'react';
import {
  applyEventPush,
  type EventPush,
  type EventState,
} from '@/lib/client/merge';
import type { EventView } from '@/lib/domain/events';
import { useRecentPushes } from './use-recent-pushes';
import { useSnapshot } from './use-snapshot';
import { useEventRoom, useSocketEvent } from './use-socket';

/**
 * One event's live state: the snapshot, then `event-update` and
 * `event-result` pushes. Mounting it also joins the event's room.
 */
export function useEventLive(eventId: string, initial: EventView | null) {
  const [state, setState] = useState<EventState>({ event: initial, seq: 0 });

  useEventRoom(eventId);

  const recent = useRecentPushes<EventPush>();

  const onSnapshot = useCallback((event: EventView, seq: number) => {
    setState(recent.replayOnto({ event, seq }, seq, applyEventPush));
  }, []);
  useSnapshot(`/api/events/${eventId}`, onSnapshot, {
    skipFirst: initial !== null,
  });

  const receive = (entry: EventPush) => {
    recent.record(entry);
    setState((current) => applyEventPush(current, entry));
  };

  useSocketEvent('event-update', (push) => receive({ kind: 'update', push }));
  useSocketEvent('event-result', (push) => receive({ kind: 'result', push }));

  return state.event;
}
