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

// Pure functions that apply pushes on top of an HTTP snapshot. A push may
// arrive twice, or after a newer snapshot, or before the offer it updates:
// none of these may move a bet backwards or lose a change.

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
}

export function betsFromSnapshot(bets: BetView[]): BetsState {
  return { bets: sortNewestFirst(bets), early: {} };
}

function sortNewestFirst(bets: BetView[]): BetView[] {
  return [...bets].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function applyNewBet(state: BetsState, push: NewBetPush): BetsState {
  if (state.bets.some((bet) => bet.id === push.id)) return state;

  const bet: BetView = {
    id: push.id,
    eventId: push.eventId,
    creatorId: push.creatorId,
    creatorUsername: push.creatorUsername,
    creatorChoice: push.creatorChoice,
    creatorAmount: push.creatorAmount,
    acceptorAmount: push.acceptorAmount,
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

  return { bets: [merged, ...state.bets], early: rest };
}

export function applyBetUpdate(
  state: BetsState,
  push: BetUpdatePush,
): BetsState {
  const known = state.bets.some((bet) => bet.id === push.id);

  if (!known) {
    return { ...state, early: { ...state.early, [push.id]: push } };
  }

  return {
    ...state,
    bets: state.bets.map((bet) =>
      bet.id === push.id ? updateBet(bet, push) : bet,
    ),
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
  /** Commit time of the change the wallet reflects; older pushes lose. */
  asOf: number;
}

export function applyWalletUpdate(
  state: WalletState,
  push: WalletUpdatePush,
): WalletState {
  if (push.timestamp < state.asOf) return state;

  const { balance, availableBalance, frozenBalance } = push;

  return {
    wallet: { balance, availableBalance, frozenBalance },
    asOf: push.timestamp,
  };
}

export interface EventState {
  event: EventView | null;
  asOf: number;
}

export function applyEventUpdate(
  state: EventState,
  push: EventUpdatePush,
): EventState {
  if (!state.event || push.eventId !== state.event.id) return state;
  if (push.timestamp < state.asOf) return state;
  if (isEnded(state.event.status) && !isEnded(push.status)) return state;

  const { status, score, clock, info } = push;

  return {
    event: { ...state.event, status, score, clock, info },
    asOf: push.timestamp,
  };
}

export function applyEventResult(
  state: EventState,
  push: EventResultPush,
): EventState {
  if (!state.event || push.eventId !== state.event.id) return state;

  return {
    event: {
      ...state.event,
      status: push.status,
      result: push.result,
      openBets: 0,
    },
    asOf: Math.max(state.asOf, push.timestamp),
  };
}

function isEnded(status: EventView['status']): boolean {
  return status === 'finished' || status === 'cancelled';
}
