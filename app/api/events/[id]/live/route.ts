import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { requireAdmin } from '@/lib/http/auth';
import { idempotencyKey, readBody } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { LiveInfoSchema } from '@/lib/validation';

// PATCH /api/events/:id/live (admin): score, clock or info text.
export const PATCH = route<{ id: string }>(
  async (request: NextRequest, { params }) => {
    const session = await requireAdmin(request);
    const { id } = await params;
    const live = await readBody(request, LiveInfoSchema);
    const idem = idempotencyKey(request, session, live);

    return json(await appContext().services.events.updateLive(id, live, idem));
  },
);
