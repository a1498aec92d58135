import type { Metadata } from 'next';
import { Lobby } from '@/components/lobby';
import { appContext } from '@/lib/app-context';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { absolute: 'Live Bets · Live and upcoming events' },
};

export default async function LobbyPage() {
  const events = await appContext().services.events.list();

  return <Lobby initial={events} />;
}
