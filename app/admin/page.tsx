import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AdminConsole } from '@/components/admin-console';
import { appContext } from '@/lib/app-context';
import { currentSession } from '@/lib/session';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Admin' };

// `forbidden()` would answer with a real 403 but needs the experimental
// `authInterrupts` flag in Next 16, so the message is rendered instead.
export default async function AdminPage() {
  const { session } = await currentSession();
  if (!session) redirect('/login?next=/admin');
  if (session.role !== 'admin') return <AdminsOnly />;

  const events = await appContext().services.events.list();

  return <AdminConsole initial={events} />;
}

function AdminsOnly() {
  return (
    <section className="card stack notice">
      <h1>403 — Admins only</h1>
      <p className="muted">
        This page runs events and pays out play money, so only admin accounts
        can open it.
      </p>
      <p>
        <Link href="/">Back to the events</Link>
      </p>
    </section>
  );
}
