// @vitest-environment happy-dom
import { cleanup, waitFor } from '@testing-library/react';
import { Fragment, type ReactElement } from 'react';
import { io } from 'socket.io-client';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import {
  SocketHub,
  useEventRoom,
  useSocketEvent,
  type SocketApi,
  type SocketStatus,
} from '@/hooks/use-socket';
import { Api, type TestUser } from '../support/api';
import { openPageAt } from '../support/dom';
import {
  renderLive as renderWithSocket,
  serverCaughtUp as caughtUp,
} from '../support/live-render';
import { startServer, type RunningServer } from '../support/server';
import type { ClientSocket } from '../support/sockets';

let server: RunningServer;
let api: Api;
let admin: TestUser;
let viewer: TestUser;
let alice: TestUser;
let watched: { id: string };
let marker: { id: string };
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  server = await startServer();
  openPageAt(server.url);
  api = new Api(server.url);
  admin = await api.admin();
  [viewer, alice] = [await api.newUser('viewer'), await api.newUser('alice')];
  watched = await api.newEvent(admin.token, { name: 'Watched match' });
  marker = await api.newEvent(admin.token, { name: 'Marker match' });
});

afterEach(() => {
  cleanup();
  while (sockets.length > 0) sockets.pop()!.disconnect();
});

afterAll(async () => {
  await server?.stop();
});

// Components that use the hooks the way pages do, writing what they see
// to a log the test reads.

function NewBets(props: { label: string; log: string[] }) {
  useSocketEvent('new-bet', (push) => {
    props.log.push(`${props.label} saw ${push.id}`);
  });
  return null;
}

function Watching(props: { eventId: string }) {
  useEventRoom(props.eventId);
  return null;
}

/** The viewer's page, live on the test server. */
function renderLive(ui: ReactElement) {
  return renderWithSocket(ui, {
    url: server.url,
    token: viewer.token,
    userId: viewer.id,
  });
}

function serverCaughtUp(socket: SocketApi) {
  return caughtUp(socket, marker.id);
}

function sorted(log: string[]) {
  return [...log].sort();
}

describe('useSocketEvent under a SocketProvider', () => {
  it('delivers each push exactly once to every component that listens', async () => {
    const log: string[] = [];
    const { socket } = await renderLive(
      <>
        <Watching eventId={watched.id} />
        <NewBets label="list" log={log} />
        <NewBets label="form" log={log} />
        <NewBets label="toast" log={log} />
      </>,
    );
    await serverCaughtUp(socket());

    const bet = await api.placeBet(alice.token, watched.id);

    await waitFor(() => expect(log).toContain(`toast saw ${bet.id}`), {
      timeout: 10_000,
    });
    expect(sorted(log)).toEqual(
      sorted([
        `list saw ${bet.id}`,
        `form saw ${bet.id}`,
        `toast saw ${bet.id}`,
      ]),
    );
  });

  it('stops calling a component once it unmounts, and calls it once after a remount', async () => {
    const log: string[] = [];
    const page = (showOffers: boolean) => (
      <>
        <Watching eventId={watched.id} />
        <NewBets label="wallet" log={log} />
        {showOffers && <NewBets label="offers" log={log} />}
      </>
    );
    const { rerender, socket } = await renderLive(page(true));
    rerender(page(false));
    await serverCaughtUp(socket());

    const whileAway = await api.placeBet(alice.token, watched.id);
    await waitFor(() => expect(log).toContain(`wallet saw ${whileAway.id}`), {
      timeout: 10_000,
    });
    rerender(page(true));
    const afterReturn = await api.placeBet(alice.token, watched.id);

    await waitFor(() => expect(log).toContain(`offers saw ${afterReturn.id}`), {
      timeout: 10_000,
    });
    expect(sorted(log)).toEqual(
      sorted([
        `wallet saw ${whileAway.id}`,
        `wallet saw ${afterReturn.id}`,
        `offers saw ${afterReturn.id}`,
      ]),
    );
  });

  it('calls the handler of the latest render, through the one subscription', async () => {
    const log: string[] = [];
    const { rerender, socket } = await renderLive(
      <Fragment>
        <Watching eventId={watched.id} />
        <NewBets label="first render" log={log} />
      </Fragment>,
    );
    rerender(
      <Fragment>
        <Watching eventId={watched.id} />
        <NewBets label="second render" log={log} />
      </Fragment>,
    );
    await serverCaughtUp(socket());

    const bet = await api.placeBet(alice.token, watched.id);

    await waitFor(() => expect(log).toHaveLength(1), { timeout: 10_000 });
    expect(log).toEqual([`second render saw ${bet.id}`]);
  });
});

