import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { sessionCookie } from '@/lib/http/auth';
import { readBody } from '@/lib/http/body';
import { limitLogin } from '@/lib/http/limits';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { LoginSchema } from '@/lib/validation';

// POST /api/auth/login: checks the password and sets the session cookie.
export const POST = route(async (request: NextRequest) => {
  const input = await readBody(request, LoginSchema);
  const { auth } = appContext().services;
  const result = await limitLogin(request, input.username, () =>
    auth.login(input),
  );

  return json(result, 200, {
    'set-cookie': sessionCookie(result.token, auth.tokenTtlSeconds),
  });
});
