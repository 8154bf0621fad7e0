// One process at a time on an embedded PGlite directory (src/lib/server/pglite-lock.ts): a
// holder in a child process, as the dashboard would be, and the real `npm run import` beside it.
// Always on PGlite, also when TEST_DATABASE_URL is set: the lock is about the embedded database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { DatabaseLockedError } from '../../src/lib/server/pglite-lock';
import { migrate } from '../../src/lib/server/migrate';
import { createOrganisation } from '../../src/lib/server/organisations';
import { XLSX_FIXTURE, xlsxFixture } from '../fixtures/import/make-xlsx';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'oa-lock-'));
const dataDir = join(dir, 'pglite');
const lockFile = `${dataDir}.lock`;
const workbook = join(dir, 'contacten.xlsx');
const mappingFile = join(dir, 'mapping.json');
const holderScript = join(dir, 'hold.mts');
const env = (() => {
	const { DATABASE_URL: _, ...rest } = process.env;
	return { ...rest, PGLITE_DIR: dataDir };
})();

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
	const db = await openDatabase({ dataDir });
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
	try {
		const r = await run('npx', ['tsx', 'scripts/import.ts', ...args], { env, timeout: 120_000 });
		return { code: 0, out: r.stdout + r.stderr };
	} catch (e) {
		const x = e as { code: number; stdout: string; stderr: string };
		return { code: x.code, out: x.stdout + x.stderr };
	}
}

/** Another process with the directory open (as the dashboard would be); it closes on a line on stdin. */
async function holder(): Promise<ChildProcess> {
	const loader = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
	const child = spawn(process.execPath, ['--import', loader, holderScript, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	await new Promise<void>((ok, fail) => {
		child.stdout!.on('data', (b: Buffer) => {
			out += b.toString();
			if (out.includes('open')) ok();
		});
		child.once('exit', (code) => fail(new Error(`holder ended (${code}) before opening: ${out}`)));
	});
	return child;
}

const count = (db: Database) => db.sql`select (select count(*) from contact_moment)::int as contacts, (select count(*) from import_mapping)::int as mappings`.then((r) => r[0]!);

beforeAll(async () => {
	writeFileSync(
		holderScript,
		`import { openDatabase } from ${JSON.stringify(pathToFileURL(resolve('src/lib/server/db.ts')).href)};\n` +
			'const db = await openDatabase({ dataDir: process.argv[2] });\n' +
			"console.log('open');\n" +
			'process.stdin.once(\'data\', async () => { await db.close(); process.exit(0); });\n'
	);
	await withDb(async (db) => {
		await migrate(db.sql);
		await createOrganisation(db.sql, { slug: 'cli', name: 'CLI test', bbox: [3.5798, 50.9795, 3.8493, 51.1889] });
	});
	copyFileSync(XLSX_FIXTURE, workbook);
	writeFileSync(mappingFile, JSON.stringify(xlsxFixture.mapping));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite directory lock', () => {
	it('the importer is refused while another process holds the directory, writes nothing, and runs once it is released', async () => {
		const held = await holder();
		expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(held.pid);

		const refused = await cli('--kind', 'contacts', '--file', workbook, '--mapping', mappingFile, '--skip-invalid');
		expect(refused.code).toBe(1);
		expect(refused.out).toContain(`in gebruik door proces ${held.pid}`);
		expect(refused.out).toContain(`in use by process ${held.pid}`);
		expect(refused.out).toContain('stop eerst het dashboard');
		expect(refused.out).toContain('DATABASE_URL');
		expect(refused.out).not.toContain('    at ');
		expect(refused.out).not.toContain('mapping saved');
		// the refused process left the holder's lock alone
		expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(held.pid);
		// and so did a second open from this process
		await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);

		held.stdin!.write('close\n');
		await once(held, 'exit');
		expect(existsSync(lockFile)).toBe(false);
		expect(await withDb(count)).toEqual({ contacts: 0, mappings: 0 });

		const ok = await cli('--kind', 'contacts', '--file', workbook, '--mapping', mappingFile, '--skip-invalid', '--lang', 'en');
		expect(ok.code).toBe(0);
		expect(ok.out).toContain(`imported ${xlsxFixture.expected.valid}`);
		expect(existsSync(lockFile)).toBe(false);
		expect(await withDb(count)).toEqual({ contacts: xlsxFixture.expected.valid, mappings: 1 });
	}, 120_000);

	it('SIGTERM to a holder with no shutdown of its own releases the lock', async () => {
		const held = await holder();
		held.kill('SIGTERM');
		await once(held, 'exit');
		expect(existsSync(lockFile)).toBe(false);
	}, 60_000);

	it('a lock left by a killed process (kill -9) is taken over with a note', async () => {
		const held = await holder();
		held.kill('SIGKILL');
		await once(held, 'exit');
		expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(held.pid);

		const r = await cli('--kind', 'contacts', '--file', workbook, '--skip-invalid', '--lang', 'en');
		expect(r.code).toBe(0);
		expect(r.out).toContain(`took over the stale lock of process ${held.pid}`);
		expect(r.out).toContain(`unchanged ${xlsxFixture.expected.valid}`);
		expect(existsSync(lockFile)).toBe(false);
	}, 120_000);

	it('a lock file whose process is gone is taken over by openDatabase, and removed on close', async () => {
		writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 1, command: 'vite dev', started: '2026-01-01T00:00:00.000Z' }));
		const db = await openDatabase({ dataDir });
		expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
		await db.close();
		expect(existsSync(lockFile)).toBe(false);
	}, 60_000);
});
