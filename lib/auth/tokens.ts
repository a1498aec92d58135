import { jwtVerify, SignJWT } from 'jose';

export type Role = 'user' | 'admin';

export interface Session {
  userId: string;
  username: string;
  role: Role;
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

export async function signToken(
  keys: TokenKeys,
  session: Session,
): Promise<string> {
  return new SignJWT({ username: session.username, role: session.role })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(session.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${keys.ttlSeconds}s`)
    .sign(keys.secret);
}

/** Returns the session in a valid token, or null for any bad token. */
export async function verifyToken(
  keys: TokenKeys,
  token: string,
): Promise<(Session & { expiresAt: number }) | null> {
  try {
    const { payload } = await jwtVerify(token, keys.secret, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const { sub, username, role, exp } = payload;

    if (typeof username !== 'string' || !isRole(role) || !sub || !exp) {
      return null;
    }

    return { userId: sub, username, role, expiresAt: exp * 1000 };
  } catch {
    // Expired, forged or malformed: all the same to the caller.
    return null;
  }
}

function isRole(value: unknown): value is Role {
  return value === 'user' || value === 'admin';
}
