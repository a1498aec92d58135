import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { appContext } from '@/lib/app-context';
import { readQuery } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { snapshot } from '@/lib/http/respond';
import { BetStatusSchema } from '@/lib/validation';

const ListQuery = z.object({ status: z.optional(BetStatusSchema) });

// GET /api/events/:id/bets?status=: the event's bets, newest first.
export const GET = route<{ id: string }>(
  async (request: NextRequest, { params }) => {
    const { id } = await params;
    const { status } = readQuery(request, ListQuery);
    return snapshot(async () => ({
      items: await appContext().services.bets.listForEvent(id, status),
    }));
  },
);
