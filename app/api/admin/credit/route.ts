import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireAdmin } from '@/lib/http/auth';
import { idempotencyKey, readBody } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { CreditSchema } from '@/lib/validation';

// POST /api/admin/credit (admin): pays play money to a user.
export const POST = route(async (request: NextRequest) => {
  const session = await requireAdmin(request);
  const input = await readBody(request, CreditSchema);
  const idem = idempotencyKey(request, session, input);

  return json(await appContext().services.admin.credit(input, idem));
});
