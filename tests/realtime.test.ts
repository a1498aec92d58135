import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/suite';
import { refusedWith } from './support/sockets';

const app = useTestApp({ checkBooks: false });

describe('the socket handshake', () => {
  it('refuses a socket without a token', async () => {
    expect(await refusedWith(app.server.url, {})).toBe(
      'Authentication error: Token required',
    );
  });

  it('refuses a forged or malformed token', async () => {
    const user = await app.api.newUser();
    const forged = `${user.token.slice(0, -4)}AAAA`;

    expect(await refusedWith(app.server.url, { token: forged })).toBe(
      'Authentication error: Invalid token',
    );
    expect(await refusedWith(app.server.url, { token: 'not-a-jwt' })).toBe(
      'Authentication error: Invalid token',
    );
  });
});

describe('rooms', () => {
  it('let a socket join an existing event and refuse an unknown one', async () => {
    const event = await app.api.newEvent(app.admin.token);
    const socket = await app.listen(await app.api.newUser());

    expect(await socket.joinEvent(event.id)).toEqual({ ok: true });
    expect(
      await socket.joinEvent('00000000-0000-4000-8000-000000000000'),
    ).toMatchObject({ ok: false });
    expect(await socket.joinEvent('user:someone-else')).toMatchObject({
      ok: false,
    });
  });

  it('deliver event pushes only to sockets in that event room', async () => {
    const [first, second] = [
      await app.api.newEvent(app.admin.token),
      await app.api.newEvent(app.admin.token),
    ];
    const alice = await app.api.newUser();
    const inFirst = await app.listen(alice);
    const inSecond = await app.listen(await app.api.newUser());
    await inFirst.joinEvent(first.id);
    await inSecond.joinEvent(second.id);

    const onSecond = await app.api.placeBet(alice.token, second.id);
    const onFirst = await app.api.placeBet(alice.token, first.id);

    await inFirst.waitFor('new-bet', (p) => p.id === onFirst.id);
    await inSecond.waitFor('new-bet', (p) => p.id === onSecond.id);
    expect(inFirst.of('new-bet').map((p) => p.id)).toEqual([onFirst.id]);
    expect(inSecond.of('new-bet').map((p) => p.id)).toEqual([onSecond.id]);
  });

  it('stop event pushes after leave-event', async () => {
    const [left, kept] = [
      await app.api.newEvent(app.admin.token),
      await app.api.newEvent(app.admin.token),
    ];
    const alice = await app.api.newUser();
    const socket = await app.listen(alice);
    await socket.joinEvent(left.id);
    await socket.joinEvent(kept.id);

    await socket.socket.emitWithAck('leave-event', left.id);
    const missed = await app.api.placeBet(alice.token, left.id);
    const marker = await app.api.placeBet(alice.token, kept.id);
    // Pushes are relayed in commit order: once the later bet's push is
    // here, the earlier one would have been too.
    await socket.waitFor('new-bet', (p) => p.id === marker.id);

    expect(socket.of('new-bet').map((p) => p.id)).not.toContain(missed.id);
  });
});

describe('wallet pushes', () => {
  it('reach only the user whose money moved', async () => {
    const [alice, bob] = [await app.api.newUser(), await app.api.newUser()];
    const aliceSees = await app.listen(alice);
    const bobSees = await app.listen(bob);
    const event = await app.api.newEvent(app.admin.token);

    await app.api.placeBet(alice.token, event.id);
    await app.api.post(
      '/api/admin/credit',
      { username: bob.username, amount: 2500 },
      app.admin.token,
    );

    await aliceSees.waitFor('wallet-update', (p) => p.reason === 'bet_placed');
    await bobSees.waitFor('wallet-update', (p) => p.reason === 'credit');
    // A user's own sign-up credit may still be on its way when their
    // socket connects; anything else would be someone else's money.
    const reasons = (listener: typeof aliceSees) =>
      listener
        .of('wallet-update')
        .map((p) => p.reason)
        .filter((reason) => reason !== 'signup');
    expect(reasons(aliceSees)).toEqual(['bet_placed']);
    expect(reasons(bobSees)).toEqual(['credit']);
    expect(
      bobSees.of('wallet-update').find((p) => p.reason === 'credit'),
    ).toMatchObject({ delta: 2500, balance: 102_500 });
    for (const push of aliceSees.of('wallet-update')) {
      expect(push.balance).toBe(100_000);
    }
  });
});
