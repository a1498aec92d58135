import { describe, expect, it } from 'vitest';
import {
  applyBetUpdate,
  applyEventResult,
  applyEventUpdate,
  applyNewBet,
  applyWalletUpdate,
  betsFromSnapshot,
  type BetView,
  type EventView,
  type WalletState,
} from '@/lib/client/merge';
import type {
  BetUpdatePush,
  EventResultPush,
  EventUpdatePush,
  NewBetPush,
  WalletUpdatePush,
} from '@/lib/realtime/contract';

// Pushes and snapshots as the server shapes them, with only the fields a
// test cares about spelled out.

const EVENT_ID = 'event-1';
const T0 = Date.parse('2025-06-01T18:00:00.000Z');

function newBetPush(id: string, overrides: Partial<NewBetPush> = {}) {
  return {
    id,
    eventId: EVENT_ID,
    creatorId: 'alice-id',
    creatorUsername: 'alice',
    creatorChoice: 'home',
    creatorAmount: 1000,
    acceptorAmount: 800,
    keepWhenLive: false,
    status: 'open',
    timestamp: T0,
    ...overrides,
  } satisfies NewBetPush;
}

function accepted(id: string, timestamp = T0 + 1000): BetUpdatePush {
  return {
    id,
    eventId: EVENT_ID,
    status: 'accepted',
    action: 'accepted',
    acceptorId: 'bob-id',
    acceptorUsername: 'bob',
    timestamp,
  };
}

function cancelled(id: string, timestamp = T0 + 1000): BetUpdatePush {
  return {
    id,
    eventId: EVENT_ID,
    status: 'cancelled',
    action: 'cancelled',
    timestamp,
  };
}

function betView(id: string, overrides: Partial<BetView> = {}): BetView {
  return {
    id,
    eventId: EVENT_ID,
    creatorId: 'alice-id',
    creatorUsername: 'alice',
    creatorChoice: 'home',
    creatorAmount: 1000,
    acceptorAmount: 800,
    keepWhenLive: false,
    status: 'open',
    acceptorId: null,
    acceptorUsername: null,
    winnerId: null,
    createdAt: new Date(T0).toISOString(),
    acceptedAt: null,
    settledAt: null,
    ...overrides,
  };
}

function eventView(overrides: Partial<EventView> = {}): EventView {
  return {
    id: EVENT_ID,
    name: 'Lions vs Tigers',
    sport: 'football',
    outcomes: ['home', 'draw', 'away'],
    status: 'live',
    suspended: false,
    startsAt: new Date(T0).toISOString(),
    streamUrl: null,
    score: '1-0',
    clock: "34'",
    info: null,
    result: null,
    openBets: 2,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    ...overrides,
  };
}

function eventUpdate(overrides: Partial<EventUpdatePush> = {}) {
  return {
    eventId: EVENT_ID,
    status: 'live',
    suspended: false,
    score: '2-0',
    clock: "60'",
    info: null,
    timestamp: T0 + 1000,
    ...overrides,
  } satisfies EventUpdatePush;
}

function eventResult(overrides: Partial<EventResultPush> = {}) {
  return {
    eventId: EVENT_ID,
    result: 'home',
    status: 'finished',
    affectedBets: 1,
    affectedUsers: 2,
    winnerIds: ['alice-id'],
    userResults: [],
    timestamp: T0 + 2000,
    ...overrides,
  } satisfies EventResultPush;
}

function walletUpdate(overrides: Partial<WalletUpdatePush> = {}) {
  return {
    balance: 100_000,
    availableBalance: 99_000,
    frozenBalance: 1000,
    delta: -1000,
    reason: 'bet_placed',
    timestamp: T0 + 1000,
    ...overrides,
  } satisfies WalletUpdatePush;
}

