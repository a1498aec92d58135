import type { Config } from '@/lib/config';
import { AppError, isAppError } from '@/lib/errors';
import { isOverLimit, retryAfterSeconds, type LimiterStore } from './limiter';

// The HTTP rate limits: logins, sign-ups and bet mutations. Each check
// throws RATE_LIMITED with a Retry-After when the caller is over budget.

export interface RateLimits {
  /**
   * Runs a login attempt under two budgets: attempts per address, and
   * failed attempts per username (a success clears that username's).
   */
  login<T>(username: string, ip: string, attempt: () => Promise<T>): Promise<T>;
  /** Counts a sign-up from `ip`. */
  register(ip: string): Promise<void>;
  /** Counts a bet placement, acceptance or cancellation by `userId`. */
  betMutation(userId: string): Promise<void>;
}

type LimitConfig = Pick<
  Config,
  | 'RATE_LIMIT'
  | 'RATE_LIMIT_LOGIN_PER_USERNAME'
  | 'RATE_LIMIT_LOGIN_PER_IP'
  | 'RATE_LIMIT_REGISTER_PER_IP'
  | 'RATE_LIMIT_BETS_PER_USER'
>;

const MINUTE = 60;

const OFF: RateLimits = {
  login: (_username, _ip, attempt) => attempt(),
  register: async () => {},
  betMutation: async () => {},
};

export function createRateLimits(
  config: LimitConfig,
  store: LimiterStore,
): RateLimits {
  if (config.RATE_LIMIT === 'off') return OFF;

  const loginFailures = store.limiter({
    name: 'login-user',
    points: config.RATE_LIMIT_LOGIN_PER_USERNAME,
    durationSeconds: 15 * MINUTE,
  });
  const loginAttempts = store.limiter({
    name: 'login-ip',
    points: config.RATE_LIMIT_LOGIN_PER_IP,
    durationSeconds: 15 * MINUTE,
  });
  const signups = store.limiter({
    name: 'register-ip',
    points: config.RATE_LIMIT_REGISTER_PER_IP,
    durationSeconds: 60 * MINUTE,
  });
  const bets = store.limiter({
    name: 'bets-user',
    points: config.RATE_LIMIT_BETS_PER_USER,
    durationSeconds: MINUTE,
  });

  return {
    async login(username, ip, attempt) {
      const key = username.toLowerCase();
      await spend(loginAttempts.consume(ip), tooManyLogins);

      // Only failures count per username, so a bettor who mistypes now
      // and then is never locked out, while guessing one account's
      // password stops after a few tries from however many addresses.
      const failures = await loginFailures.get(key);
      if (failures && failures.remainingPoints <= 0) {
        throw tooManyLogins(retryAfterSeconds(failures));
      }

      try {
        const result = await attempt();
        await loginFailures.delete(key);
        return result;
      } catch (error) {
        if (isAppError(error) && error.code === 'INVALID_CREDENTIALS') {
          await loginFailures.consume(key).catch(ignoreOverLimit);
        }
        throw error;
      }
    },
    register: (ip) => spend(signups.consume(ip), tooManySignups),
    betMutation: (userId) => spend(bets.consume(userId), tooManyBets),
  };
}

// A consume that rejects with a limiter result is over budget; any other
// rejection is a broken store and propagates as a 500.
async function spend(
  consumed: Promise<unknown>,
  refusal: (retryAfter: number) => AppError,
): Promise<void> {
  try {
    await consumed;
  } catch (rejection) {
    if (isOverLimit(rejection)) throw refusal(retryAfterSeconds(rejection));
    throw rejection;
  }
}

function ignoreOverLimit(rejection: unknown): void {
  if (!isOverLimit(rejection)) throw rejection;
}

function inMinutes(seconds: number): string {
  const minutes = Math.ceil(seconds / MINUTE);

  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

function tooManyLogins(retryAfter: number): AppError {
  return new AppError(
    'RATE_LIMITED',
    `Too many login attempts. Please wait ${inMinutes(retryAfter)} ` +
      'and try again.',
    retryAfter,
  );
}

function tooManySignups(retryAfter: number): AppError {
  return new AppError(
    'RATE_LIMITED',
    'Too many new accounts from your network. Please wait ' +
      `${inMinutes(retryAfter)} and try again.`,
    retryAfter,
  );
}

function tooManyBets(retryAfter: number): AppError {
  return new AppError(
    'RATE_LIMITED',
    'You are betting faster than we allow. Please wait ' +
      `${retryAfter} seconds and try again.`,
    retryAfter,
  );
}
