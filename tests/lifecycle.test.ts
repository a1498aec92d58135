import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/suite';

const app = useTestApp();

describe('an event going live', () => {
  it('lapses open offers and refunds them, except those marked to keep', async () => {
    const [alice, bob] = [await app.api.newUser(), await app.api.newUser()];
    const event = await app.api.newEvent(app.admin.token);
    const lapsing = await app.api.placeBet(alice.token, event.id, {
      creatorAmount: 1500,
    });
    const kept = await app.api.post(
      '/api/bets',
      {
        eventId: event.id,
        creatorChoice: 'away',
        creatorAmount: 700,
        acceptorAmount: 700,
        keepWhenLive: true,
      },
      bob.token,
    );
    const room = await app.listen(await app.api.newUser(), event.id);
    const aliceSees = await app.listen(alice);

    const started = await app.api.post(
      `/api/events/${event.id}/start`,
      undefined,
      app.admin.token,
    );

    expect(started.status).toBe(200);
    expect(started.body.status).toBe('live');
    const open = await app.api.get(`/api/events/${event.id}/bets?status=open`);
    expect(open.body.items.map((b: { id: string }) => b.id)).toEqual([
      kept.body.id,
    ]);
    expect(await app.api.wallet(alice.token)).toMatchObject({
      availableBalance: 100_000,
      frozenBalance: 0,
    });
    expect((await app.api.wallet(bob.token)).frozenBalance).toBe(700);
    expect(
      await room.waitFor('bet-update', (p) => p.id === lapsing.id),
    ).toMatchObject({ action: 'cancelled', status: 'cancelled' });
    expect(await aliceSees.waitFor('bet-resolved')).toMatchObject({
      betId: lapsing.id,
      outcome: 'cancelled',
    });
  });
});

describe('suspending an event', () => {
  it('stops new offers and accepts until it is resumed', async () => {
    const [alice, bob] = [await app.api.newUser(), await app.api.newUser()];
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);
    const lobby = await app.listen(bob);

    const suspended = await app.api.post(
      `/api/events/${event.id}/suspend`,
      undefined,
      app.admin.token,
    );
    const offer = await app.api.post(
      '/api/bets',
      {
        eventId: event.id,
        creatorChoice: 'home',
        creatorAmount: 500,
        acceptorAmount: 500,
      },
      bob.token,
    );
    const take = await app.api.post(
      `/api/bets/${bet.id}/accept`,
      undefined,
      bob.token,
    );

    expect(suspended.body.suspended).toBe(true);
    expect(offer.status).toBe(409);
    expect(offer.body.error.code).toBe('EVENT_SUSPENDED');
    expect(take.status).toBe(409);
    expect(take.body.error.code).toBe('EVENT_SUSPENDED');
    expect(await app.api.wallet(bob.token)).toMatchObject({ frozenBalance: 0 });
    // The event's creation may still be on its way to a socket that
    // connected after it: wait for the push that says suspended.
    await lobby.waitFor(
      'event-update',
      (p) => p.eventId === event.id && p.suspended === true,
    );

    await app.api.post(
      `/api/events/${event.id}/resume`,
      undefined,
      app.admin.token,
    );
    const retaken = await app.api.post(
      `/api/bets/${bet.id}/accept`,
      undefined,
      bob.token,
    );

    expect(retaken.status).toBe(200);
  });

  it('still lets a creator withdraw an offer', async () => {
    const alice = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);
    const bet = await app.api.placeBet(alice.token, event.id);
    await app.api.post(
      `/api/events/${event.id}/suspend`,
      undefined,
      app.admin.token,
    );

    const withdrawn = await app.api.post(
      `/api/bets/${bet.id}/cancel`,
      undefined,
      alice.token,
    );

    expect(withdrawn.status).toBe(200);
    expect((await app.api.wallet(alice.token)).frozenBalance).toBe(0);
  });

  it('is for admins, and only before the event ends', async () => {
    const bettor = await app.api.newUser();
    const event = await app.api.newEvent(app.admin.token);

    const byBettor = await app.api.post(
      `/api/events/${event.id}/suspend`,
      undefined,
      bettor.token,
    );
    await app.api.post(
      `/api/events/${event.id}/result`,
      { result: 'home' },
      app.admin.token,
    );
    const afterEnd = await app.api.post(
      `/api/events/${event.id}/suspend`,
      undefined,
      app.admin.token,
    );

    expect(byBettor.status).toBe(403);
    expect(afterEnd.status).toBe(409);
    expect(afterEnd.body.error.code).toBe('EVENT_NOT_OPEN');
  });
});
