// The server's single database handle, opened once at start (hooks.server.ts init) from the
// environment. Routes call db() and never open connections of their own.
import { openDatabase, type Database } from './db';

// `vite dev` runs this module again after an edit to it or to what it imports; the open database
// is kept across that on globalThis, since a second open of the embedded directory in the same
// process is refused by its lock. Not under vitest: each test file brings its own database.
type Holder = { current?: Promise<Database> };
const holder: Holder = process.env.VITEST ? {} : (((globalThis as Record<symbol, unknown>)[Symbol.for('outreach-atlas.app-db')] ??= {}) as Holder);

export function startDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
	holder.current ??= openDatabase({
		url: env.DATABASE_URL || undefined,
		dataDir: env.PGLITE_DIR || undefined,
		readUrl: env.DATABASE_READ_URL || undefined
	});
	return holder.current;
}

/** Tests hand in their own throwaway database, so route handlers run against it. */
export function useDatabase(database: Database): void {
	holder.current = Promise.resolve(database);
}

export async function db(): Promise<Database> {
	if (!holder.current) throw new Error('database not started');
	return holder.current;
}
