// The database of the command-line tools: DATABASE_URL, else the embedded PGlite in PGLITE_DIR
// (./data/pglite). When another process (the dashboard) has the embedded database open, the tool
// stops with that one line and exit 1, before it reads or writes anything.
import { openDatabase, type Database } from '../src/lib/server/db';
import { DatabaseLockedError } from '../src/lib/server/pglite-lock';

export async function openCliDatabase(): Promise<Database> {
	try {
		return await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.PGLITE_DIR || undefined });
	} catch (e) {
		if (!(e instanceof DatabaseLockedError)) throw e;
		console.error(e.message);
		process.exit(1);
	}
}