describe('new-bet pushes', () => {
  it('add the offer once even when the push is delivered twice', () => {
    const once = applyNewBet(betsFromSnapshot([]), newBetPush('b1'));
    const twice = applyNewBet(once, newBetPush('b1'));

    expect(twice.bets).toHaveLength(1);
    expect(twice.bets[0]).toMatchObject({ id: 'b1', status: 'open' });
  });

  it('put the newest offer first, above the snapshot', () => {
    const snapshot = betsFromSnapshot([
      betView('old', { createdAt: new Date(T0 - 5000).toISOString() }),
      betView('older', { createdAt: new Date(T0 - 9000).toISOString() }),
    ]);

    const state = applyNewBet(snapshot, newBetPush('new'));

    expect(state.bets.map((bet) => bet.id)).toEqual(['new', 'old', 'older']);
  });

  it('do not reopen an offer the snapshot already shows as accepted', () => {
    const snapshot = betsFromSnapshot([
      betView('b1', { status: 'accepted', acceptorUsername: 'bob' }),
    ]);

    const state = applyNewBet(snapshot, newBetPush('b1'));

    expect(state.bets).toEqual(snapshot.bets);
  });
});

describe('bet-update pushes', () => {
  it('are kept until their offer arrives, then applied to it', () => {
    const early = applyBetUpdate(betsFromSnapshot([]), accepted('b1'));
    expect(early.bets).toHaveLength(0);

    const state = applyNewBet(early, newBetPush('b1'));

    expect(state.bets).toHaveLength(1);
    expect(state.bets[0]).toMatchObject({
      id: 'b1',
      status: 'accepted',
      acceptorUsername: 'bob',
      acceptedAt: new Date(T0 + 1000).toISOString(),
    });
    expect(state.early).toEqual({});
  });

  it('mark an offer as taken, with who took it', () => {
    const state = applyBetUpdate(
      betsFromSnapshot([betView('b1')]),
      accepted('b1'),
    );

    expect(state.bets[0]).toMatchObject({
      status: 'accepted',
      acceptorId: 'bob-id',
      acceptorUsername: 'bob',
    });
  });

  it('never move a bet back to an earlier status', () => {
    const settled = betsFromSnapshot([
      betView('b1', { status: 'settled', winnerId: 'alice-id' }),
    ]);
    const wasCancelled = applyBetUpdate(
      betsFromSnapshot([betView('b2')]),
      cancelled('b2'),
    );

    const lateAccept = applyBetUpdate(settled, accepted('b1'));
    const acceptAfterCancel = applyBetUpdate(wasCancelled, accepted('b2'));

    expect(lateAccept.bets[0]).toMatchObject({
      status: 'settled',
      acceptorUsername: null,
    });
    expect(acceptAfterCancel.bets[0]).toMatchObject({
      status: 'cancelled',
      acceptorUsername: null,
    });
  });

  it('ignore a repeated update of the same change', () => {
    const once = applyBetUpdate(
      betsFromSnapshot([betView('b1')]),
      accepted('b1', T0 + 1000),
    );

    const twice = applyBetUpdate(once, accepted('b1', T0 + 5000));

    expect(twice.bets[0]!.acceptedAt).toBe(new Date(T0 + 1000).toISOString());
  });

  it('leave other bets untouched', () => {
    const snapshot = betsFromSnapshot([betView('b1'), betView('b2')]);

    const state = applyBetUpdate(snapshot, cancelled('b2'));

    expect(state.bets.find((bet) => bet.id === 'b1')).toBe(
      snapshot.bets.find((bet) => bet.id === 'b1'),
    );
  });
});

describe('pushes numbered in the stream', () => {
  it('are ignored when the snapshot already reflects them', () => {
    const snapshot = betsFromSnapshot([betView('b1')], 7);

    const lateOffer = applyNewBet(snapshot, newBetPush('b0', { seq: 6 }));
    const lateTake = applyBetUpdate(snapshot, { ...accepted('b1'), seq: 7 });
    const newOffer = applyNewBet(snapshot, newBetPush('b2', { seq: 8 }));

    expect(lateOffer).toBe(snapshot);
    expect(lateTake).toBe(snapshot);
    expect(newOffer.bets.map((bet) => bet.id)).toEqual(['b2', 'b1']);
    expect(newOffer.seq).toBe(8);
  });
});

