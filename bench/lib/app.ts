import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';

// Starts the production build against a database created for this run on
// the local PostgreSQL, and the local Redis, the way `npm start` would.

export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL =
  process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const ADMIN = { username: 'bench_admin', password: 'bench-admin-pw-1' };

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export interface RunningApp {
  url: string;
  pid: number;
  /** A connection to the run's database, for setup and checks. */
  sql: Sql;
  jwtSecret: string;
  /** Everything the server printed, for a failed run to show. */
  output(): string;
  /** SIGTERM, wait for the exit, then drop the run's database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The folder holding `dist/server.js` and `.next`. */
  cwd: string;
  env?: Record<string, string>;
  /** Node options before the script, e.g. `--expose-gc`. */
  nodeArgs?: string[];
}

export async function startApp(opts: StartOptions): Promise<RunningApp> {
  const database = `bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await createDatabase(database);
  const databaseUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const jwtSecret = randomBytes(32).toString('hex');

  const args = [...(opts.nodeArgs ?? []), 'dist/server.js'];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      JWT_SECRET: jwtSecret,
      // Sockets outlive the default 15 minutes' token in the long holds.
      JWT_TTL: '2h',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      RATE_LIMIT: 'off',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const started = await waitForUrl(child).catch(async (error: unknown) => {
    await dropDatabase(database);
    throw error;
  });
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });

  return {
    url: started.url,
    pid: child.pid!,
    sql,
    jwtSecret,
    output: started.output,
    stop: async () => {
      await sql.end({ timeout: 5 });
      await stopChild(child);
      await dropDatabase(database);
    },
  };
}

async function createDatabase(name: string): Promise<void> {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function waitForUrl(
  child: ChildProcess,
): Promise<{ url: string; output: () => string }> {
  let output = '';
  const collect = (chunk: Buffer) => {
    // Only the start of a long run's output is kept: it explains a failed
    // start, and a chatty server must not grow the harness's memory.
    if (output.length < 200_000) output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not start:\n${output}`));
    }, 90_000);

    child.stdout!.on('data', () => {
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, output: () => output });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
}

/** SIGTERM, then SIGKILL if it has not gone after 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; fields are counted after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);

  return ticks / CLOCK_TICKS;
}

/** Resident memory of a process in bytes, from /proc. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);

  return match ? Number(match[1]) * 1024 : 0;
}

// USER_HZ is 100 on every Linux the bench is meant for.
const CLOCK_TICKS = 100;
