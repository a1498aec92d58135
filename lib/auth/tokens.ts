import { jwtVerify, SignJWT } from 'jose';

export type Role = 'user' | 'admin';

export interface Session {
  userId: string;
  username: string;
  role: Role;
}

/** What a valid access token says: who, which login, and until when. */
export interface Claims extends Session {
  /** The server-side session (one login) the token was issued for. */
  sessionId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const ISSUER = 'live-bets';
const AUDIENCE = 'live-bets';
const ALGORITHM = 'HS256';

export interface TokenKeys {
  secret: Uint8Array;
  ttlSeconds: number;
}

export function tokenKeys(secret: string, ttlSeconds: number): TokenKeys {
  return { secret: new TextEncoder().encode(secret), ttlSeconds };
}

/** Signs a short-lived access token for one session of a user. */
export async function signToken(
  keys: TokenKeys,
  session: Session & { sessionId: string },
): Promise<{ token: string; expiresAt: number }> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + keys.ttlSeconds;
  const token = await new SignJWT({
    username: session.username,
    role: session.role,
    sid: session.sessionId,
  })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(session.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(keys.secret);

  return { token, expiresAt: expiresAt * 1000 };
}

/** Returns the claims of a valid token, or null for any bad token. */
export async function verifyToken(
  keys: TokenKeys,
  token: string,
): Promise<Claims | null> {
  try {
    // The algorithm is pinned: a token naming `none`, HS512 or RS256 is
    // refused before its signature is looked at.
    const { payload } = await jwtVerify(token, keys.secret, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat', 'sid'],
    });
    const { sub, username, role, exp, sid } = payload;

    if (typeof username !== 'string' || !isRole(role) || !sub || !exp) {
      return null;
    }
    if (typeof sid !== 'string') return null;

    return {
      userId: sub,
      username,
      role,
      sessionId: sid,
      expiresAt: exp * 1000,
    };
  } catch {
    // Expired, forged or malformed: all the same to the caller.
    return null;
  }
}

function isRole(value: unknown): value is Role {
  return value === 'user' || value === 'admin';
}
