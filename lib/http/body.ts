import { createHash } from 'node:crypto';
import type { NextRequest } from 'next/server';
import * as z from 'zod/mini';
// One locale by its own path: `z.locales` would bundle every language.
import en from 'zod/v4/locales/en.js';
import type { Session } from '@/lib/auth/tokens';
import type { IdempotencyKey } from '@/lib/domain/mutation';
import { AppError } from '@/lib/errors';
import { describeIssues } from './respond';

// English messages for the checks lib/validation.ts leaves unworded, as
// classic zod gives them; set once for every route that reads input.
z.config(en());

/** Parses the JSON body against `schema`, or throws the documented 400. */
export async function readBody<S extends z.core.$ZodType>(
  request: NextRequest,
  schema: S,
): Promise<z.output<S>> {
  const raw = await request.text();
  let parsed: unknown;

  try {
    parsed = raw === '' ? {} : JSON.parse(raw);
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid JSON.');
  }

  const result = z.safeParse(schema, parsed);
  if (!result.success) {
    throw new AppError('VALIDATION_ERROR', describeIssues(result.error));
  }

  return result.data;
}

/** Parses query parameters against `schema`. */
export function readQuery<S extends z.core.$ZodType>(
  request: NextRequest,
  schema: S,
): z.output<S> {
  const params = Object.fromEntries(request.nextUrl.searchParams);
  const result = z.safeParse(schema, params);

  if (!result.success) {
    throw new AppError('VALIDATION_ERROR', describeIssues(result.error));
  }

  return result.data;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's Idempotency-Key, bound to the user and to a hash of what
 * was asked, so the same key with another body is refused.
 */
export function idempotencyKey(
  request: NextRequest,
  session: Session,
  body: unknown,
): IdempotencyKey | undefined {
  const key = request.headers.get('idempotency-key');
  if (key === null) return undefined;

  if (!KEY_PATTERN.test(key)) {
    throw new AppError(
      'VALIDATION_ERROR',
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    );
  }

  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.nextUrl.pathname}\n`)
    .update(JSON.stringify(body ?? null))
    .digest('hex');

  return { userId: session.userId, key, requestHash };
}
