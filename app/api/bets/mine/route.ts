import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireUser } from '@/lib/http/auth';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';

// GET /api/bets/mine: bets the caller posted or took, newest first.
export const GET = route(async (request: NextRequest) => {
  const session = await requireUser(request);

  return json({ items: await appContext().services.bets.mine(session.userId) });
});
