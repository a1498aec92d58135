import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Api, type TestUser } from './support/api';
import { startServer, type RunningServer } from './support/server';
import { connect, refusedWith, type Listener } from './support/sockets';

let server: RunningServer;
let api: Api;
let admin: TestUser;
const sockets: Listener[] = [];

beforeAll(async () => {
  server = await startServer();
  api = new Api(server.url);
  admin = await api.admin();
});

afterEach(() => {
  while (sockets.length > 0) sockets.pop()!.close();
});

afterAll(async () => {
  await server?.stop();
});

async function listen(user: TestUser) {
  const listener = await connect(server.url, user.token);
  sockets.push(listener);

  return listener;
}

describe('the socket handshake', () => {
  it('refuses a socket without a token', async () => {
    expect(await refusedWith(server.url, {})).toBe(
      'Authentication error: Token required',
    );
  });

  it('refuses a forged or malformed token', async () => {
    const user = await api.newUser();
    const forged = `${user.token.slice(0, -4)}AAAA`;

    expect(await refusedWith(server.url, { token: forged })).toBe(
      'Authentication error: Invalid token',
    );
    expect(await refusedWith(server.url, { token: 'not-a-jwt' })).toBe(
      'Authentication error: Invalid token',
    );
  });
});

describe('rooms', () => {
  it('let a socket join an existing event and refuse an unknown one', async () => {
    const event = await api.newEvent(admin.token);
    const socket = await listen(await api.newUser());

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
      await api.newEvent(admin.token),
      await api.newEvent(admin.token),
    ];
    const alice = await api.newUser();
    const inFirst = await listen(alice);
    const inSecond = await listen(await api.newUser());
    await inFirst.joinEvent(first.id);
    await inSecond.joinEvent(second.id);

    const onSecond = await api.placeBet(alice.token, second.id);
    const onFirst = await api.placeBet(alice.token, first.id);

    await inFirst.waitFor('new-bet', (p) => p.id === onFirst.id);
    await inSecond.waitFor('new-bet', (p) => p.id === onSecond.id);
    expect(inFirst.of('new-bet').map((p) => p.id)).toEqual([onFirst.id]);
    expect(inSecond.of('new-bet').map((p) => p.id)).toEqual([onSecond.id]);
  });

  it('stop event pushes after leave-event', async () => {
    const [left, kept] = [
      await api.newEvent(admin.token),
      await api.newEvent(admin.token),
    ];
    const alice = await api.newUser();
    const socket = await listen(alice);
    await socket.joinEvent(left.id);
    await socket.joinEvent(kept.id);

    await socket.socket.emitWithAck('leave-event', left.id);
    const missed = await api.placeBet(alice.token, left.id);
    const marker = await api.placeBet(alice.token, kept.id);
    // Pushes are relayed in commit order: once the later bet's push is
    // here, the earlier one would have been too.
    await socket.waitFor('new-bet', (p) => p.id === marker.id);

    expect(socket.of('new-bet').map((p) => p.id)).not.toContain(missed.id);
  });
});

describe('wallet pushes', () => {
  it('reach only the user whose money moved', async () => {
    const [alice, bob] = [await api.newUser(), await api.newUser()];
    const aliceSees = await listen(alice);
    const bobSees = await listen(bob);
    const event = await api.newEvent(admin.token);

    await api.placeBet(alice.token, event.id);
    await api.post(
      '/api/admin/credit',
      { username: bob.username, amount: 2500 },
      admin.token,
    );

    await aliceSees.waitFor('wallet-update', (p) => p.reason === 'bet_placed');
    await bobSees.waitFor('wallet-update', (p) => p.reason === 'credit');
    expect(aliceSees.of('wallet-update').map((p) => p.reason)).toEqual([
      'bet_placed',
    ]);
    expect(bobSees.of('wallet-update')).toEqual([
      expect.objectContaining({
        reason: 'credit',
        delta: 2500,
        balance: 102_500,
      }),
    ]);
  });
});
