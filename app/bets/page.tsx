import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { MyBets } from '@/components/my-bets';
import { appContext } from '@/lib/app-context';
import { currentSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'My bets' };

export default async function MyBetsPage() {
  const { session } = await currentSession();
  if (!session) redirect('/login?next=/bets');

  const { services } = appContext();
  const [bets, events] = await Promise.all([
    services.bets.mine(session.userId),
    services.events.list(),
  ]);
  const eventNames = Object.fromEntries(
    events.map((event) => [event.id, event.name]),
  );

  return (
    <MyBets userId={session.userId} initial={bets} eventNames={eventNames} />
  );
}
