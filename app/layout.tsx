import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '@/components/header';
import { Providers } from '@/components/providers';
import { SessionRefresher } from '@/components/session-refresher';
import { currentSession } from '@/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Live Bets', template: '%s · Live Bets' },
  description: 'Peer-to-peer betting on live sports, with play money.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#0f172a',
};

export default async function RootLayout({
  children,
}: {
  children: ReactNode;
}) {
  const { session, token, expiresAt, canRefresh } = await currentSession();
  const user = session
    ? { id: session.userId, username: session.username, role: session.role }
    : null;

  return (
    <html lang="en">
      <body>
        <Providers user={user} token={token} expiresAt={expiresAt}>
          {canRefresh && <SessionRefresher />}
          <Header />
          <main className="page">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
