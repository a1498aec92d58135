import { appContext } from '@/lib/app-context';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';

// GET /api/ready: 200 when this instance should take traffic (database,
// bus and schema in order, not shutting down); 503 with the reason when
// not, so a balancer skips it. /api/health stays the liveness probe.
export const GET = route(async () => {
  const readiness = await appContext().services.readiness();

  return json(readiness, readiness.ready ? 200 : 503);
});
