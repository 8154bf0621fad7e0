// npm run migrate: apply pending migrations to DATABASE_URL, or to the embedded ./data/pglite.
import { openCliDatabase } from './cli-db';
import { migrate } from '../src/lib/server/migrate';

const database = await openCliDatabase();
try {
	const applied = await migrate(database.sql);
	console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
	console.log(`database: ${database.kind} (${database.where})`);
} finally {
	await database.close();
}
