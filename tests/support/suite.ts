import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { Api, type TestUser } from './api';
import { startServer, type RunningServer } from './server';
import { connect, type Listener } from './sockets';

export interface TestApp {
  server: RunningServer;
  api: Api;
  admin: TestUser;
  /** A socket for `user`, closed after the test; joins `eventId` if given. */
  listen(user: TestUser, eventId?: string): Promise<Listener>;
}

/**
 * Starts one server for the calling test file and stops it afterwards.
 * After every test its sockets are closed and, unless `checkBooks` is
 * false, the ledger audit must find the books balanced.
 */
export function useTestApp(
  opts: { checkBooks?: boolean; env?: Record<string, string> } = {},
): TestApp {
  const sockets: Listener[] = [];
  const app = {} as TestApp;

  beforeAll(async () => {
    app.server = await startServer(opts.env);
    app.api = new Api(app.server.url);
    app.admin = await app.api.admin();
  });

  afterEach(async () => {
    while (sockets.length > 0) sockets.pop()!.close();
    if (opts.checkBooks !== false) {
      await app.api.expectBooksBalanced(app.admin.token);
    }
  });

  afterAll(async () => {
    // A clean exit code means the graceful shutdown finished in time.
    if (app.server) expect(await app.server.stop()).toBe(0);
  });

  app.listen = async (user, eventId) => {
    const listener = await connect(app.server.url, user.token);
    sockets.push(listener);
    if (eventId) {
      expect(await listener.joinEvent(eventId)).toEqual({ ok: true });
    }

    return listener;
  };

  return app;
}