describe('useEventRoom under a SocketProvider', () => {
  it('keeps an event room while another component still watches it', async () => {
    const log: string[] = [];
    const page = (watchers: string[]) => (
      <>
        <NewBets label="page" log={log} />
        {watchers.map((name) => (
          <Watching key={name} eventId={watched.id} />
        ))}
      </>
    );
    const { rerender, socket } = await renderLive(page(['player', 'list']));

    rerender(page(['list']));
    await serverCaughtUp(socket());
    const stillWatched = await api.placeBet(alice.token, watched.id);

    await waitFor(() => expect(log).toContain(`page saw ${stillWatched.id}`), {
      timeout: 10_000,
    });
  });

  it('leaves the room when the last component watching it unmounts', async () => {
    const log: string[] = [];
    const page = (watching: boolean) => (
      <>
        <NewBets label="page" log={log} />
        {watching && <Watching eventId={watched.id} />}
      </>
    );
    const { rerender, socket } = await renderLive(page(true));
    const whileWatching = await api.placeBet(alice.token, watched.id);
    await waitFor(() => expect(log).toContain(`page saw ${whileWatching.id}`), {
      timeout: 10_000,
    });

    rerender(page(false));
    await serverCaughtUp(socket());
    const unseen = await api.placeBet(alice.token, watched.id);
    const onMarker = await api.placeBet(alice.token, marker.id);

    // Pushes reach one socket in the order they were published, so once
    // the marker's offer is in, the earlier one would have been too.
    await waitFor(() => expect(log).toContain(`page saw ${onMarker.id}`), {
      timeout: 10_000,
    });
    expect(log).not.toContain(`page saw ${unseen.id}`);
  });

  it('stays out of the rooms of events the viewer only passed through', async () => {
    // Each page here is left at once, so its leave reaches the server
    // while the server may still be checking the join sent just before.
    const log: string[] = [];
    const passedThrough = await Promise.all(
      Array.from({ length: 10 }, () => api.newEvent(admin.token)),
    );
    const page = (eventId: string | null) => (
      <>
        <NewBets label="page" log={log} />
        {eventId && <Watching key={eventId} eventId={eventId} />}
      </>
    );
    const { rerender, socket } = await renderLive(page(null));

    for (const event of passedThrough) {
      rerender(page(event.id));
      rerender(page(null));
    }
    await serverCaughtUp(socket());
    for (const event of passedThrough) {
      await api.placeBet(alice.token, event.id, { creatorAmount: 100 });
    }
    const onMarker = await api.placeBet(alice.token, marker.id);

    await waitFor(() => expect(log).toContain(`page saw ${onMarker.id}`), {
      timeout: 10_000,
    });
    expect(log).toEqual([`page saw ${onMarker.id}`]);
  });
});

