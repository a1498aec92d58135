import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { WalletHistory } from '@/components/wallet-history';
import { appContext } from '@/lib/app-context';
import { currentSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Wallet' };

const PAGE_SIZE = 20;

export default async function WalletPage() {
  const { session } = await currentSession();
  if (!session) redirect('/login?next=/wallet');

  const { services } = appContext();
  const [wallet, firstPage, events] = await Promise.all([
    services.wallet.get(session.userId),
    services.wallet.transactions(session.userId, { limit: PAGE_SIZE }),
    services.events.list(),
  ]);
  const eventNames = Object.fromEntries(
    events.map((event) => [event.id, event.name]),
  );

  return (
    <WalletHistory
      initialWallet={wallet}
      initialPage={firstPage}
      pageSize={PAGE_SIZE}
      eventNames={eventNames}
    />
  );
}
