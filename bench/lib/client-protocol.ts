import type { StreamCount } from './sequence';

// Messages between the harness and its socket load processes.

export type ClientCommand =
  | {
      type: 'connect';
      url: string;
      tokens: string[];
      /** The event room every socket joins, or null for none. */
      eventId: string | null;
      concurrency: number;
      /**
       * Handshakes this process starts per second, open loop; without it
       * `concurrency` handshakes are kept in flight.
       */
      ratePerSecond?: number;
    }
  | { type: 'reset' }
  | { type: 'report'; expected: number }
  | { type: 'close' };

export type ClientReply =
  | { type: 'connected'; connected: number; failed: number; errors: string[] }
  | { type: 'reset' }
  | {
      type: 'report';
      sockets: number;
      /** Encoded histograms: event-update and bet_won wallet-update. */
      eventLatency: string;
      walletLatency: string;
      /** Encoded histogram of numbered new-bet pushes. */
      betLatency: string;
      counts: StreamCount;
      /** The numbered new-bet stream, counted against the same expected. */
      betCounts: StreamCount;
      /** Sockets that received a bet_won wallet-update. */
      won: number;
      disconnects: number;
      /** Why those sockets went, by Socket.IO's reason. */
      disconnectReasons: Record<string, number>;
    }
  | { type: 'closed' };

// A scenario that places bets numbers them through the acceptor's stake,
// the one field of a new-bet push it chooses freely: bet n asks for
// BET_NUMBER_BASE + n cents. Number 0 marks a warm-up bet, not counted.
export const BET_NUMBER_BASE = 1000;

/** The acceptor's stake that carries bet number `n`. */
export function stakeOfBet(n: number): number {
  return BET_NUMBER_BASE + n;
}

/** The number a new-bet push carries, or null when it carries none. */
export function numberOfBet(acceptorAmount: unknown): number | null {
  const n = Number(acceptorAmount) - BET_NUMBER_BASE;

  return Number.isInteger(n) && n >= 1 ? n : null;
}
