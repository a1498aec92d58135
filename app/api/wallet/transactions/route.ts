import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireUser } from '@/lib/http/auth';
import { readQuery } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { TransactionsQuerySchema } from '@/lib/validation';

// GET /api/wallet/transactions?limit=&cursor=: ledger history, newest first.
export const GET = route(async (request: NextRequest) => {
  const session = await requireUser(request);
  const query = readQuery(request, TransactionsQuerySchema);
  const page = await appContext().services.wallet.transactions(
    session.userId,
    query,
  );

  return json(page);
});
