/** An error answer from the API, with the sentence meant for the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls the app's JSON API from the browser with the session cookie.
 * Throws an ApiError carrying the server's message when refused, and a
 * plain sentence when the network itself failed.
 */
export async function apiFetch<T>(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    idempotencyKey?: string;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;

  const response = await sendRefreshing(path, () =>
    fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      cache: 'no-store',
    }),
  );

  return readAnswer<T>(response);
}

/**
 * GETs a snapshot with the stream position it reflects (the
 * `x-stream-seq` header), so pushes it already shows can be dropped.
 */
export async function fetchSnapshot<T>(
  path: string,
): Promise<{ data: T; seq: number }> {
  const response = await sendRefreshing(path, () =>
    fetch(path, { credentials: 'same-origin', cache: 'no-store' }),
  );

  const seq = Number(response.headers.get('x-stream-seq') ?? 0);
  const data = await readAnswer<T>(response);

  return { data, seq: Number.isSafeInteger(seq) ? seq : 0 };
}

/**
 * Sends a request; when it is refused for an expired access cookie, the
 * session is refreshed and the request sent once more. Auth routes are
 * never retried: their 401 is the answer.
 */
async function sendRefreshing(
  path: string,
  send: () => Promise<Response>,
): Promise<Response> {
  const first = await sendOrOffline(send);
  if (first.status !== 401 || path.startsWith('/api/auth/')) return first;
  if (!(await refreshSession())) return first;

  return sendOrOffline(send);
}

async function sendOrOffline(send: () => Promise<Response>) {
  try {
    return await send();
  } catch {
    throw new ApiError(0, 'NETWORK', 'You seem to be offline. Try again.');
  }
}

/** A fresh access token, as POST /api/auth/refresh answers. */
export interface FreshSession {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

let refreshing: Promise<FreshSession | null> | null = null;

/**
 * Continues the session with the refresh cookie; null when it is over.
 * One refresh at a time per tab, and across tabs where the browser has
 * Web Locks: two refreshes sending the same refresh token would look
 * like a stolen token to the server and end the session.
 */
export function refreshSession(): Promise<FreshSession | null> {
  refreshing ??= lockedRefresh().finally(() => {
    refreshing = null;
  });

  return refreshing;
}

async function lockedRefresh(): Promise<FreshSession | null> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return postRefresh();

  return await locks.request('live-bets-refresh', postRefresh);
}

async function postRefresh(): Promise<FreshSession | null> {
  try {
    const response = await fetch('/api/auth/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const body = await readAnswer<{ token: string; expiresAt: string }>(
      response,
    );

    return { token: body.token, expiresAt: Date.parse(body.expiresAt) };
  } catch {
    return null;
  }
}

async function readAnswer<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;

  if (response.ok) return body as T;

  const error = (body as { error?: { code?: string; message?: string } })
    ?.error;
  throw new ApiError(
    response.status,
    error?.code ?? 'UNKNOWN',
    error?.message ?? 'Something went wrong. Try again.',
  );
}
