import type { BetView } from '@/lib/domain/bets';
import type { EventView } from '@/lib/domain/events';
import type { Wallet } from '@/lib/domain/ledger';
import type {
  BetStatus,
  BetUpdatePush,
  EventResultPush,
  EventUpdatePush,
  NewBetPush,
  WalletUpdatePush,
} from '@/lib/realtime/contract';

// Pure functions that apply pushes on top of an HTTP snapshot. Each state
// remembers the stream seq its snapshot reflects; a push at or below it is
// already in the snapshot. A push may also arrive twice, or before the
// offer it updates: none of these may move a bet backwards or lose a
// change.

/** True when the state already reflects this push. */
function isOld(state: { seq: number }, push: { seq?: number }): boolean {
  return push.seq !== undefined && push.seq <= state.seq;
}

const nextSeq = (state: { seq: number }, push: { seq?: number }) =>
  Math.max(state.seq, push.seq ?? 0);

export type { BetView, EventView, Wallet };

/** How far along its life a bet is; it never goes back down. */
const STAGE: Record<BetStatus, number> = {
  open: 0,
  accepted: 1,
  cancelled: 2,
  settled: 2,
  void: 2,
};

export interface BetsState {
  bets: BetView[];
  /** Updates that arrived before the offer they belong to. */
  early: Record<string, BetUpdatePush>;
  seq: number;
}

export function betsFromSnapshot(bets: BetView[], seq = 0): BetsState {
  return { bets: sortNewestFirst(bets), early: {}, seq };
}

function sortNewestFirst(bets: BetView[]): BetView[] {
  return [...bets].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function applyNewBet(state: BetsState, push: NewBetPush): BetsState {
  if (isOld(state, push)) return state;
  if (state.bets.some((bet) => bet.id === push.id)) return state;

  const bet: BetView = {
    id: push.id,
    eventId: push.eventId,
    creatorId: push.creatorId,
    creatorUsername: push.creatorUsername,
    creatorChoice: push.creatorChoice,
    creatorAmount: push.creatorAmount,
    acceptorAmount: push.acceptorAmount,
    keepWhenLive: push.keepWhenLive,
    status: 'open',
    acceptorId: null,
    acceptorUsername: null,
    winnerId: null,
    createdAt: new Date(push.timestamp).toISOString(),
    acceptedAt: null,
    settledAt: null,
  };
  const early = state.early[push.id];
  const { [push.id]: _applied, ...rest } = state.early;
  const merged = early ? updateBet(bet, early) : bet;

  return {
    bets: [merged, ...state.bets],
    early: rest,
    seq: nextSeq(state, push),
  };
}

export function applyBetUpdate(
  state: BetsState,
  push: BetUpdatePush,
): BetsState {
  if (isOld(state, push)) return state;

  const known = state.bets.some((bet) => bet.id === push.id);
  const seq = nextSeq(state, push);

  // Held for the offer it belongs to, whose push has a lower seq: the
  // state's seq must not move past it yet.
  if (!known) return { ...state, early: { ...state.early, [push.id]: push } };

  return {
    ...state,
    bets: state.bets.map((bet) =>
      bet.id === push.id ? updateBet(bet, push) : bet,
    ),
    seq,
  };
}

function updateBet(bet: BetView, push: BetUpdatePush): BetView {
  if (STAGE[push.status] <= STAGE[bet.status]) return bet;

  return {
    ...bet,
    status: push.status,
    acceptorId: push.acceptorId ?? bet.acceptorId,
    acceptorUsername: push.acceptorUsername ?? bet.acceptorUsername,
    acceptedAt:
      push.action === 'accepted'
        ? new Date(push.timestamp).toISOString()
        : bet.acceptedAt,
  };
}

export interface WalletState {
  wallet: Wallet | null;
  seq: number;
}

export function applyWalletUpdate(
  state: WalletState,
  push: WalletUpdatePush,
): WalletState {
  if (isOld(state, push)) return state;

  const { balance, availableBalance, frozenBalance } = push;

  return {
    wallet: { balance, availableBalance, frozenBalance },
    seq: nextSeq(state, push),
  };
}

export interface EventState {
  event: EventView | null;
  seq: number;
}

export function applyEventUpdate(
  state: EventState,
  push: EventUpdatePush,
): EventState {
  if (!state.event || push.eventId !== state.event.id) return state;
  if (isOld(state, push)) return state;
  if (isEnded(state.event.status) && !isEnded(push.status)) return state;

  const { status, suspended, score, clock, info } = push;

  return {
    event: { ...state.event, status, suspended, score, clock, info },
    seq: nextSeq(state, push),
  };
}

export function applyEventResult(
  state: EventState,
  push: EventResultPush,
): EventState {
  if (!state.event || push.eventId !== state.event.id) return state;
  if (isOld(state, push)) return state;

  return {
    event: {
      ...state.event,
      status: push.status,
      result: push.result,
      openBets: 0,
    },
    seq: nextSeq(state, push),
  };
}

function isEnded(status: EventView['status']): boolean {
  return status === 'finished' || status === 'cancelled';
}

/** Either event push, tagged, for hooks that replay them onto snapshots. */
export type EventPush =
  | { kind: 'update'; push: EventUpdatePush }
  | { kind: 'result'; push: EventResultPush };

export function applyEventPush(state: EventState, entry: EventPush) {
  return entry.kind === 'update'
    ? applyEventUpdate(state, entry.push)
    : applyEventResult(state, entry.push);
}
