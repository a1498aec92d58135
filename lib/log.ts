import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The app's structured logger: JSON lines in production and tests, pretty
 * lines for a developer at a terminal. Tokens and passwords never reach
 * it: request logs carry ids, never headers or bodies.
 */
export function createLogger(opts: { level: string; pretty: boolean }): Logger {
  return pino({
    level: opts.level,
    base: { pid: process.pid },
    redact: ['password', 'token', '*.password', '*.token', 'authorization'],
    transport: opts.pretty
      ? { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss' } }
      : undefined,
  });
}
