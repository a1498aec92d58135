import { describe, expect, it } from 'vitest';
import { Api, type TestUser } from './support/api';
import { useTestApp } from './support/suite';

// A bank soak: a dozen bettors post, take and withdraw offers at once
// while a checker audits the books every 200 ms. Each audit is one SQL
// statement, so it sees one committed state: none may break an invariant.
// `npm run test:soak` runs it for three minutes; the default run keeps it
// short (SOAK_SECONDS, 15 by default).

const SECONDS = Number(process.env.SOAK_SECONDS ?? 15);
const BETTORS = 12;

const app = useTestApp();

describe('a bank soak', () => {
  it(
    'never shows an audit that breaks an invariant',
    async () => {
      const bettors = await Promise.all(
        Array.from({ length: BETTORS }, () => app.api.newUser('soak')),
      );
      const events = await Promise.all(
        [0, 1, 2].map(() => app.api.newEvent(app.admin.token)),
      );
      const open: string[] = [];
      const until = Date.now() + SECONDS * 1000;

      const checker = auditEvery200ms(app.api, app.admin.token, until);
      const clients = bettors.map((bettor, i) =>
        bet(app.api, bettor, events[i % 3]!.id, open, until),
      );
      const [audits, ...moves] = await Promise.all([checker, ...clients]);

      expect(audits.broken).toEqual([]);
      expect(audits.count).toBeGreaterThan(SECONDS * 2);
      expect(moves.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(SECONDS);
      for (const event of events) {
        await app.api.post(
          `/api/events/${event.id}/result`,
          { result: 'draw' },
          app.admin.token,
        );
      }
    },
    (SECONDS + 120) * 1000,
  );
});

async function auditEvery200ms(api: Api, token: string, until: number) {
  const broken: unknown[] = [];
  let count = 0;

  while (Date.now() < until) {
    const tick = new Promise((resolve) => setTimeout(resolve, 200));
    const audit = await api.get('/api/admin/audit', token);
    count += 1;
    if (audit.status !== 200 || !audit.body.ok) broken.push(audit.body);
    await tick;
  }

  return { broken, count };
}

/** One bettor's loop: post, take someone's offer, sometimes withdraw. */
async function bet(
  api: Api,
  bettor: TestUser,
  eventId: string,
  open: string[],
  until: number,
): Promise<number> {
  let moves = 0;

  while (Date.now() < until) {
    const posted = await api.post(
      '/api/bets',
      {
        eventId,
        creatorChoice: Math.random() < 0.5 ? 'home' : 'away',
        creatorAmount: 100 + Math.floor(Math.random() * 900),
        acceptorAmount: 100 + Math.floor(Math.random() * 900),
      },
      bettor.token,
    );
    if (posted.status === 201) open.push(posted.body.id);

    const target = open.shift();
    if (target && Math.random() < 0.2) {
      await api.post(`/api/bets/${target}/cancel`, undefined, bettor.token);
    } else if (target) {
      await api.post(`/api/bets/${target}/accept`, undefined, bettor.token);
    }
    moves += 1;
  }

  return moves;
}
