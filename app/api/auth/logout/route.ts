import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { accessTokenOf, authCookies, refreshTokenOf } from '@/lib/http/auth';
import { route } from '@/lib/http/handler';

// POST /api/auth/logout: ends the session, clears both cookies and
// disconnects the user's sockets on every instance.
export const POST = route(async (request: NextRequest) => {
  const { services, disconnectUser } = appContext();
  const userId = await services.auth.logout({
    accessToken: accessTokenOf(request),
    refreshToken: refreshTokenOf(request),
  });

  if (userId) disconnectUser?.(userId);

  return new Response(null, { status: 204, headers: authCookies(null) });
});
