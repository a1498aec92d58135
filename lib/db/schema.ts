import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  bigserial,
  check,
  index,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// Money columns are bigint cents read as JS numbers: every amount the app
// accepts is bounded far below 2^53, and CHECKs keep the books consistent
// even if a code path forgets a guard.

const cents = (name: string) => bigint(name, { mode: 'number' });

const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.username),
    check('users_role_check', sql`${t.role} in ('user', 'admin')`),
  ],
);

/**
 * A user has an `available` and a `frozen` (escrow) account; one `system`
 * account with no user is where play money comes from, so the sum of all
 * balances is zero.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').references(() => users.id),
    kind: text('kind', { enum: ['available', 'frozen', 'system'] }).notNull(),
    balance: cents('balance').notNull().default(0),
  },
  (t) => [
    uniqueIndex('accounts_user_kind_key').on(t.userId, t.kind),
    uniqueIndex('accounts_one_system_key')
      .on(t.kind)
      .where(sql`${t.kind} = 'system'`),
    check(
      'accounts_kind_check',
      sql`${t.kind} in ('available', 'frozen', 'system')`,
    ),
    check(
      'accounts_owner_check',
      sql`(${t.kind} = 'system') = (${t.userId} is null)`,
    ),
    check(
      'accounts_not_negative',
      sql`${t.kind} = 'system' or ${t.balance} >= 0`,
    ),
  ],
);

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    sport: text('sport').notNull(),
    outcomes: text('outcomes').array().notNull(),
    status: text('status', {
      enum: ['scheduled', 'live', 'finished', 'cancelled'],
    })
      .notNull()
      .default('scheduled'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    streamUrl: text('stream_url'),
    score: text('score'),
    clock: text('clock'),
    info: text('info'),
    result: text('result'),
    /** No new offers and no accepts while true; set by an admin. */
    suspended: boolean('suspended').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    index('events_status_starts_idx').on(t.status, t.startsAt),
    check(
      'events_status_check',
      sql`${t.status} in ('scheduled', 'live', 'finished', 'cancelled')`,
    ),
    check(
      'events_outcomes_check',
      sql`cardinality(${t.outcomes}) between 2 and 3`,
    ),
    check(
      'events_result_check',
      sql`(${t.status} = 'finished') = (${t.result} is not null)
        and (${t.result} is null or ${t.result} = any(${t.outcomes}))`,
    ),
  ],
);

