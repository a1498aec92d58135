'use client';

import { useCallback, useState } from 'react';
import {
  applyEventResult,
  applyEventUpdate,
  type EventState,
} from '@/lib/client/merge';
import type { EventView } from '@/lib/domain/events';
import { useSnapshot } from './use-snapshot';
import { useEventRoom, useSocketEvent } from './use-socket';

/**
 * One event's live state: the snapshot, then `event-update` and
 * `event-result` pushes. Mounting it also joins the event's room.
 */
export function useEventLive(eventId: string, initial: EventView | null) {
  const [state, setState] = useState<EventState>({ event: initial, seq: 0 });

  useEventRoom(eventId);

  const onSnapshot = useCallback((event: EventView, seq: number) => {
    setState({ event, seq });
  }, []);
  useSnapshot(`/api/events/${eventId}`, onSnapshot, {
    skipFirst: initial !== null,
  });

  useSocketEvent('event-update', (push) => {
    setState((current) => applyEventUpdate(current, push));
  });
  useSocketEvent('event-result', (push) => {
    setState((current) => applyEventResult(current, push));
  });

  return state.event;
}
