// `npm run db:migrate`: applies pending migrations and exits, for deploys
// that migrate before starting new instances.
import path from 'node:path';
import { parseConfig } from '@/lib/config';
import { openDatabase } from '@/lib/db/client';

const config = parseConfig();
const database = openDatabase({
  url: config.DATABASE_URL,
  dataDir: path.join(config.DATA_DIR, 'pglite'),
});

await database.migrate();
await database.close();
process.stdout.write(`Migrations applied (${database.kind}).\n`);
