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

  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'You seem to be offline. Try again.');
  }

  return readAnswer<T>(response);
}

/**
 * GETs a snapshot with the stream position it reflects (the
 * `x-stream-seq` header), so pushes it already shows can be dropped.
 */
export async function fetchSnapshot<T>(
  path: string,
): Promise<{ data: T; seq: number }> {
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'You seem to be offline. Try again.');
  }

  const seq = Number(response.headers.get('x-stream-seq') ?? 0);
  const data = await readAnswer<T>(response);

  return { data, seq: Number.isSafeInteger(seq) ? seq : 0 };
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
