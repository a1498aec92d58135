'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useAuth } from '@/hooks/use-auth';
import { useSocketStatus } from '@/hooks/use-socket';
import { useWallet } from '@/hooks/use-wallet';
import { apiFetch } from '@/lib/client/api';
import { formatCents } from '@/lib/client/format';

/** The bar on every page: navigation, the user, their money, logout. */
export function Header() {
  const { user } = useAuth();

  return (
    <header className="site-header">
      <nav className="site-nav" aria-label="Main">
        <Link href="/" className="brand">
          Live Bets
        </Link>
        {user && <Link href="/bets">My bets</Link>}
        {user && <Link href="/wallet">Wallet</Link>}
        {user?.role === 'admin' && <Link href="/admin">Admin</Link>}
      </nav>
      {user ? <SignedIn username={user.username} /> : <SignedOut />}
    </header>
  );
}

function SignedIn({ username }: { username: string }) {
  const router = useRouter();
  const { wallet } = useWallet();
  const { isConnected } = useSocketStatus();

  const logout = async () => {
    await apiFetch('/api/auth/logout', { method: 'POST' }).catch(() => null);
    router.push('/');
    router.refresh();
  };

  return (
    <div className="site-user">
      <span
        className={isConnected ? 'dot dot-on' : 'dot dot-off'}
        title={isConnected ? 'Live' : 'Offline'}
        aria-label={isConnected ? 'Live updates on' : 'Live updates off'}
        role="img"
      />
      <span className="username">{username}</span>
      {wallet && (
        <Link href="/wallet" className="header-balance">
          {formatCents(wallet.availableBalance)}
          <span className="muted"> available</span>
        </Link>
      )}
      <button type="button" className="btn btn-ghost" onClick={logout}>
        Log out
      </button>
    </div>
  );
}

function SignedOut() {
  return (
    <div className="site-user">
      <Link href="/login" className="btn btn-ghost">
        Log in
      </Link>
      <Link href="/register" className="btn btn-primary">
        Sign up
      </Link>
    </div>
  );
}
