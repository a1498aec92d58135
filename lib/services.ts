import { ttlSeconds, type Config } from './config';
import { MIGRATIONS, type Database } from './db/client';
import { journalEntries, pendingMigrations } from './db/migrations';
import * as bets from './domain/bets';
import * as events from './domain/events';
import { readWallet } from './domain/ledger';
import { mutate, type Emit, type IdempotencyKey } from './domain/mutation';
import { cancelEvent, kickOff, registerResult } from './domain/settlement';
import * as users from './domain/users';
import { auditLedger, listTransactions } from './domain/wallet';
import { AppError } from './errors';
import { createAuthService } from './auth/auth-service';
import type { TokenKeys } from './auth/tokens';
import type {
  BetStatus,
  EventStatus,
  Push,
  ResumeCursor,
} from './realtime/contract';
import { currentSeq, publishedSince, replayMissed } from './realtime/replay';
import type { NewBetInput, NewEventInput } from './validation';

/**
 * Everything a route handler may ask of the app, bound to one database and
 * bus. Handlers reach it through the app context, so the database code
 * runs from one module instance however Next bundles the handlers.
 */
export type Services = ReturnType<typeof createServices>;

export interface ServiceDeps {
  config: Config;
  database: Database;
  tokens: TokenKeys;
  /** Called after a transaction that wrote pushes to the outbox. */
  onPushesCommitted?: (pushes: readonly Push[]) => void;
  /** Whether the bus reaches the other instances now. */
  busIsUp?: () => boolean;
  /** True once shutdown began: the balancer should send no more here. */
  isDraining?: () => boolean;
}

export function createServices(deps: ServiceDeps) {
  const { config, database, tokens } = deps;
  const db = database.db;
  // Read on the first readiness probe, not on every one: a balancer asks
  // every few seconds and the build's migrations never change.
  let shipped: ReturnType<typeof journalEntries> | undefined;
  let inFlight = 0;

  async function pendingNow(): Promise<string[]> {
    shipped ??= journalEntries(MIGRATIONS);

    return pendingMigrations(db, shipped);
  }

  // The pushes are already in the outbox, committed with the change; the
  // relay publishes them, and a nudge only makes it do so at once.
  async function run<T>(
    idempotency: IdempotencyKey | undefined,
    work: (tx: typeof db, emit: Emit) => Promise<T>,
  ): Promise<T> {
    inFlight += 1;
    const result = await mutate(db, idempotency, work).finally(
      () => (inFlight -= 1),
    );
    if (result.pushes.length > 0) deps.onPushesCommitted?.(result.pushes);

    return result.value;
  }

  return {
    auth: createAuthService({
      db,
      tokens,
      refreshTtlSeconds: ttlSeconds(config.REFRESH_TTL),
      signupCredit: config.SIGNUP_CREDIT_CENTS,
      mutate: (work) => run(undefined, work),
    }),

    users: {
      async get(userId: string) {
        const user = await users.findUserById(db, userId);
        if (!user) throw new AppError('UNAUTHENTICATED', 'Please log in.');

        return user;
      },
    },

    wallet: {
      get: (userId: string) => readWallet(db, userId),
      transactions: (
        userId: string,
        opts: { limit: number; cursor?: number },
      ) => listTransactions(db, userId, opts),
      audit: () => auditLedger(db),
    },

    events: {
      list: (status?: EventStatus) => events.listEvents(db, status),
      get: (id: string) => events.getEvent(db, id),
      create: (input: NewEventInput, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => events.createEvent(tx, emit, input)),
      start: (id: string, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => kickOff(tx, emit, id)),
      suspend: (id: string, suspended: boolean, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => events.setSuspended(tx, emit, id, suspended)),
      updateLive: (id: string, live: events.LiveInfo, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => events.updateLiveInfo(tx, emit, id, live)),
      result: (id: string, result: string, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => registerResult(tx, emit, id, result)),
      cancel: (id: string, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => cancelEvent(tx, emit, id)),
      exists: async (id: string) => {
        await events.getEvent(db, id);
      },
    },

    bets: {
      listForEvent: async (eventId: string, status?: BetStatus) => {
        await events.getEvent(db, eventId);

        return bets.listEventBets(db, eventId, status);
      },
      mine: (userId: string) => bets.listUserBets(db, userId),
      create: (userId: string, input: NewBetInput, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => {
          if (
            input.creatorAmount > config.MAX_STAKE_CENTS ||
            input.acceptorAmount > config.MAX_STAKE_CENTS
          ) {
            throw new AppError(
              'VALIDATION_ERROR',
              `Stakes may be at most ${(config.MAX_STAKE_CENTS / 100).toFixed(2)}.`,
            );
          }

          return bets.createBet(tx, emit, userId, input);
        }),
      accept: (userId: string, betId: string, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => bets.acceptBet(tx, emit, userId, betId)),
      cancel: (userId: string, betId: string, idem?: IdempotencyKey) =>
        run(idem, (tx, emit) => bets.cancelBet(tx, emit, userId, betId)),
    },

    admin: {
      credit: (
        input: { username: string; amount: number },
        idem?: IdempotencyKey,
      ) =>
        run(idem, async (tx, emit) => {
          const user = await users.findUserByName(tx, input.username);
          if (!user) {
            throw new AppError('USER_NOT_FOUND', 'There is no such user.');
          }

          const wallet = await users.creditUser(
            tx,
            emit,
            user.id,
            input.amount,
            'credit',
          );

          return { user, wallet };
        }),
    },

    stream: {
      replay: (cursor: ResumeCursor) => replayMissed(db, cursor),
      currentSeq: () => currentSeq(db),
      publishedSince: (seq: number) => publishedSince(db, seq),
    },

    /** Write transactions running now, for the pool gauge. */
    transactionsInFlight: () => inFlight,

    /**
     * Whether this instance should get traffic: the database answers,
     * the bus is connected, the schema matches this build and the
     * instance is not shutting down.
     */
    async readiness() {
      const health = await this.health();
      const pending = await pendingNow().catch(() => null);
      const draining = deps.isDraining?.() ?? false;
      const ready =
        health.status === 'ok' && pending?.length === 0 && !draining;

      return {
        ready,
        db: health.db,
        bus: health.bus,
        migrations: pending === null ? 'unknown' : { pending },
        draining,
      };
    },

    async health() {
      const dbUp = await database
        .ping()
        .then(() => true)
        .catch(() => false);
      const busUp = deps.busIsUp?.() ?? true;

      return {
        status: dbUp && busUp ? ('ok' as const) : ('degraded' as const),
        db: dbUp ? ('up' as const) : ('down' as const),
        bus: busUp ? ('up' as const) : ('down' as const),
      };
    },
  };
}
