'use client';

import type { ReactNode } from 'react';
import { Toaster } from 'react-hot-toast';
import { AuthProvider, type AuthUser } from '@/hooks/use-auth';
import { SocketProvider } from '@/hooks/use-socket';
import { ConnectionToasts } from './connection-toasts';

/** Everything client components share: session, socket and toasts. */
export function Providers(props: {
  user: AuthUser | null;
  token: string | null;
  children: ReactNode;
}) {
  return (
    <AuthProvider user={props.user} token={props.token}>
      <SocketProvider token={props.token} userId={props.user?.id}>
        {props.children}
        <ConnectionToasts />
        <Toaster position="top-center" toastOptions={{ duration: 5000 }} />
      </SocketProvider>
    </AuthProvider>
  );
}
