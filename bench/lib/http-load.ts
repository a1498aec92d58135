import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

// A lean keep-alive JSON poster for request load: fetch allocates more per
// call, and on a 2-core machine the driver's CPU is taken from the server.

export interface Posted {
  status: number;
  /** From the call to the last byte of the answer, in ms. */
  ms: number;
}

export interface HttpLoad {
  post(
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Posted>;
  close(): void;
}

/** Up to `connections` keep-alive sockets to `baseUrl`; more calls queue. */
export function createHttpLoad(baseUrl: string, connections: number): HttpLoad {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });

  return {
    post: (path, body, headers) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const payload = JSON.stringify(body);
        const call = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path,
            method: 'POST',
            headers: {
              ...headers,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            },
          },
          (response) => {
            // The body is read and dropped: the ack is the whole answer.
            response.on('data', () => undefined);
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                ms: performance.now() - started,
              }),
            );
            response.on('error', reject);
          },
        );
        call.on('error', reject);
        call.end(payload);
      }),
    close: () => agent.destroy(),
  };
}

/** The smallest stake the app takes, which P3 and P6 post. */
export const OFFER_STAKE = 100;

/**
 * Posts an offer on `home` as `token`'s user, with a fresh
 * Idempotency-Key as the browser sends one. The acceptor's stake is the
 * caller's: P6 numbers its offers through it.
 */
export function postOffer(
  load: HttpLoad,
  offer: { eventId: string; token: string; acceptorAmount: number },
): Promise<Posted> {
  return load.post(
    '/api/bets',
    {
      eventId: offer.eventId,
      creatorChoice: 'home',
      creatorAmount: OFFER_STAKE,
      acceptorAmount: offer.acceptorAmount,
    },
    {
      authorization: `Bearer ${offer.token}`,
      'idempotency-key': randomUUID(),
    },
  );
}
