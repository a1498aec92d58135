import { randomUUID } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { checkCsrf } from './csrf';
import { errorResponse } from './respond';

type RouteContext<P> = { params: Promise<P> };

type Handler<P> = (
  request: NextRequest,
  context: RouteContext<P>,
) => Promise<Response>;

/**
 * Wraps a route handler: renders any error as the documented body and
 * logs one line per request with its outcome and duration.
 */
export function route<P = Record<string, never>>(
  handler: Handler<P>,
): Handler<P> {
  return async (request, context) => {
    const started = performance.now();
    const requestId = request.headers.get('x-request-id') ?? randomUUID();
    let response: Response;

    try {
      // Here rather than in each handler, so no mutation can forget it.
      checkCsrf(request, {
        allowedOrigins: appContext().config.ALLOWED_ORIGINS,
      });
      response = await handler(request, context);
    } catch (error) {
      response = errorResponse(error);
    }

    response.headers.set('x-request-id', requestId);
    appContext().log.info(
      {
        requestId,
        method: request.method,
        path: request.nextUrl.pathname,
        status: response.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );

    return response;
  };
}
