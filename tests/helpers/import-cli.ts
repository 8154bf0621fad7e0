// Running the import CLI (`scripts/import.ts`) and `user:create` as a user would, and what their
// tests start from.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase, type Database, type Sql } from '../../src/lib/server/db';
import { createScratchDatabase } from './pg-database';
import { migrate } from '../../src/lib/server/migrate';
import { createOrganisation } from '../../src/lib/server/organisations';
import { XLSX_FIXTURE, xlsxFixture } from '../fixtures/import/make-xlsx';

const run = promisify(execFile);

export async function importCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; out: string }> {
	try {
		const r = await run('npx', ['tsx', 'scripts/import.ts', ...args], { env, timeout: 120_000 });
		return { code: 0, out: r.stdout + r.stderr };
	} catch (e) {
		const x = e as { code: number; stdout: string; stderr: string };
		return { code: x.code, out: x.stdout + x.stderr };
	}
}

/**
 * What a CLI import test starts from: a migrated database holding the organisation "cli", the
 * XLSX fixture at `workbook` and its mapping at `mappingFile`.
 */
export async function prepareCliImport(sql: Sql, workbook: string, mappingFile: string): Promise<void> {
	await migrate(sql);
	await createOrganisation(sql, { slug: 'cli', name: 'CLI test', bbox: [3.5798, 50.9795, 3.8493, 51.1889] });
	copyFileSync(XLSX_FIXTURE, workbook);
	writeFileSync(mappingFile, JSON.stringify(xlsxFixture.mapping));
}

/**
 * The database a CLI test's scripts run against: a scratch PostgreSQL database when
 * TEST_DATABASE_URL is set, else a PGlite directory in `dir`. `env` is the scripts' environment;
 * `open` opens it from the test (never while a script runs: PGlite is one process).
 */
export async function cliDatabase(dir: string, prefix: string) {
	const admin = process.env.TEST_DATABASE_URL;
	const scratch = admin ? await createScratchDatabase(admin, prefix) : undefined;
	const { DATABASE_URL: _, ...rest } = process.env;
	const env: NodeJS.ProcessEnv = scratch ? { ...rest, DATABASE_URL: scratch.url } : { ...rest, PGLITE_DIR: join(dir, 'pglite') };
	return {
		env,
		async open<T>(fn: (db: Database) => Promise<T>): Promise<T> {
			const db = await openDatabase(scratch ? { url: scratch.url } : { dataDir: join(dir, 'pglite') });
			try {
				return await fn(db);
			} finally {
				await db.close();
			}
		},
		drop: async () => scratch?.drop()
	};
}

/** `npm run user:create -- …args`, the password on standard input. */
export function userCreateCli(env: NodeJS.ProcessEnv, password: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve) => {
		const child = spawn('npx', ['tsx', 'scripts/user-create.ts', ...args], { env });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('close', (code) => resolve({ code, out }));
		child.stdin.end(password + '\n');
	});
}
