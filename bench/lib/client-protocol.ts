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
      counts: StreamCount;
      /** Sockets that received a bet_won wallet-update. */
      won: number;
      disconnects: number;
    }
  | { type: 'closed' };
