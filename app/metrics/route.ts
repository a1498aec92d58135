import { timingSafeEqual } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/handler';

// GET /metrics: Prometheus text format. With METRICS_TOKEN it wants that
// bearer token; without one it answers in development only, so a
// production instance never shows its internals by accident.
export const GET = route(async (request) => {
  const { config, metrics } = appContext();
  if (!metrics || !allowed(request, config.METRICS_TOKEN, config)) {
    throw new AppError('NOT_FOUND', 'Not found.');
  }

  const body = await metrics.registry.metrics();

  return new Response(body, {
    headers: { 'content-type': metrics.registry.contentType },
  });
});

function allowed(
  request: NextRequest,
  token: string | undefined,
  config: { isProduction: boolean },
): boolean {
  if (!token) return !config.isProduction;

  const given = request.headers.get('authorization') ?? '';
  const expected = `Bearer ${token}`;

  return (
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}
