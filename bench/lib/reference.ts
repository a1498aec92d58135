import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from './app';

const SCRIPT = fileURLToPath(
  new URL('../reference/bare-server.ts', import.meta.url),
);

export interface ReferenceServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts the bare Socket.IO reference in a process of its own. */
export function startReference(
  opts: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<ReferenceServer> {
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', SCRIPT];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ...opts.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';

  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      resolve({
        url: match[1]!,
        pid: child.pid!,
        stop: () => stopChild(child),
      });
    });
    child.once('exit', (code) =>
      reject(new Error(`the reference server exited with ${code}`)),
    );
  });
}
