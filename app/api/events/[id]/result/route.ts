import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireAdmin } from '@/lib/http/auth';
import { idempotencyKey, readBody } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { ResultSchema } from '@/lib/validation';

// POST /api/events/:id/result (admin): finishes the event and settles it.
export const POST = route<{ id: string }>(
  async (request: NextRequest, { params }) => {
    const session = await requireAdmin(request);
    const { id } = await params;
    const { result } = await readBody(request, ResultSchema);
    const idem = idempotencyKey(request, session, { result });

    return json(await appContext().services.events.result(id, result, idem));
  },
);
