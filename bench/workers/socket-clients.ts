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
import type { ClientCommand, ClientReply } from '../lib/client-protocol';

// A load process: holds many Socket.IO clients and measures what they
// receive. Latency is the receive time minus the push's `timestamp`,
// both read from this machine's clock. The parent sends commands over
// IPC and merges the encoded histograms of every process.

interface Client {
  socket: Socket;
  tracker: SequenceTracker;
  won: boolean;
}

const clients: Client[] = [];
let eventLatency = createHistogram();
let walletLatency = createHistogram();
let disconnects = 0;
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
  client.socket.on('wallet-update', (payload: Record<string, unknown>) => {
    if (payload.reason !== 'bet_won') return;
    recordMs(walletLatency, nowMs() - Number(payload.timestamp));
    client.won = true;
  });
  client.socket.on('disconnect', (reason: string) => {
    if (!closing && reason !== 'io client disconnect') disconnects += 1;
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
  const client: Client = { socket, tracker: new SequenceTracker(), won: false };
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

async function connectAll(
  command: Extract<ClientCommand, { type: 'connect' }>,
): Promise<ClientReply> {
  const errors: string[] = [];
  let next = 0;
  let failed = 0;

  // A fixed number of handshakes in flight: ramping 10,000 at once would
  // measure the accept queue, not the app.
  const lane = async () => {
    while (next < command.tokens.length) {
      const token = command.tokens[next++]!;
      try {
        clients.push(await connectOne(command.url, token, command.eventId));
      } catch (error) {
        failed += 1;
        if (errors.length < 5) errors.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, () => lane()));

  return { type: 'connected', connected: clients.length, failed, errors };
}

function report(expected: number): ClientReply {
  let counts: StreamCount = NO_COUNT;
  for (const client of clients) {
    counts = addCounts(counts, client.tracker.count(expected));
  }

  return {
    type: 'report',
    sockets: clients.filter((client) => client.socket.connected).length,
    eventLatency: encodeHistogram(eventLatency),
    walletLatency: encodeHistogram(walletLatency),
    counts,
    won: clients.filter((client) => client.won).length,
    disconnects,
  };
}

function reset(): ClientReply {
  eventLatency.destroy();
  walletLatency.destroy();
  eventLatency = createHistogram();
  walletLatency = createHistogram();
  for (const client of clients) {
    client.tracker = new SequenceTracker();
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
