// npm run retention: delete contact moments past each organisation's retention period now.
import { openCliDatabase } from './cli-db';
import { migrate } from '../src/lib/server/migrate';
import { applyRetention } from '../src/lib/server/retention';

const database = await openCliDatabase();
try {
	await migrate(database.sql);
	for (const r of await applyRetention(database.sql)) {
		console.log(
			`organisation ${r.orgId}: kept ${r.months} months, deleted ${r.deleted} older contact moments (monthly counts kept; ${r.coarsened} monthly rows now dated to their month start)`
		);
	}
} finally {
	await database.close();
}
