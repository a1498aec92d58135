import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import type { Session } from '@/lib/auth/tokens';
import { CLIENT_IP_HEADER } from '@/lib/security/client';

// Route-side doors to the rate limits built once in server.ts.

/** The client's address, as server.ts stamped it on the request. */
export function clientIp(request: NextRequest): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}

/** Runs a login attempt under the per-address and per-username limits. */
export function limitLogin<T>(
  request: NextRequest,
  username: string,
  attempt: () => Promise<T>,
): Promise<T> {
  return appContext().limits.login(username, clientIp(request), attempt);
}

export function limitRegister(request: NextRequest): Promise<void> {
  return appContext().limits.register(clientIp(request));
}

/** Counts a bet placement, acceptance or cancellation. */
export function limitBets(session: Pick<Session, 'userId'>): Promise<void> {
  return appContext().limits.betMutation(session.userId);
}
