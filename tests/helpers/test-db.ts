// A migrated, throwaway database for one test file.
//
// Without TEST_DATABASE_URL: an in-memory PGlite (`memory://`), gone when closed.
// With TEST_DATABASE_URL (a real PostgreSQL server, e.g. the CI cluster from
// scripts/pg-cluster.sh): a fresh database `oa_test_<random>` is created through that URL
// (as admin) and dropped again on close, so files never see each other's data.
// With TEST_READ_DATABASE_URL as well (a streaming replica of that server: `pg-cluster.sh
// replica`), the same database on the replica is opened for aggregate reads (read-replica.ts).
//
//   let t: TestDatabase;
//   beforeAll(async () => { t = await openTestDatabase(); });
//   afterAll(() => t?.cleanup());
//   describe(`hexes (${dbKind()})`, () => { ... });
import { openDatabase, type Database } from '../../src/lib/server/db';
import { migrate } from '../../src/lib/server/migrate';
import { createScratchDatabase } from './pg-database';

export interface TestDatabase extends Database {
	/** Migration names applied on open (all of them, since the database starts empty). */
	migrations: string[];
	/** Closes the connection and, on a real server, drops the test database. Idempotent. */
	cleanup(): Promise<void>;
}

/** 'postgres' when tests run against TEST_DATABASE_URL, else 'pglite'. */
export function dbKind(): 'pglite' | 'postgres' {
	return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/** Suffix for suite titles so reports show which engine ran: `name [pglite]`. */
export function dbTitle(name: string): string {
	return `${name} [${dbKind()}]`;
}

export async function openTestDatabase(): Promise<TestDatabase> {
	return openThrowawayDatabase(process.env.TEST_DATABASE_URL);
}

/** A migrated throwaway database on the server at adminUrl, or in memory when it is unset. */
export async function openThrowawayDatabase(adminUrl: string | undefined): Promise<TestDatabase> {
	return adminUrl ? openOnServer(adminUrl) : openInMemory();
}

async function openInMemory(): Promise<TestDatabase> {
	const db = await openDatabase({ dataDir: 'memory://' });
	return withMigrations(db, () => db.close());
}

async function openOnServer(adminUrl: string): Promise<TestDatabase> {
	const scratch = await createScratchDatabase(adminUrl, 'oa_test');
	let db: Database;
	try {
		db = await openDatabase({ url: scratch.url, readUrl: replicaUrlOf(scratch.url) });
	} catch (e) {
		await scratch.drop();
		throw e;
	}
	return withMigrations(db, async () => {
		try {
			await db.close();
		} finally {
			await scratch.drop();
		}
	});
}

/** The scratch database's URL on the replica of TEST_READ_DATABASE_URL, if one is set. */
export function replicaUrlOf(primaryUrl: string): string | undefined {
	const replica = process.env.TEST_READ_DATABASE_URL;
	if (!replica) return undefined;
	const u = new URL(replica);
	u.pathname = new URL(primaryUrl).pathname;
	return u.toString();
}

async function withMigrations(db: Database, dispose: () => Promise<void>): Promise<TestDatabase> {
	let closing: Promise<void> | undefined;
	const cleanup = () => (closing ??= dispose());
	let migrations: string[];
	try {
		migrations = await migrate(db.sql);
	} catch (e) {
		await cleanup();
		throw e;
	}
	return { ...db, migrations, close: cleanup, cleanup };
}
