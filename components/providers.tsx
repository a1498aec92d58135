'use client';

import { useState, type ReactNode } from 'react';
import { Toaster } from 'react-hot-toast';
import { AuthProvider, type AuthUser } from '@/hooks/use-auth';
import { SocketProvider } from '@/hooks/use-socket';
import { ConnectionToasts } from './connection-toasts';

/** Everything client components share: session, socket and toasts. */
export function Providers(props: {
  user: AuthUser | null;
  token: string | null;
  /** When `token` expires, ms since the epoch. */
  expiresAt: number | null;
  children: ReactNode;
}) {
  // The socket refreshes the token before it expires; the auth context
  // then carries the fresh one too.
  const [fresh, setFresh] = useState({ from: props.token, token: props.token });
  if (fresh.from !== props.token) {
    setFresh({ from: props.token, token: props.token });
  }

  return (
    <AuthProvider user={props.user} token={fresh.token}>
      <SocketProvider
        token={props.token}
        expiresAt={props.expiresAt}
        userId={props.user?.id}
        onToken={({ token }) => setFresh({ from: props.token, token })}
      >
        {props.children}
        <ConnectionToasts />
        <Toaster position="top-center" toastOptions={{ duration: 5000 }} />
      </SocketProvider>
    </AuthProvider>
  );
}
