// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatCents } from '@/lib/client/format';
import type { BetView } from '@/lib/domain/bets';
import type { EventView } from '@/lib/domain/events';
import { AuthProvider } from '@/hooks/use-auth';
import { useBets } from '@/hooks/use-bets';
import { useEventLive } from '@/hooks/use-event-live';
import { useEventRoom } from '@/hooks/use-socket';
import { useWallet } from '@/hooks/use-wallet';
import { Api, type TestUser } from '../support/api';
import { openPageAt } from '../support/dom';
import { renderLive, serverCaughtUp } from '../support/live-render';
import { startServer, type RunningServer } from '../support/server';

// The event page's data hooks, fed by a real server: what they show after
// the snapshot and after each push is what the page would show.

let server: RunningServer;
let pageUrl: string;
let api: Api;
let admin: TestUser;
let viewer: TestUser;
let alice: TestUser;
let bob: TestUser;
let marker: { id: string };

beforeAll(async () => {
  server = await startServer();
  // As `localhost`: happy-dom sends a Secure cookie over http only there,
  // and the production server's `__Host-session` cookie must be Secure.
  pageUrl = server.url.replace('127.0.0.1', 'localhost');
  openPageAt(pageUrl);
  api = new Api(pageUrl);
  admin = await api.admin();
  [viewer, alice, bob] = [
    await api.newUser('viewer'),
    await api.newUser('alice'),
    await api.newUser('bob'),
  ];
  marker = await api.newEvent(admin.token, { name: 'Marker match' });
});

afterEach(() => {
  cleanup();
  document.cookie = '__Host-session=; Max-Age=0; Path=/; Secure';
});

afterAll(async () => {
  await server?.stop();
});

function Offers(props: { eventId: string; initial: BetView[] | null }) {
  useEventRoom(props.eventId);
  const { bets } = useBets(props.eventId, props.initial);

  return (
    <ul aria-label="offers">
      {bets.map((bet) => (
        <li key={bet.id}>
          {formatCents(bet.creatorAmount)} {bet.status}
        </li>
      ))}
    </ul>
  );
}

function Scoreboard(props: { eventId: string; initial: EventView | null }) {
  const event = useEventLive(props.eventId, props.initial);
  if (!event) return <p>loading</p>;

  return (
    <p>
      {event.status} {event.score} {event.result ?? 'no result'}
    </p>
  );
}

function WalletCard() {
  const { wallet } = useWallet();
  if (!wallet) return <p>no wallet</p>;

  return (
    <p>
      available {formatCents(wallet.availableBalance)} frozen{' '}
      {formatCents(wallet.frozenBalance)}
    </p>
  );
}

function offerTexts() {
  const list = screen.getByRole('list', { name: 'offers' });

  return within(list)
    .queryAllByRole('listitem')
    .map((item) => item.textContent);
}

async function eventWithNoBets() {
  const event = await api.newEvent(admin.token);
  const snapshot = await api.get(`/api/events/${event.id}/bets`);

  return { event, initial: snapshot.body.items as BetView[] };
}

