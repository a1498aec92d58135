import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { authCookies, issuedBody } from '@/lib/http/auth';
import { readBody } from '@/lib/http/body';
import { limitLogin } from '@/lib/http/limits';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { LoginSchema } from '@/lib/validation';

// POST /api/auth/login: checks the password, starts a session and sets
// the access and refresh cookies.
export const POST = route(async (request: NextRequest) => {
  const input = await readBody(request, LoginSchema);
  const { auth } = appContext().services;
  const issued = await limitLogin(request, input.username, () =>
    auth.login(input),
  );

  return json(issuedBody(issued), 200, authCookies(issued));
});
