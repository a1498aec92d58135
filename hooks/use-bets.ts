'use client';

import { useCallback, useState } from 'react';
import {
  applyBetUpdate,
  applyNewBet,
  betsFromSnapshot,
  type BetsState,
} from '@/lib/client/merge';
import type { BetView } from '@/lib/domain/bets';
import type { BetUpdatePush, NewBetPush } from '@/lib/realtime/contract';
import { useRecentPushes } from './use-recent-pushes';
import { useSnapshot } from './use-snapshot';
import { useSocketEvent } from './use-socket';

/**
 * The bets on one event: the snapshot, with `new-bet` and `bet-update`
 * applied on top; reloaded after a reconnect and after the event's
 * result, which settles bets in bulk without a push per bet.
 */
type BetPush =
  { kind: 'new'; push: NewBetPush } | { kind: 'update'; push: BetUpdatePush };

function apply(state: BetsState, entry: BetPush): BetsState {
  return entry.kind === 'new'
    ? applyNewBet(state, entry.push)
    : applyBetUpdate(state, entry.push);
}

export function useBets(eventId: string, initial: BetView[] | null = null) {
  const [state, setState] = useState<BetsState>(() =>
    betsFromSnapshot(initial ?? []),
  );
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());

  const recent = useRecentPushes<BetPush>();

  const onSnapshot = useCallback((data: { items: BetView[] }, seq: number) => {
    setState(recent.replayOnto(betsFromSnapshot(data.items, seq), seq, apply));
  }, []);
  const reload = useSnapshot(`/api/events/${eventId}/bets`, onSnapshot, {
    skipFirst: initial !== null,
  });

  const receive = (entry: BetPush) => {
    if (entry.push.eventId !== eventId) return;
    recent.record(entry);
    setState((current) => apply(current, entry));
  };

  useSocketEvent('new-bet', (push) => {
    receive({ kind: 'new', push });
    setFreshIds((ids) => new Set(ids).add(push.id));
  });
  useSocketEvent('bet-update', (push) => receive({ kind: 'update', push }));
  useSocketEvent('event-result', (push) => {
    if (push.eventId === eventId) reload();
  });

  return { bets: state.bets, freshIds, reload };
}
