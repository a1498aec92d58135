import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { appContext } from '@/lib/app-context';
import { isAppError } from '@/lib/errors';
import { currentSession } from '@/lib/session';
import { EventLiveStream } from '@/components/event-live-stream';

export const dynamic = 'force-dynamic';

interface EventPageProps {
  params: Promise<{ id: string }>;
}

// The metadata and the page both need the event: read it once a request.
const loadEvent = cache(async (id: string) => {
  try {
    return await appContext().services.events.get(id);
  } catch (error) {
    if (isAppError(error) && error.code === 'EVENT_NOT_FOUND') notFound();
    throw error;
  }
});

export async function generateMetadata({
  params,
}: EventPageProps): Promise<Metadata> {
  const event = await loadEvent((await params).id);

  return { title: event.name };
}

export default async function EventPage({ params }: EventPageProps) {
  const { id } = await params;
  const event = await loadEvent(id);

  const { services } = appContext();
  const { session } = await currentSession();
  const [bets, wallet] = await Promise.all([
    services.bets.listForEvent(event.id),
    session ? services.wallet.get(session.userId) : null,
  ]);

  return <EventLiveStream event={event} bets={bets} wallet={wallet} />;
}
