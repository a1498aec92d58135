import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { authCookies, issuedBody } from '@/lib/http/auth';
import { readBody } from '@/lib/http/body';
import { limitRegister } from '@/lib/http/limits';
import { route } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { CredentialsSchema } from '@/lib/validation';

// POST /api/auth/register: creates a user and signs them in.
export const POST = route(async (request: NextRequest) => {
  await limitRegister(request);
  const input = await readBody(request, CredentialsSchema);
  const issued = await appContext().services.auth.register(input);

  return json(issuedBody(issued), 201, authCookies(issued));
});
