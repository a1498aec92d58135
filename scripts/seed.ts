// `npm run db:seed`: loads the demo users and events into the configured
// database (PGlite by default, DATABASE_URL when set).
import { prepareDatabase } from '@/lib/boot';
import { parseConfig } from '@/lib/config';
import { createLogger } from '@/lib/log';

const config = { ...parseConfig(), seedDemo: true };
const log = createLogger({ level: 'info', pretty: false });
const database = await prepareDatabase(config, log);

await database.close();
process.stdout.write('Demo data is in place.\n');
