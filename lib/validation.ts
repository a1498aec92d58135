import * as z from 'zod/mini';
import { MIN_STAKE_CENTS } from './domain/money';

// Request schemas, shared by the route handlers and the browser forms so
// both refuse the same input with the same words. They are written with
// zod/mini, whose checks are plain functions a bundler can leave out when
// unused: the event page ships about 7 KB of zod instead of 31 KB, and
// the server runs the same checks as classic zod's methods would.

// zod/mini brings no messages of its own ("Invalid input" for every
// check without words of its own); the server loads English ones in
// lib/http/body.ts. Browsers do without them: each field a bettor types
// has its own words here, and the English table would cost 3 KB gzipped.

/** Hard ceiling for any amount; MAX_STAKE_CENTS is checked on top. */
const ABSOLUTE_MAX_CENTS = 1_000_000_000_000;

export const CentsSchema = z
  .number({ error: 'must be a number of cents' })
  .check(
    z.int({ error: 'must be a whole number of cents' }),
    z.minimum(MIN_STAKE_CENTS, {
      error: `must be at least ${MIN_STAKE_CENTS} cents`,
    }),
    z.maximum(ABSOLUTE_MAX_CENTS, { error: 'is too large' }),
  );

export const UsernameSchema = z.string().check(
  z.regex(/^[a-z0-9_]{3,32}$/, {
    error: 'must be 3 to 32 lowercase letters, digits or underscores',
  }),
);

export const CredentialsSchema = z.strictObject({
  username: UsernameSchema,
  password: z
    .string()
    .check(
      z.minLength(8, { error: 'must be at least 8 characters' }),
      z.maxLength(200, { error: 'must be at most 200 characters' }),
    ),
});

export const LoginSchema = z.strictObject({
  username: z.string().check(z.minLength(1), z.maxLength(64)),
  password: z.string().check(z.minLength(1), z.maxLength(200)),
});

export const NewBetSchema = z.strictObject({
  eventId: z.string().check(z.minLength(1), z.maxLength(64)),
  creatorChoice: z.string().check(z.minLength(1), z.maxLength(32)),
  creatorAmount: CentsSchema,
  acceptorAmount: CentsSchema,
  /** Keep the offer open when the event goes live (it lapses otherwise). */
  keepWhenLive: z.optional(z.boolean()),
});

export type NewBetInput = z.infer<typeof NewBetSchema>;

const OutcomeSchema = z.string().check(
  z.regex(/^[a-z0-9_]{1,32}$/, {
    error: 'must be 1 to 32 lowercase letters, digits or underscores',
  }),
);

const StreamUrlSchema = z.string().check(
  z.maxLength(500),
  z.refine((url) => /^(https?:\/\/|\/(?![/\\]))/.test(url), {
    error: 'must be an http(s) URL or a path on this site',
  }),
);

export const NewEventSchema = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  sport: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  outcomes: z.array(OutcomeSchema).check(
    z.minLength(2),
    z.maxLength(3),
    z.refine((list) => new Set(list).size === list.length, {
      error: 'must be distinct',
    }),
  ),
  startsAt: z.iso.datetime({ offset: true }),
  streamUrl: z.nullish(StreamUrlSchema),
});

export type NewEventInput = z.infer<typeof NewEventSchema>;

// A blank field clears the value, like null does.
const LiveText = (max: number) =>
  z.nullable(
    z.pipe(
      z.string().check(z.trim(), z.maxLength(max)),
      z.transform((text) => (text === '' ? null : text)),
    ),
  );

export const LiveInfoSchema = z
  .strictObject({
    score: z.optional(LiveText(40)),
    clock: z.optional(LiveText(20)),
    info: z.optional(LiveText(280)),
  })
  .check(
    z.refine((value) => Object.keys(value).length > 0, {
      error: 'send at least one of score, clock, info',
    }),
  );

export const ResultSchema = z.strictObject({
  result: z.string().check(z.minLength(1), z.maxLength(32)),
});

export const CreditSchema = z.strictObject({
  username: z.string().check(z.minLength(1), z.maxLength(64)),
  amount: z
    .number()
    .check(
      z.int({ error: 'must be a whole number of cents' }),
      z.positive(),
      z.maximum(ABSOLUTE_MAX_CENTS),
    ),
});

export const EventStatusSchema = z.enum([
  'scheduled',
  'live',
  'finished',
  'cancelled',
]);

export const BetStatusSchema = z.enum([
  'open',
  'accepted',
  'cancelled',
  'settled',
  'void',
]);

export const TransactionsQuerySchema = z.object({
  limit: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)),
    50,
  ),
  cursor: z.optional(z.coerce.number().check(z.int(), z.positive())),
});
