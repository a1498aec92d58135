import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireAdmin } from '@/lib/http/auth';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';

// GET /api/admin/audit (admin): checks the books' invariants now.
export const GET = route(async (request: NextRequest) => {
  await requireAdmin(request);

  return json(await appContext().services.wallet.audit());
});
