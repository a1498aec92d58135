import { ZodError, type core } from 'zod';
import { appContext } from '@/lib/app-context';
import { isAppError, type ErrorCode } from '@/lib/errors';

export function json(body: unknown, status = 200, headers?: HeadersInit) {
  return Response.json(body, { status, headers });
}

function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/** Summarises zod issues as one sentence naming each bad field. */
export function describeIssues(error: core.$ZodError): string {
  const parts = error.issues.map((issue) => {
    const field = issue.path.join('.') || 'body';

    return `${field}: ${issue.message}`;
  });

  return `Invalid request. ${parts.join('; ')}.`;
}

/**
 * Turns anything thrown into the documented error body. Known errors
 * explain themselves; anything else is logged with its stack and answered
 * with a generic 500 that reveals nothing internal.
 */
export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const retry = error.retryAfterSeconds;
    const headers = retry ? { 'retry-after': String(retry) } : undefined;

    return json(errorBody(error.code, error.message), error.status, headers);
  }
  if (error instanceof ZodError) {
    return json(errorBody('VALIDATION_ERROR', describeIssues(error)), 400);
  }

  appContext().log.error({ err: error }, 'unhandled error in a handler');

  return json(
    errorBody('INTERNAL', 'Something went wrong on our side. Try again.'),
    500,
  );
}

/**
 * Answers a snapshot with the stream position it reflects. The position
 * is read before the data, so every push up to it is in the snapshot.
 */
export async function snapshot(read: () => Promise<unknown>) {
  const seq = await appContext().services.stream.currentSeq();
  const body = await read();

  return json(body, 200, { 'x-stream-seq': String(seq) });
}
