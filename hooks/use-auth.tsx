'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Role } from '@/lib/auth/tokens';

export interface AuthUser {
  id: string;
  username: string;
  role: Role;
}

export interface AuthState {
  user: AuthUser | null;
  /** The session token, for the socket handshake. */
  token: string | null;
}

const AuthContext = createContext<AuthState>({ user: null, token: null });

/** Hands the session the server read from the cookie to the client. */
export function AuthProvider(props: AuthState & { children: ReactNode }) {
  const { user, token, children } = props;

  return (
    <AuthContext.Provider value={{ user, token }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  return useContext(AuthContext);
}
