import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN, DATABASE_URL, JWT_SECRET, REDIS_URL } from './env';

export interface RunningServer {
  url: string;
  process: ChildProcess;
  /** Everything the server printed, for a failing test to show. */
  output(): string;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  crash(): Promise<void>;
}

/**
 * Starts the production build (`dist/server.js`) on a free loopback port
 * and resolves once it prints its URL. Without DATABASE_URL each server
 * gets its own PGlite folder.
 */
export async function startServer(
  env: Record<string, string | undefined> = {},
  opts: { dataDir?: string } = {},
): Promise<RunningServer> {
  // A given folder outlives the server (a restart reuses it); a fresh one
  // is removed when the server stops.
  const dataDir =
    opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'live-bets-'));
  const ownsDataDir = opts.dataDir === undefined;
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      JWT_SECRET,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      // Suites hammer one address with hundreds of users; the security
      // tests turn the limits back on for themselves.
      RATE_LIMIT: 'off',
      DATABASE_URL,
      REDIS_URL,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await waitForUrl(child, () => output);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  return {
    url,
    process: child,
    output: () => output,
    async crash() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

function waitForUrl(child: ChildProcess, output: () => string) {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output()}`));
    }, 60_000);

    child.stdout!.on('data', () => {
      const match = /Listening on (http:\/\/\S+)/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output()}`));
    });
  });
}
