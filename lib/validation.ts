import { z } from 'zod';
import { MIN_STAKE_CENTS } from './domain/money';

// Request schemas, shared by the route handlers and the browser forms so
// both refuse the same input with the same words.

/** Hard ceiling for any amount; MAX_STAKE_CENTS is checked on top. */
const ABSOLUTE_MAX_CENTS = 1_000_000_000_000;

export const CentsSchema = z
  .number({ error: 'must be a number of cents' })
  .int({ error: 'must be a whole number of cents' })
  .min(MIN_STAKE_CENTS, { error: `must be at least ${MIN_STAKE_CENTS} cents` })
  .max(ABSOLUTE_MAX_CENTS, { error: 'is too large' });

export const UsernameSchema = z.string().regex(/^[a-z0-9_]{3,32}$/, {
  error: 'must be 3 to 32 lowercase letters, digits or underscores',
});

export const CredentialsSchema = z.strictObject({
  username: UsernameSchema,
  password: z
    .string()
    .min(8, { error: 'must be at least 8 characters' })
    .max(200, { error: 'must be at most 200 characters' }),
});

export const LoginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

export const NewBetSchema = z.strictObject({
  eventId: z.string().min(1).max(64),
  creatorChoice: z.string().min(1).max(32),
  creatorAmount: CentsSchema,
  acceptorAmount: CentsSchema,
  /** Keep the offer open when the event goes live (it lapses otherwise). */
  keepWhenLive: z.boolean().optional(),
});

export type NewBetInput = z.infer<typeof NewBetSchema>;

const OutcomeSchema = z.string().regex(/^[a-z0-9_]{1,32}$/, {
  error: 'must be 1 to 32 lowercase letters, digits or underscores',
});

export const NewEventSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  sport: z.string().trim().min(1).max(40),
  outcomes: z
    .array(OutcomeSchema)
    .min(2)
    .max(3)
    .refine((list) => new Set(list).size === list.length, {
      error: 'must be distinct',
    }),
  startsAt: z.iso.datetime({ offset: true }),
  streamUrl: z
    .string()
    .max(500)
    .refine((url) => /^(https?:\/\/|\/(?![/\\]))/.test(url), {
      error: 'must be an http(s) URL or a path on this site',
    })
    .nullish(),
});

export type NewEventInput = z.infer<typeof NewEventSchema>;

// A blank field clears the value, like null does.
const LiveText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((text) => (text === '' ? null : text))
    .nullable();

export const LiveInfoSchema = z
  .strictObject({
    score: LiveText(40).optional(),
    clock: LiveText(20).optional(),
    info: LiveText(280).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, {
    error: 'send at least one of score, clock, info',
  });

export const ResultSchema = z.strictObject({
  result: z.string().min(1).max(32),
});

export const CreditSchema = z.strictObject({
  username: z.string().min(1).max(64),
  amount: z
    .number()
    .int({ error: 'must be a whole number of cents' })
    .positive()
    .max(ABSOLUTE_MAX_CENTS),
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
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.coerce.number().int().positive().optional(),
});
