import type { NextRequest } from 'next/server';
import { appContext } from '@/lib/app-context';
import { authCookies, issuedBody, refreshTokenOf } from '@/lib/http/auth';
import { route } from '@/lib/http/handler';
import { errorResponse, json } from '@/lib/http/respond';
import { AppError } from '@/lib/errors';

// POST /api/auth/refresh: swaps the refresh cookie for a new one and a
// fresh access token. A refused refresh clears both cookies, so a page
// never keeps offering a session that is over.
export const POST = route(async (request: NextRequest) => {
  const refreshToken = refreshTokenOf(request);

  try {
    if (!refreshToken) {
      throw new AppError('UNAUTHENTICATED', 'Please log in again.');
    }
    const issued = await appContext().services.auth.refresh(refreshToken);

    return json(issuedBody(issued), 200, authCookies(issued));
  } catch (error) {
    const response = errorResponse(error);
    for (const [name, value] of authCookies(null)) {
      response.headers.append(name, value);
    }

    return response;
  }
});
