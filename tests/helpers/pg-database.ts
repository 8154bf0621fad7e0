// A fresh, uniquely named database on a real PostgreSQL server, for one test file or e2e run.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface ScratchDatabase {
	name: string;
	/** The admin URL with the new database as its path. */
	url: string;
	/** Drops the database, ending any session left on it. Idempotent. */
	drop(): Promise<void>;
}

export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
	const name = `${prefix}_${randomBytes(6).toString('hex')}`; // [a-z0-9_] only: safe to splice
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		await admin.unsafe(`create database ${name}`);
	} catch (e) {
		await admin.end({ timeout: 5 });
		throw e;
	}
	const u = new URL(adminUrl);
	u.pathname = `/${name}`;
	let dropping: Promise<void> | undefined;
	return {
		name,
		url: u.toString(),
		drop: () =>
			(dropping ??= (async () => {
				try {
					// `with (force)` (PostgreSQL >= 13) ends connections a test left behind.
					await admin.unsafe(`drop database if exists ${name} with (force)`);
				} finally {
					await admin.end({ timeout: 5 });
				}
			})())
	};
}
