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
 * Wraps a route handler: refuses cross-site mutations (see csrf.ts) and
 * renders any error as the documented body. The server logs one line per
 * request (see `serveRequest` in server.ts).
 */
export function route<P = Record<string, never>>(
  handler: Handler<P>,
): Handler<P> {
  return async (request, context) => {
    try {
      // Here rather than in each handler, so no mutation can forget it.
      checkCsrf(request, {
        allowedOrigins: appContext().config.ALLOWED_ORIGINS,
      });
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
