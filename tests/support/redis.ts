import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  /** Kills the server, as an outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/**
 * A Redis server of the test's own on a loopback port, so a test can take
 * it down without touching the one other tests use.
 */
export async function privateRedis(port: number): Promise<PrivateRedis> {
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    await waitForPing(port);
  };

  await start();

  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const gone = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await gone;
    },
  };
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;

  while (Date.now() < deadline) {
    const client = new Redis({
      port,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    const ok = await client
      .connect()
      .then(() => client.ping())
      .then(() => true)
      .catch(() => false);
    client.disconnect();
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  throw new Error(`redis on ${port} did not answer`);
}
