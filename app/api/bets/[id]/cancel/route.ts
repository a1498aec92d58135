import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireUser } from '@/lib/http/auth';
import { idempotencyKey } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { limitBets } from '@/lib/http/limits';
import { json } from '@/lib/http/respond';

// POST /api/bets/:id/cancel: withdraws the caller's own open offer.
export const POST = route<{ id: string }>(
  async (request: NextRequest, { params }) => {
    const session = await requireUser(request);
    await limitBets(session);
    const { id } = await params;
    const idem = idempotencyKey(request, session, null);

    return json(
      await appContext().services.bets.cancel(session.userId, id, idem),
    );
  },
);