describe('useBets', () => {
  it('shows the server-rendered offers, then offers placed and taken while watching', async () => {
    const event = await api.newEvent(admin.token);
    await api.placeBet(alice.token, event.id, { creatorAmount: 500 });
    const snapshot = await api.get(`/api/events/${event.id}/bets`);
    const { socket } = await renderLive(
      <Offers eventId={event.id} initial={snapshot.body.items} />,
      { url: pageUrl, token: viewer.token, userId: viewer.id },
    );
    expect(offerTexts()).toEqual(['5.00 open']);
    await serverCaughtUp(socket(), marker.id);

    const taken = await api.placeBet(alice.token, event.id, {
      creatorAmount: 700,
    });
    await api.post(`/api/bets/${taken.id}/accept`, undefined, bob.token);
    const withdrawn = await api.placeBet(alice.token, event.id, {
      creatorAmount: 900,
    });
    await api.post(`/api/bets/${withdrawn.id}/cancel`, undefined, alice.token);

    await waitFor(
      () =>
        expect(offerTexts()).toEqual([
          '9.00 cancelled',
          '7.00 accepted',
          '5.00 open',
        ]),
      { timeout: 10_000 },
    );
  });

  it('reloads the offers after the result, which settles them all at once', async () => {
    const event = await api.newEvent(admin.token);
    const taken = await api.placeBet(alice.token, event.id, {
      creatorAmount: 700,
    });
    await api.post(`/api/bets/${taken.id}/accept`, undefined, bob.token);
    await api.placeBet(alice.token, event.id, { creatorAmount: 500 });
    const { socket } = await renderLive(
      <Offers eventId={event.id} initial={null} />,
      { url: pageUrl, token: viewer.token, userId: viewer.id },
    );
    await waitFor(() => expect(offerTexts()).toHaveLength(2), {
      timeout: 10_000,
    });
    await serverCaughtUp(socket(), marker.id);

    await api.post(
      `/api/events/${event.id}/result`,
      { result: 'home' },
      admin.token,
    );

    await waitFor(
      () => expect(offerTexts()).toEqual(['5.00 cancelled', '7.00 settled']),
      { timeout: 10_000 },
    );
  });

  it('leaves out offers on other events', async () => {
    const { event, initial } = await eventWithNoBets();
    const { socket } = await renderLive(
      <Offers eventId={event.id} initial={initial} />,
      { url: pageUrl, token: viewer.token, userId: viewer.id },
    );
    await serverCaughtUp(socket(), marker.id);

    await api.placeBet(alice.token, marker.id, { creatorAmount: 300 });
    await api.placeBet(alice.token, event.id, { creatorAmount: 400 });

    await waitFor(() => expect(offerTexts()).toEqual(['4.00 open']), {
      timeout: 10_000,
    });
  });
});

describe('useEventLive', () => {
  it('follows the score, then the result', async () => {
    const event = await api.newEvent(admin.token);
    const { body: initial } = await api.get(`/api/events/${event.id}`);
    const { socket } = await renderLive(
      <Scoreboard eventId={event.id} initial={initial} />,
      { url: pageUrl, token: viewer.token, userId: viewer.id },
    );
    expect(screen.getByText('scheduled no result')).toBeTruthy();
    await serverCaughtUp(socket(), marker.id);

    await api.post(`/api/events/${event.id}/start`, undefined, admin.token);
    await api.request('PATCH', `/api/events/${event.id}/live`, {
      token: admin.token,
      body: { score: '2-1' },
    });
    await screen.findByText('live 2-1 no result', undefined, {
      timeout: 10_000,
    });
    await api.post(
      `/api/events/${event.id}/result`,
      { result: 'away' },
      admin.token,
    );

    await screen.findByText('finished 2-1 away', undefined, {
      timeout: 10_000,
    });
  });
});

describe('useWallet', () => {
  it('loads the wallet, then follows each change as it is pushed', async () => {
    const carol = await api.newUser('carol');
    const event = await api.newEvent(admin.token);
    // The session cookie the server would have set at login; the hook's
    // snapshot request sends it like a browser does.
    document.cookie = `__Host-session=${carol.token}; Path=/; Secure`;
    const user = {
      id: carol.id,
      username: carol.username,
      role: 'user' as const,
    };
    await renderLive(<WalletCard />, {
      url: pageUrl,
      token: carol.token,
      userId: carol.id,
      around: (children: ReactNode) => (
        <AuthProvider user={user} token={carol.token}>
          {children}
        </AuthProvider>
      ),
    });
    await screen.findByText('available 1,000.00 frozen 0.00', undefined, {
      timeout: 10_000,
    });

    const bet = await api.placeBet(carol.token, event.id, {
      creatorAmount: 2500,
    });
    await screen.findByText('available 975.00 frozen 25.00', undefined, {
      timeout: 10_000,
    });
    await api.post(`/api/bets/${bet.id}/cancel`, undefined, carol.token);

    await screen.findByText('available 1,000.00 frozen 0.00', undefined, {
      timeout: 10_000,
    });
  });
});
