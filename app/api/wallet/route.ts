import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireUser } from '@/lib/http/auth';
import { route } from '@/lib/http/handler';
import { snapshot } from '@/lib/http/respond';

// GET /api/wallet: balance, available and frozen, in cents.
export const GET = route(async (request: NextRequest) => {
  const session = await requireUser(request);

  return snapshot(() => appContext().services.wallet.get(session.userId));
});