describe('SocketHub', () => {
  it('keeps one handler per subscription, however often it is added', () => {
    const hub = new SocketHub();
    const socket = hub.api();
    const handler = () => {};

    const unsubscribe = socket.on('new-bet', handler);
    socket.on('new-bet', handler);
    socket.on('wallet-update', handler);

    expect(hub.handlerCount('new-bet')).toBe(1);
    unsubscribe();
    expect(hub.handlerCount('new-bet')).toBe(0);
    expect(hub.handlerCount('wallet-update')).toBe(1);
  });

  it('counts the users of a room and keeps it until the last one leaves', () => {
    const hub = new SocketHub();
    const socket = hub.api();

    socket.joinRoom('event-1');
    socket.joinRoom('event-1');
    socket.leaveRoom('event-1');

    expect(hub.roomCount('event-1')).toBe(1);
    socket.leaveRoom('event-1');
    expect(hub.roomCount('event-1')).toBe(0);
    socket.leaveRoom('event-1');
    socket.joinRoom('event-1');
    expect(hub.roomCount('event-1')).toBe(1);
  });

  it('joins a room opened while connected, then says the stream is synced', async () => {
    const { hub, hubApi, seen, syncs } = await connectedHub();

    hubApi.joinRoom(watched.id);
    await vi.waitFor(() => expect(syncs()).toBe(2));
    const bet = await api.placeBet(alice.token, watched.id);

    await vi.waitFor(() => expect(seen).toContain(`new ${bet.id}`));
    expect(hub.roomCount(watched.id)).toBe(1);
  });

  it('rejoins its rooms after a reconnect, then says the stream is synced', async () => {
    const { socket, seen, syncs, statuses } = await connectedHub({
      watching: watched.id,
    });
    const before = await api.placeBet(alice.token, watched.id);
    await vi.waitFor(() => expect(seen).toContain(`new ${before.id}`));

    // Closing the transport looks to the client like a dropped network,
    // so it reconnects by itself, on a fresh server-side socket.
    socket.io.engine.close();
    await vi.waitFor(() => expect(syncs()).toBe(2), { timeout: 10_000 });
    const after = await api.placeBet(alice.token, watched.id);

    await vi.waitFor(() => expect(seen).toContain(`new ${after.id}`));
    expect(statuses.map((s) => s.isConnected)).toEqual([true, false, true]);
  });

  it('hands over what it missed while disconnected, once each and in order', async () => {
    const { socket, seen, syncs } = await connectedHub({
      watching: watched.id,
    });
    const seenLive = await api.placeBet(alice.token, watched.id);
    await vi.waitFor(() => expect(seen).toContain(`new ${seenLive.id}`));

    // A manual disconnect keeps the client away for as long as the test
    // wants; connecting again is then a reconnect like any other.
    socket.disconnect();
    const missed = await api.placeBet(alice.token, watched.id);
    await api.post(`/api/bets/${missed.id}/cancel`, undefined, alice.token);
    socket.connect();
    await vi.waitFor(() => expect(syncs()).toBe(2), { timeout: 10_000 });
    const afterwards = await api.placeBet(alice.token, watched.id);

    await vi.waitFor(() => expect(seen).toContain(`new ${afterwards.id}`));
    expect(seen).toEqual([
      `new ${seenLive.id}`,
      `new ${missed.id}`,
      `cancelled ${missed.id}`,
      `new ${afterwards.id}`,
    ]);
  });

  it('stops and reports offline once detached', async () => {
    const { socket, statuses, detach } = await connectedHub();

    detach();

    expect(statuses.at(-1)).toEqual({ isConnected: false, error: null });
    expect(socket.connected).toBe(false);
  });
});

/**
 * A hub on a real socket (the viewer's, reconnecting quickly), logging the
 * offers it hands to its handlers; resolves once the stream is synced.
 */
async function connectedHub(opts: { watching?: string } = {}) {
  const hub = new SocketHub(viewer.id);
  const hubApi = hub.api();
  const seen: string[] = [];
  const statuses: SocketStatus[] = [];
  let syncs = 0;
  if (opts.watching) hubApi.joinRoom(opts.watching);
  hubApi.on('new-bet', (push) => seen.push(`new ${push.id}`));
  hubApi.on('bet-update', (push) => seen.push(`${push.action} ${push.id}`));
  hubApi.onSynced(() => syncs++);

  const socket: ClientSocket = io(server.url, {
    auth: { token: viewer.token },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
  });
  sockets.push(socket);
  const detach = hub.attach(socket, (status) => statuses.push(status));
  await vi.waitFor(() => expect(syncs).toBe(1), { timeout: 10_000 });

  return {
    hub,
    hubApi,
    socket,
    seen,
    statuses,
    syncs: () => syncs,
    detach,
  };
}
