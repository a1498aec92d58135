import { z } from 'zod';

// Environment is parsed once at start. A bad value stops the process with
// one line per bad variable, so an operator never chases a late crash.

const cents = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

const optionalText = z.string().optional();

const count = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');

const duration = (fallback: string) =>
  z
    .string()
    .regex(/^\d+[smhd]$/, 'use a number and a unit, e.g. 15m, 12h, 7d')
    .default(fallback);

// `https://a.example, https://b.example` -> exact origins, no trailing /.
function originsOf(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '');
}

const EnvSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: optionalText.pipe(z.url().optional()),
  REDIS_URL: optionalText.pipe(z.url().optional()),
  DATA_DIR: z.string().min(1).default('.data'),
  JWT_SECRET: optionalText.pipe(z.string().min(16).optional()),
  JWT_TTL: duration('15m'),
  REFRESH_TTL: duration('30d'),
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((list) => originsOf(list))
    .pipe(z.array(z.url({ error: 'list exact origins, never *' }))),
  TRUST_PROXY: flag('false'),
  RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  RATE_LIMIT_LOGIN_PER_USERNAME: count(10),
  RATE_LIMIT_LOGIN_PER_IP: count(100),
  RATE_LIMIT_REGISTER_PER_IP: count(20),
  RATE_LIMIT_BETS_PER_USER: count(120),
  SOCKET_EVENTS_PER_SOCKET: count(20),
  SOCKET_EVENTS_PER_USER: count(60),
  MAX_SOCKETS_PER_USER: count(20),
  MAX_ROOMS_PER_SOCKET: count(25),
  INSTANCE_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/i, 'letters, digits, _ and - only')
      .optional(),
  ),
  METRICS_TOKEN: optionalText.pipe(z.string().min(16).optional()),
  MIGRATE_ON_START: flag('true'),
  SHUTDOWN_GRACE_MS: count(10_000),
  SIGNUP_CREDIT_CENTS: cents(100_000),
  MAX_STAKE_CENTS: cents(1_000_000),
  ADMIN_USERNAME: optionalText,
  ADMIN_PASSWORD: optionalText.pipe(z.string().min(8).optional()),
  SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  LOG_PRETTY: z.enum(['auto', 'true', 'false']).default('auto'),
});

export type Env = z.infer<typeof EnvSchema>;

/** Every variable the server reads; .env.example lists each one. */
export const ENV_KEYS = Object.keys(EnvSchema.shape);

export interface Config extends Env {
  isProduction: boolean;
  /** True when PostgreSQL is PGlite in DATA_DIR (no DATABASE_URL). */
  embeddedDb: boolean;
  /** True when pushes go through an in-process bus (no REDIS_URL). */
  embeddedBus: boolean;
  seedDemo: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment, or throws a ConfigError naming each bad key. */
export function parseConfig(
  env: Record<string, string | undefined> = process.env,
): Config {
  // `KEY=` in an env file means "use the default", as if it were unset.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== ''),
  );
  const parsed = EnvSchema.safeParse(given);

  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid environment: ${lines.join('; ')}`);
  }

  const values = parsed.data;
  const embeddedDb = values.DATABASE_URL === undefined;
  const isProduction = values.NODE_ENV === 'production';

  // A shared database means several instances or real users: a secret
  // generated per machine would split sessions, so it must be given.
  if (!values.JWT_SECRET && (isProduction || !embeddedDb)) {
    throw new ConfigError(
      'Invalid environment: JWT_SECRET: required when DATABASE_URL is set ' +
        'or NODE_ENV=production',
    );
  }

  // HS256 is only as strong as its key: production wants 256 bits.
  const secretBytes = Buffer.byteLength(values.JWT_SECRET ?? '');
  if (isProduction && secretBytes < 32) {
    throw new ConfigError(
      'Invalid environment: JWT_SECRET: use at least 32 bytes in ' +
        'production (for example `openssl rand -base64 48`)',
    );
  }

  const seedDemo =
    values.SEED_DEMO === 'auto' ? embeddedDb : values.SEED_DEMO === 'true';

  return {
    ...values,
    isProduction,
    embeddedDb,
    embeddedBus: values.REDIS_URL === undefined,
    seedDemo,
  };
}

/** Converts a JWT_TTL such as `12h` to seconds. */
export function ttlSeconds(ttl: string): number {
  const unit = ttl.slice(-1);
  const amount = Number(ttl.slice(0, -1));
  const factor: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

  return amount * (factor[unit] ?? 1);
}
