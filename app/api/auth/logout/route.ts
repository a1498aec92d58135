import { sessionCookie } from '@/lib/http/auth';
import { route } from '@/lib/http/handler';

// POST /api/auth/logout: clears the session cookie.
export const POST = route(async () => {
  return new Response(null, {
    status: 204,
    headers: { 'set-cookie': sessionCookie(null, 0) },
  });
});
