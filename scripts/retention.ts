// npm run retention: delete contact moments past each organisation's retention period now.
import { openDatabase } from '../src/lib/server/db';
import { migrate } from '../src/lib/server/migrate';
import { applyRetention } from '../src/lib/server/retention';

const database = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.PGLITE_DIR || undefined });
try {
	await migrate(database.sql);
	for (const r of await applyRetention(database.sql)) {
		console.log(`organisation ${r.orgId}: kept ${r.months} months, deleted ${r.deleted} older contact moments (monthly counts kept)`);
	}
} finally {
	await database.close();
}
