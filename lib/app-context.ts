import type { Config } from './config';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { RateLimits } from './security/rate-limits';
import type { Services } from './services';

/**
 * What `server.ts` builds once and route handlers use. Next compiles each
 * route into its own bundle with its own copy of every module, so the one
 * shared instance lives on `globalThis` under a registered symbol.
 */
export interface AppContext {
  config: Config;
  services: Services;
  log: Logger;
  /** HTTP rate limits; every check passes when RATE_LIMIT=off. */
  limits: RateLimits;
  metrics?: Metrics;
  /** Disconnects every socket of a user, on every instance. */
  disconnectUser?: (userId: string) => void;
}

const KEY = Symbol.for('live-bets.app-context');

type Holder = { [KEY]?: AppContext };

export function setAppContext(context: AppContext | undefined): void {
  (globalThis as Holder)[KEY] = context;
}

export function appContext(): AppContext {
  const context = (globalThis as Holder)[KEY];

  if (!context) {
    throw new Error('App context missing: start the app with server.ts');
  }

  return context;
}
