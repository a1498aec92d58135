import { io, type Socket } from 'socket.io-client';
import {
  createHistogram,
  encodeHistogram,
  recordMs,
  type Histogram,
} from '../lib/histogram';
import {
  addCounts,
  NO_COUNT,
  SequenceTracker,
  type StreamCount,
} from '../lib/sequence';
import {
  numberOfBet,
  type ClientCommand,
  type ClientReply,
} from '../lib/client-protocol';
import { runOpenLoop } from '../lib/open-loop';

// A load process: holds many Socket.IO clients and measures what they
// receive. Latency is the receive time minus the push's `timestamp`,
// both read from this machine's clock. The parent sends commands over
// IPC and merges the encoded histograms of every process.

interface Client {
  socket: Socket;
  tracker: SequenceTracker;
  /** Numbered new-bet pushes; created at the first one. */
  bets: SequenceTracker | null;
  won: boolean;
}

const clients: Client[] = [];
let eventLatency = createHistogram();
let walletLatency = createHistogram();
let betLatency = createHistogram();
let disconnects = 0;
const disconnectReasons: Record<string, number> = {};
let closing = false;

// performance.now() adds sub-millisecond precision to the wall clock the
// server stamps with Date.now().
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function watch(client: Client): void {
  client.socket.on('event-update', (payload: Record<string, unknown>) => {
    const match = /^n=(\d+)$/.exec(String(payload.info ?? ''));
    if (!match) return;
    recordMs(eventLatency, nowMs() - Number(payload.timestamp));
    client.tracker.see(Number(match[1]));
  });
  client.socket.on('new-bet', (payload: Record<string, unknown>) => {
    const n = numberOfBet(payload.acceptorAmount);
    if (n === null) return;
    recordMs(betLatency, nowMs() - Number(payload.timestamp));
    client.bets ??= new SequenceTracker();
    client.bets.see(n);
  });
  client.socket.on('wallet-update', (payload: Record<string, unknown>) => {
    if (payload.reason !== 'bet_won') return;
    recordMs(walletLatency, nowMs() - Number(payload.timestamp));
    client.won = true;
  });
  client.socket.on('disconnect', (reason: string) => {
    if (closing || reason === 'io client disconnect') return;
    disconnects += 1;
    disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
  });
}

function connectOne(url: string, token: string, eventId: string | null) {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
  });
  const client: Client = {
    socket,
    tracker: new SequenceTracker(),
    bets: null,
    won: false,
  };
  watch(client);

  return new Promise<Client>((resolve, reject) => {
    socket.once('connect_error', (error) => reject(error));
    socket.once('connect', () => {
      if (!eventId) return resolve(client);
      socket.emit('join-event', eventId, (reply: { ok: boolean }) =>
        reply.ok ? resolve(client) : reject(new Error('join refused')),
      );
    });
  });
}

type ConnectCommand = Extract<ClientCommand, { type: 'connect' }>;

async function connectAll(command: ConnectCommand): Promise<ClientReply> {
  const errors: string[] = [];
  let failed = 0;
  const open = async (token: string) => {
    try {
      clients.push(await connectOne(command.url, token, command.eventId));
      return true;
    } catch (error) {
      failed += 1;
      if (errors.length < 5) errors.push(String(error));
      return false;
    }
  };

  if (command.ratePerSecond) {
    await connectAtRate(command, command.ratePerSecond, open);
  } else {
    await connectInLanes(command, open);
  }

  return { type: 'connected', connected: clients.length, failed, errors };
}

// A fixed number of handshakes in flight: ramping 10,000 at once would
// measure the accept queue, not the app.
async function connectInLanes(
  command: ConnectCommand,
  open: (token: string) => Promise<boolean>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < command.tokens.length) await open(command.tokens[next++]!);
  };

  await Promise.all(Array.from({ length: command.concurrency }, () => lane()));
}

// A ramp at a fixed rate whatever the server's pace, so a slow handshake
// shows as more in flight rather than as a gentler ramp.
async function connectAtRate(
  command: ConnectCommand,
  ratePerSecond: number,
  open: (token: string) => Promise<boolean>,
): Promise<void> {
  await runOpenLoop({
    ratePerSecond,
    count: command.tokens.length,
    send: (i) => open(command.tokens[i - 1]!),
    // connectOne gives up on its own after its 60 s timeout.
    drainMs: 70_000,
  });
}

function report(expected: number): ClientReply {
  let counts: StreamCount = NO_COUNT;
  let betCounts: StreamCount = NO_COUNT;
  for (const client of clients) {
    counts = addCounts(counts, client.tracker.count(expected));
    betCounts = addCounts(
      betCounts,
      client.bets?.count(expected) ?? { ...NO_COUNT, lost: expected },
    );
  }

  return {
    type: 'report',
    sockets: clients.filter((client) => client.socket.connected).length,
    eventLatency: encodeHistogram(eventLatency),
    walletLatency: encodeHistogram(walletLatency),
    betLatency: encodeHistogram(betLatency),
    counts,
    betCounts,
    won: clients.filter((client) => client.won).length,
    disconnects,
    disconnectReasons: { ...disconnectReasons },
  };
}

function reset(): ClientReply {
  eventLatency.destroy();
  walletLatency.destroy();
  betLatency.destroy();
  eventLatency = createHistogram();
  walletLatency = createHistogram();
  betLatency = createHistogram();
  for (const client of clients) {
    client.tracker = new SequenceTracker();
    client.bets = null;
    client.won = false;
  }

  return { type: 'reset' };
}

async function handle(command: ClientCommand): Promise<ClientReply> {
  switch (command.type) {
    case 'connect':
      return connectAll(command);
    case 'reset':
      return reset();
    case 'report':
      return report(command.expected);
    case 'close':
      closing = true;
      for (const client of clients) client.socket.disconnect();
      return { type: 'closed' };
  }
}

process.on('message', (command: ClientCommand) => {
  void handle(command).then((reply) => {
    process.send!(reply);
    if (reply.type === 'closed') process.disconnect();
  });
});
