/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages stay plain Node modules instead of being bundled
  // into each route.
  serverExternalPackages: [
    'pino',
    'pino-pretty',
    'ioredis',
    'postgres',
    '@electric-sql/pglite',
    'drizzle-orm',
    'socket.io',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
