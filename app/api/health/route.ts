import { appContext } from '@/lib/app-context';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';

// GET /api/health: 200 while the database answers, 503 when it does not.
export const GET = route(async () => {
  const health = await appContext().services.health();

  return json(health, health.db === 'up' ? 200 : 503);
});