export const bets = pgTable(
  'bets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id),
    creatorId: uuid('creator_id')
      .notNull()
      .references(() => users.id),
    creatorChoice: text('creator_choice').notNull(),
    creatorAmount: cents('creator_amount').notNull(),
    acceptorAmount: cents('acceptor_amount').notNull(),
    /** An open offer lapses when its event goes live unless this is set. */
    keepWhenLive: boolean('keep_when_live').notNull().default(false),
    status: text('status', {
      enum: ['open', 'accepted', 'cancelled', 'settled', 'void'],
    })
      .notNull()
      .default('open'),
    acceptorId: uuid('acceptor_id').references(() => users.id),
    winnerId: uuid('winner_id').references(() => users.id),
    createdAt: createdAt(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [
    index('bets_event_status_idx').on(t.eventId, t.status),
    index('bets_creator_idx').on(t.creatorId, t.createdAt),
    index('bets_acceptor_idx').on(t.acceptorId, t.createdAt),
    check(
      'bets_status_check',
      sql`${t.status} in ('open', 'accepted', 'cancelled', 'settled', 'void')`,
    ),
    check(
      'bets_amounts_positive',
      sql`${t.creatorAmount} > 0 and ${t.acceptorAmount} > 0`,
    ),
    check('bets_not_self', sql`${t.acceptorId} <> ${t.creatorId}`),
    // An open bet has no taker; a settled one has a taker and a winner.
    check(
      'bets_acceptor_matches_status',
      sql`(${t.status} in ('open', 'cancelled')) = (${t.acceptorId} is null)`,
    ),
    check(
      'bets_winner_matches_status',
      sql`(${t.status} = 'settled') = (${t.winnerId} is not null)`,
    ),
  ],
);

/**
 * One row per movement of money: `amount` leaves `from_account_id` (debit)
 * and arrives at `to_account_id` (credit), in the same transaction as the
 * change it pays for.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fromAccountId: bigint('from_account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id),
    toAccountId: bigint('to_account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id),
    amount: cents('amount').notNull(),
    reason: text('reason', {
      enum: [
        'signup',
        'credit',
        'bet_placed',
        'bet_accepted',
        'bet_cancelled',
        'bet_won',
        'bet_lost',
        'bet_void',
      ],
    }).notNull(),
    betId: uuid('bet_id').references(() => bets.id),
    eventId: uuid('event_id').references(() => events.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('ledger_from_idx').on(t.fromAccountId, t.id),
    index('ledger_to_idx').on(t.toAccountId, t.id),
    index('ledger_bet_idx').on(t.betId),
    // Each side of a bet is frozen once and released once: a second
    // acceptance or a second payout cannot commit, whatever the code does.
    uniqueIndex('ledger_stake_frozen_once')
      .on(t.betId, t.reason)
      .where(sql`${t.reason} in ('bet_placed', 'bet_accepted')`),
    uniqueIndex('ledger_stake_released_once')
      .on(t.betId, t.fromAccountId)
      .where(
        sql`${t.reason} in ('bet_won', 'bet_lost', 'bet_void', 'bet_cancelled')`,
      ),
    check('ledger_amount_positive', sql`${t.amount} > 0`),
    check(
      'ledger_distinct_accounts',
      sql`${t.fromAccountId} <> ${t.toAccountId}`,
    ),
    check(
      'ledger_bet_reasons_have_bet',
      sql`${t.reason} in ('signup', 'credit') or ${t.betId} is not null`,
    ),
  ],
);

/**
 * The first response to a mutation sent with an Idempotency-Key, stored in
 * the mutation's own transaction so a replay can never move money twice.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: text('response'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('idempotency_user_key').on(t.userId, t.key)],
);

/**
 * Transactional outbox: every push is a row written in the transaction of
 * the change it reports. The relay stamps committed rows with `seq` from
 * `push_seq` in id order, then publishes them in seq order, so seq grows
 * in the order clients receive pushes even when transactions commit out
 * of id order. `published_at` is set once the bus took the push.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    rooms: text('rooms').array().notNull(),
    payload: text('payload').notNull(),
    seq: bigint('seq', { mode: 'number' }),
    createdAt: createdAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_seq_key').on(t.seq),
    index('outbox_unpublished_idx')
      .on(t.id)
      .where(sql`${t.seq} is null`),
    index('outbox_unsent_idx')
      .on(t.seq)
      .where(sql`${t.seq} is not null and ${t.publishedAt} is null`),
    index('outbox_rooms_idx').using('gin', t.rooms),
  ],
);

export const pushSeq = pgSequence('push_seq');

/** The highest seq pruned from the outbox: older cursors cannot resume. */
export const outboxWatermark = pgTable('outbox_watermark', {
  id: text('id').primaryKey().default('outbox'),
  prunedThrough: bigint('pruned_through', { mode: 'number' })
    .notNull()
    .default(0),
});

/**
 * One login: it lives while its refresh tokens keep being used, until it
 * expires or is revoked (logout, or a refresh token used twice).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Every refresh token a session was given, by the sha-256 of the token
 * (the token itself is never stored). The current one has no
 * `rotated_at`; a rotated one coming back means it was copied.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    hash: text('hash').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id),
    createdAt: createdAt(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  },
  (t) => [index('refresh_tokens_session_idx').on(t.sessionId)],
);

export type UserRow = typeof users.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type BetRow = typeof bets.$inferSelect;