describe('a fresh snapshot', () => {
  it('replaces the bets and forgets updates still waiting for an offer', () => {
    const waiting = applyBetUpdate(betsFromSnapshot([]), accepted('b1'));

    const state = betsFromSnapshot([betView('b1', { status: 'accepted' })]);

    expect(waiting.early).toHaveProperty('b1');
    expect(state.early).toEqual({});
    expect(state.bets.map((bet) => bet.status)).toEqual(['accepted']);
  });
});

describe('wallet-update pushes', () => {
  it('replace the balances when past what is shown', () => {
    const state = applyWalletUpdate(
      { wallet: null, seq: 3 },
      walletUpdate({ seq: 4 }),
    );

    expect(state).toEqual({
      wallet: {
        balance: 100_000,
        availableBalance: 99_000,
        frozenBalance: 1000,
      },
      seq: 4,
    });
  });

  it('are ignored when the snapshot already reflects them', () => {
    const fromSnapshot = {
      wallet: {
        balance: 100_000,
        availableBalance: 98_000,
        frozenBalance: 2000,
      },
      seq: 10,
    };

    for (const seq of [9, 10]) {
      const state = applyWalletUpdate(
        fromSnapshot,
        walletUpdate({ availableBalance: 99_000, seq }),
      );
      expect(state).toBe(fromSnapshot);
    }
  });

  it('keep the latest change when an older one comes after it', () => {
    const placed = walletUpdate({ seq: 1 });
    const cancelledLater = walletUpdate({
      availableBalance: 100_000,
      frozenBalance: 0,
      delta: 1000,
      reason: 'bet_cancelled',
      seq: 2,
    });

    const state = [cancelledLater, placed].reduce<WalletState>(
      applyWalletUpdate,
      { wallet: null, seq: 0 },
    );

    expect(state).toEqual({
      wallet: { balance: 100_000, availableBalance: 100_000, frozenBalance: 0 },
      seq: 2,
    });
  });

  it('apply when they carry no position in the stream', () => {
    const shown = { wallet: null, seq: 10 };

    const state = applyWalletUpdate(shown, walletUpdate());

    expect(state.wallet?.availableBalance).toBe(99_000);
    expect(state.seq).toBe(10);
  });
});

describe('event pushes', () => {
  it('update the score and clock of the event shown', () => {
    const state = applyEventUpdate(
      { event: eventView(), seq: 0 },
      eventUpdate({ score: '2-0', clock: "60'" }),
    );

    expect(state.event).toMatchObject({ score: '2-0', clock: "60'" });
  });

  it('ignore updates of other events and updates the snapshot reflects', () => {
    const shown = { event: eventView(), seq: 5 };

    expect(applyEventUpdate(shown, eventUpdate({ eventId: 'other' }))).toBe(
      shown,
    );
    expect(applyEventUpdate(shown, eventUpdate({ seq: 5 }))).toBe(shown);
  });

  it('do not revive an event once its result is in', () => {
    const finished = applyEventResult(
      { event: eventView(), seq: 0 },
      eventResult({ seq: 2 }),
    );

    const state = applyEventUpdate(
      finished,
      eventUpdate({ status: 'live', score: '3-0', seq: 3 }),
    );

    expect(finished.event).toMatchObject({
      status: 'finished',
      result: 'home',
      openBets: 0,
    });
    expect(state.event).toMatchObject({
      status: 'finished',
      result: 'home',
      score: '1-0',
    });
  });

  it('let a late update carry the final status after the result', () => {
    const finished = applyEventResult(
      { event: eventView(), seq: 0 },
      eventResult({ seq: 2 }),
    );

    const state = applyEventUpdate(
      finished,
      eventUpdate({ status: 'finished', score: '1-0', seq: 3 }),
    );

    expect(state.event).toMatchObject({ status: 'finished', result: 'home' });
  });
});
