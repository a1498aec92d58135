import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { route } from '@/lib/http/handler';
import { snapshot } from '@/lib/http/respond';

// GET /api/events/:id: the event with live info and open-offer count.
export const GET = route<{ id: string }>(
  async (_request: NextRequest, { params }) => {
    const { id } = await params;

    return snapshot(() => appContext().services.events.get(id));
  },
);
