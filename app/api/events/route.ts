import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { appContext } from '@/lib/app-context';
import { requireAdmin } from '@/lib/http/auth';
import { idempotencyKey, readBody, readQuery } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { json, snapshot } from '@/lib/http/respond';
import { EventStatusSchema, NewEventSchema } from '@/lib/validation';

const ListQuery = z.object({ status: z.optional(EventStatusSchema) });

// GET /api/events?status=: live first, then upcoming, then ended.
export const GET = route(async (request: NextRequest) => {
  const { status } = readQuery(request, ListQuery);

  return snapshot(async () => ({
    items: await appContext().services.events.list(status),
  }));
});

// POST /api/events (admin): creates a scheduled event.
export const POST = route(async (request: NextRequest) => {
  const session = await requireAdmin(request);
  const input = await readBody(request, NewEventSchema);
  const idem = idempotencyKey(request, session, input);

  return json(await appContext().services.events.create(input, idem), 201);
});
