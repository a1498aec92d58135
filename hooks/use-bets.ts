'use client';

import { useCallback, useState } from 'react';
import {
  applyBetUpdate,
  applyNewBet,
  betsFromSnapshot,
  type BetsState,
} from '@/lib/client/merge';
import type { BetView } from '@/lib/domain/bets';
import { useSnapshot } from './use-snapshot';
import { useSocketEvent } from './use-socket';

/**
 * The bets on one event: the snapshot, with `new-bet` and `bet-update`
 * applied on top; reloaded after a reconnect and after the event's
 * result, which settles bets in bulk without a push per bet.
 */
export function useBets(eventId: string, initial: BetView[] | null = null) {
  const [state, setState] = useState<BetsState>(() =>
    betsFromSnapshot(initial ?? []),
  );
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());

  const onSnapshot = useCallback((data: { items: BetView[] }, seq: number) => {
    setState(betsFromSnapshot(data.items, seq));
  }, []);
  const reload = useSnapshot(`/api/events/${eventId}/bets`, onSnapshot, {
    skipFirst: initial !== null,
  });

  useSocketEvent('new-bet', (push) => {
    if (push.eventId !== eventId) return;
    setState((current) => applyNewBet(current, push));
    setFreshIds((ids) => new Set(ids).add(push.id));
  });
  useSocketEvent('bet-update', (push) => {
    if (push.eventId !== eventId) return;
    setState((current) => applyBetUpdate(current, push));
  });
  useSocketEvent('event-result', (push) => {
    if (push.eventId === eventId) reload();
  });

  return { bets: state.bets, freshIds, reload };
}
