import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from './app';
import type { ClientCommand, ClientReply } from './client-protocol';
import { mergeEncoded, summarize, type LatencySummary } from './histogram';
import { addCounts, NO_COUNT, type StreamCount } from './sequence';

// Socket clients live in separate processes, so the harness's own work
// (and theirs) does not share an event loop with the server under test
// or with each other.

const WORKER = fileURLToPath(
  new URL('../workers/socket-clients.ts', import.meta.url),
);

export interface PoolReport {
  sockets: number;
  event: LatencySummary;
  wallet: LatencySummary;
  /** Numbered new-bet pushes (see stakeOfBet). */
  newBet: LatencySummary;
  counts: StreamCount;
  newBetCounts: StreamCount;
  won: number;
  disconnects: number;
  disconnectReasons: Record<string, number>;
}

export class ClientPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  static start(processes: number): ClientPool {
    const workers = Array.from({ length: processes }, () =>
      fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );

    return new ClientPool(workers);
  }

  /** Connects one socket per token, spread over the processes. */
  async connect(opts: {
    url: string;
    tokens: string[];
    eventId: string | null;
    concurrency?: number;
    /** Handshakes started per second over all processes, open loop. */
    ratePerSecond?: number;
  }): Promise<{ connected: number; failed: number; errors: string[] }> {
    const replies = await Promise.all(
      this.workers.map((worker, w) =>
        ask(worker, {
          type: 'connect',
          url: opts.url,
          tokens: opts.tokens.filter((_, i) => i % this.workers.length === w),
          eventId: opts.eventId,
          concurrency: opts.concurrency ?? 25,
          ratePerSecond: opts.ratePerSecond
            ? opts.ratePerSecond / this.workers.length
            : undefined,
        }),
      ),
    );
    const connected = replies.filter((reply) => reply.type === 'connected');

    return {
      connected: connected.reduce((sum, reply) => sum + reply.connected, 0),
      failed: connected.reduce((sum, reply) => sum + reply.failed, 0),
      errors: connected.flatMap((reply) => reply.errors),
    };
  }

  async reset(): Promise<void> {
    await Promise.all(this.workers.map((w) => ask(w, { type: 'reset' })));
  }

  /** Merges what every process saw; `expected` pushes were numbered. */
  async report(expected: number): Promise<PoolReport> {
    const replies = (
      await Promise.all(
        this.workers.map((w) => ask(w, { type: 'report', expected })),
      )
    ).filter((reply) => reply.type === 'report');
    const event = mergeEncoded(replies.map((reply) => reply.eventLatency));
    const wallet = mergeEncoded(replies.map((reply) => reply.walletLatency));
    const newBet = mergeEncoded(replies.map((reply) => reply.betLatency));
    const result = {
      sockets: replies.reduce((sum, reply) => sum + reply.sockets, 0),
      event: summarize(event),
      wallet: summarize(wallet),
      newBet: summarize(newBet),
      counts: replies.reduce((sum, r) => addCounts(sum, r.counts), NO_COUNT),
      newBetCounts: replies.reduce(
        (sum, r) => addCounts(sum, r.betCounts),
        NO_COUNT,
      ),
      won: replies.reduce((sum, reply) => sum + reply.won, 0),
      disconnects: replies.reduce((sum, reply) => sum + reply.disconnects, 0),
      disconnectReasons: sumReasons(replies.map((r) => r.disconnectReasons)),
    };
    event.destroy();
    wallet.destroy();
    newBet.destroy();

    return result;
  }

  /** Disconnects every socket and ends the processes. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        if (worker.connected) {
          await ask(worker, { type: 'close' }, 30_000).catch(() => undefined);
        }
        await stopChild(worker);
      }),
    );
  }
}

function sumReasons(
  parts: ReadonlyArray<Record<string, number>>,
): Record<string, number> {
  const total: Record<string, number> = {};
  for (const part of parts) {
    for (const [reason, n] of Object.entries(part)) {
      total[reason] = (total[reason] ?? 0) + n;
    }
  }

  return total;
}

function ask(
  worker: ChildProcess,
  command: ClientCommand,
  timeoutMs = 600_000,
): Promise<ClientReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.off('message', onReply);
      reject(new Error(`a load process did not answer ${command.type}`));
    }, timeoutMs);
    const onReply = (reply: ClientReply) => {
      clearTimeout(timer);
      worker.off('message', onReply);
      resolve(reply);
    };
    worker.on('message', onReply);
    worker.send(command);
  });
}
