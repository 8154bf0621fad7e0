// Start-up: open the database, apply migrations, seed the demo organisation on first start.
// A database that cannot be reached ends the process with one line that says what to set.
import { startDatabase } from './app-db';
import { redact, type Database } from './db';
import { DatabaseLockedError } from './pglite-lock';
import { migrate } from './migrate';
import { ensureDemo } from './demo/seed';
import { markInterruptedJobs } from './imports/jobs';
import { fillMissingAreaCells } from './area-cells';

export async function startApp(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
	let database: Database;
	try {
		database = await startDatabase(env);
	} catch (err) {
		if (err instanceof DatabaseLockedError) {
			console.error(`Outreach Atlas: ${err.message}`);
			process.exit(1);
		}
		const where = env.DATABASE_URL ? redact(env.DATABASE_URL) : `embedded PGlite in ${env.PGLITE_DIR || './data/pglite'}`;
		console.error(
			`Outreach Atlas cannot open its database (${where}): ${(err as Error).message}. ` +
				'Set DATABASE_URL to a reachable PostgreSQL 15+ server (postgres://user:pass@host:5432/db), ' +
				'or unset it to use the embedded database under ./data/.'
		);
		process.exit(1);
	}
	const applied = await migrate(database.sql);
	if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
	const interrupted = await markInterruptedJobs(database.sql);
	if (interrupted) console.log(`imports interrupted by the last stop, marked as such: ${interrupted}`);
	if (env.SEED_DEMO !== 'false') {
		const t0 = Date.now();
		const seeded = await ensureDemo(database.sql);
		if (seeded) console.log(`demo organisation seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}
	// areas stored before their cells were: computed in the background, in steps
	void fillMissingAreaCells(database.sql)
		.then((n) => n && console.log(`cells stored for ${n} areas`))
		.catch((e: Error) => console.error(`storing area cells: ${e.message}`));
	console.log(`database: ${database.kind} (${database.where})`);
	return database;
}
