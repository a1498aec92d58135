import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireUser } from '@/lib/http/auth';
import { idempotencyKey, readBody } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { limitBets } from '@/lib/http/limits';
import { json } from '@/lib/http/respond';
import { NewBetSchema } from '@/lib/validation';

// POST /api/bets: posts an offer and freezes the creator's stake.
export const POST = route(async (request: NextRequest) => {
  const session = await requireUser(request);
  await limitBets(session);
  const input = await readBody(request, NewBetSchema);
  const idem = idempotencyKey(request, session, input);
  const bet = await appContext().services.bets.create(
    session.userId,
    input,
    idem,
  );

  return json(bet, 201);
});
