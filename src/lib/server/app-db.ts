// The server's single database handle, opened once at start (hooks.server.ts init) from the
// environment. Routes call db() and never open connections of their own.
import { openDatabase, type Database } from './db';

let current: Promise<Database> | undefined;

export function startDatabase(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
	current ??= openDatabase({ url: env.DATABASE_URL || undefined, dataDir: env.PGLITE_DIR || undefined });
	return current;
}

/** Tests hand in their own throwaway database, so route handlers run against it. */
export function useDatabase(database: Database): void {
	current = Promise.resolve(database);
}

export async function db(): Promise<Database> {
	if (!current) throw new Error('database not started');
	return current;
}
