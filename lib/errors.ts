// The one error type of the app. Domain code throws it with a code from the
// closed set below; the HTTP and socket layers map the code to a status.
// Next compiles route handlers into their own bundles, so `instanceof` can
// see two copies of this class: a global symbol brands the real ones.

const BRAND = Symbol.for('live-bets.AppError');

export const ERROR_STATUS = {
  INVALID_JSON: 400,
  VALIDATION_ERROR: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  CANNOT_ACCEPT_OWN_BET: 403,
  NOT_BET_CREATOR: 403,
  NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  BET_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  INSUFFICIENT_FUNDS: 409,
  BET_NOT_OPEN: 409,
  EVENT_NOT_OPEN: 409,
  EVENT_SUSPENDED: 409,
  EVENT_ALREADY_SETTLED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly [BRAND] = true;
  override name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For RATE_LIMITED: when to try again, sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}
