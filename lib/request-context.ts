import { AsyncLocalStorage } from 'node:async_hooks';

// What the server knows about the request being handled, reachable from
// any code it runs: the logger stamps every line with it, and the auth
// helper records who the caller turned out to be. Next compiles route
// handlers into their own bundles, so the one store lives on globalThis.

export interface RequestContext {
  requestId: string;
  userId?: string;
}

const KEY = Symbol.for('live-bets.request-context');

type Holder = { [KEY]?: AsyncLocalStorage<RequestContext> };

function storage(): AsyncLocalStorage<RequestContext> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new AsyncLocalStorage<RequestContext>();

  return holder[KEY];
}

export function runInRequest<T>(context: RequestContext, task: () => T): T {
  return storage().run(context, task);
}

/** The request being handled, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage().getStore();
}

/** Records the authenticated caller for the request's log line. */
export function noteUser(userId: string): void {
  const context = currentRequest();
  if (context) context.userId = userId;
}
