import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and committed; the server and
// `npm run db:migrate` apply them to PGlite or PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema.ts',
  out: './drizzle',
});
