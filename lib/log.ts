import pino, { type Logger } from 'pino';
import { currentRequest } from './request-context';

export type { Logger };

/**
 * The app's structured logger: JSON lines in production and tests, pretty
 * lines for a developer at a terminal. Every line written while a request
 * is handled carries its request id and, once known, the user id. Tokens
 * and passwords never reach it: request logs carry ids, never headers or
 * bodies, and the redaction below is a second guard.
 */
export function createLogger(opts: { level: string; pretty: boolean }): Logger {
  return pino({
    level: opts.level,
    base: { pid: process.pid },
    mixin: () => ({ ...currentRequest() }),
    redact: [
      'password',
      'token',
      'refreshToken',
      '*.password',
      '*.token',
      '*.refreshToken',
      'authorization',
      'cookie',
      '*.authorization',
      '*.cookie',
    ],
    transport: opts.pretty
      ? { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss' } }
      : undefined,
  });
}
