import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireUser } from '@/lib/http/auth';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';

// GET /api/me: the caller and their wallet.
export const GET = route(async (request: NextRequest) => {
  const session = await requireUser(request);
  const { services } = appContext();
  const [user, wallet] = await Promise.all([
    services.users.get(session.userId),
    services.wallet.get(session.userId),
  ]);

  return json({ user, wallet });
});
