import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireAdmin } from '@/lib/http/auth';
import { idempotencyKey } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';

// POST /api/events/:id/suspend (admin): stops new offers and accepts.
export const POST = route<{ id: string }>(
  async (request: NextRequest, { params }) => {
    const session = await requireAdmin(request);
    const { id } = await params;
    const idem = idempotencyKey(request, session, null);

    return json(await appContext().services.events.suspend(id, true, idem));
  },
);
