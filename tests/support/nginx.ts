import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  siteConfig,
  standaloneConfig,
  type Instance,
} from '@/deploy/nginx-config';

export const NGINX = '/usr/sbin/nginx';

export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs Debian's nginx as an ordinary process in front of `instances`,
 * with the configuration deploy/ ships, on a free loopback port.
 */
export async function startNginx(instances: Instance[]): Promise<RunningNginx> {
  if (!existsSync(NGINX)) {
    throw new Error(`${NGINX} is missing: apt-get install -y nginx`);
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'live-bets-nginx-'));
  const port = await freePort();
  const site = siteConfig({ listen: `127.0.0.1:${port}`, instances });
  writeFileSync(path.join(dir, 'nginx.conf'), standaloneConfig(dir, site));

  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;

  await waitUntilAnswering(url, () => output, exited);

  return {
    url,
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(
  url: string,
  output: () => string,
  exited: Promise<void>,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 15_000;

  while (Date.now() < deadline) {
    if (gone) throw new Error(`nginx exited:\n${output()}`);
    const answered = await fetch(`${url}/api/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  throw new Error(`nginx did not answer on ${url}:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
