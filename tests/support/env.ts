// Which backends this run uses: the embedded defaults when DATABASE_URL
// and REDIS_URL are unset, the real services when they are set.

export const DATABASE_URL = process.env.DATABASE_URL || undefined;
export const REDIS_URL = process.env.REDIS_URL || undefined;
export const usesRealServices = Boolean(DATABASE_URL && REDIS_URL);

export const ADMIN = { username: 'admin', password: 'admin-password-1' };
export const JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
