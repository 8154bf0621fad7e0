// One process at a time on an embedded PGlite directory (src/lib/server/pglite-lock.ts): a
// holder in a child process, as the dashboard would be, and the real `npm run import` beside it.
// Always on PGlite, also when TEST_DATABASE_URL is set: the lock is about the embedded database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { DatabaseLockedError, lockDataDir } from '../../src/lib/server/pglite-lock';
import { xlsxFixture } from '../fixtures/import/make-xlsx';
import { importCli, prepareCliImport } from '../helpers/import-cli';

const dir = mkdtempSync(join(tmpdir(), 'oa-lock-'));
const dataDir = join(dir, 'pglite');
const lockFile = `${dataDir}.lock`;
const workbook = join(dir, 'contacten.xlsx');
const mappingFile = join(dir, 'mapping.json');
const holderScript = join(dir, 'hold.mts');
const racerScript = join(dir, 'race.mts');
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

const cli = (...args: string[]) => importCli(env, ...args);

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

const count = (db: Database) =>
	db.sql`select (select count(*) from contact_moment)::int as contacts, (select count(*) from import_mapping)::int as mappings`.then((r) => r[0]!);

beforeAll(async () => {
	writeFileSync(
		holderScript,
		`import { openDatabase } from ${JSON.stringify(pathToFileURL(resolve('src/lib/server/db.ts')).href)};\n` +
			'const db = await openDatabase({ dataDir: process.argv[2] });\n' +
			"console.log('open');\n" +
			"process.stdin.once('data', async () => { await db.close(); process.exit(0); });\n"
	);
	// Takes the locks on argv[3] directories named argv[2]/r<i>, the i-th at time argv[4] + i s, and
	// prints what it got (H: held, R: refused); it keeps what it holds until a line on stdin. Its
	// unlinkSync of a lock file first waits argv[5] ms: a taker descheduled between deciding that a
	// lock is stale and removing it, which is where two takers used to both win.
	writeFileSync(
		racerScript,
		`import { lockDataDir, DatabaseLockedError } from ${JSON.stringify(pathToFileURL(resolve('src/lib/server/pglite-lock.ts')).href)};\n` +
			"import fs from 'node:fs';\n" +
			"import { syncBuiltinESMExports } from 'node:module';\n" +
			'const [base, n, at, pause] = process.argv.slice(2);\n' +
			'const unlink = fs.unlinkSync;\n' +
			"fs.unlinkSync = (p) => { if (String(p).endsWith('.lock')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(pause)); return unlink(p); };\n" +
			'syncBuiltinESMExports();\n' +
			'const got = [];\n' +
			'for (let i = 0; i < Number(n); i++) {\n' +
			'  while (Date.now() < Number(at) + i * 1000) {}\n' +
			"  try { await lockDataDir(`${base}/r${i}`); got.push('H'); }\n" +
			"  catch (e) { got.push(e instanceof DatabaseLockedError ? 'R' : 'E:' + e.message); }\n" +
			'}\n' +
			'console.log(JSON.stringify(got));\n' +
			"process.stdin.once('data', () => process.exit(0));\n"
	);
	await withDb((db) => prepareCliImport(db.sql, workbook, mappingFile));
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

	it('a lock naming this process that this process does not hold (a container restart: pid 1 again) is taken over', async () => {
		writeFileSync(lockFile, JSON.stringify({ pid: process.pid, command: 'node build', started: '2026-01-01T00:00:00.000Z' }));
		const db = await openDatabase({ dataDir });
		const taken = JSON.parse(readFileSync(lockFile, 'utf8'));
		expect(taken.pid).toBe(process.pid);
		expect(taken.started).not.toBe('2026-01-01T00:00:00.000Z');
		await db.close();
		expect(existsSync(lockFile)).toBe(false);
	}, 60_000);

	it('a second open in this process while it holds the directory is refused, and leaves the lock alone', async () => {
		const db = await openDatabase({ dataDir });
		const mine = readFileSync(lockFile, 'utf8');
		await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
		await expect(lockDataDir(dataDir)).rejects.toThrow(`in use by process ${process.pid}`);
		expect(readFileSync(lockFile, 'utf8')).toBe(mine);
		await db.close();
		expect(existsSync(lockFile)).toBe(false);
	}, 60_000);
});

describe('PGlite directory lock: who holds it', () => {
	/** A live process that is not the lock's writer. */
	async function bystander(): Promise<ChildProcess> {
		const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
		await once(child, 'spawn');
		return child;
	}
	const stop = async (child: ChildProcess) => {
		child.kill('SIGKILL');
		if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
	};
	let n = 0;
	const fresh = () => join(dir, `who-${++n}`);

	it.runIf(process.platform === 'linux')('a live pid whose process started after the lock was written (pid reuse) is taken over', async () => {
		const child = await bystander();
		try {
			const d = fresh();
			writeFileSync(`${d}.lock`, JSON.stringify({ pid: child.pid, command: 'vite dev', started: new Date(Date.now() - 3_600_000).toISOString() }));
			const lock = await lockDataDir(d);
			expect(JSON.parse(readFileSync(`${d}.lock`, 'utf8')).pid).toBe(process.pid);
			lock.release();
			expect(existsSync(`${d}.lock`)).toBe(false);
		} finally {
			await stop(child);
		}
	});

	it.runIf(process.platform === 'linux')(
		'a live pid that is another process than the recorded one (boot id and start ticks differ) is taken over',
		async () => {
			const child = await bystander();
			try {
				const d = fresh();
				const now = new Date().toISOString();
				const ticks = Number(readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]);
				const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
				// the same boot, an earlier process with that pid
				writeFileSync(`${d}.lock`, JSON.stringify({ pid: child.pid, command: 'x', started: now, boot, ticks: ticks - 1 }));
				(await lockDataDir(d)).release();
				// another boot
				writeFileSync(`${d}.lock`, JSON.stringify({ pid: child.pid, command: 'x', started: now, boot: 'another-boot', ticks }));
				(await lockDataDir(d)).release();
				// the very process: refused
				writeFileSync(`${d}.lock`, JSON.stringify({ pid: child.pid, command: 'x', started: now, boot, ticks }));
				await expect(lockDataDir(d)).rejects.toBeInstanceOf(DatabaseLockedError);
			} finally {
				await stop(child);
			}
		}
	);

	it('a live pid whose process started before the lock was written is still refused', async () => {
		const child = await bystander();
		try {
			const d = fresh();
			const lock = JSON.stringify({ pid: child.pid, command: 'vite dev', started: new Date().toISOString() });
			writeFileSync(`${d}.lock`, lock);
			await expect(lockDataDir(d)).rejects.toThrow(`in use by process ${child.pid}`);
			expect(readFileSync(`${d}.lock`, 'utf8')).toBe(lock);
		} finally {
			await stop(child);
		}
	});

	it('a takeover gate left by a taker that died inside it (older than 30 s) is cleared', async () => {
		const d = fresh();
		const old = new Date(Date.now() - 60_000);
		writeFileSync(`${d}.lock`, JSON.stringify({ pid: 2 ** 22 + 1, command: 'crashed', started: '2026-01-01T00:00:00.000Z' }));
		mkdirSync(`${d}.lock.takeover`);
		utimesSync(`${d}.lock.takeover`, old, old);
		const lock = await lockDataDir(d);
		expect(JSON.parse(readFileSync(`${d}.lock`, 'utf8')).pid).toBe(process.pid);
		expect(existsSync(`${d}.lock.takeover`)).toBe(false);
		lock.release();
	});

	it('two processes taking over the same stale lock at the same moment: exactly one holds it, the other is refused', async () => {
		const base = join(dir, 'race');
		rmSync(base, { recursive: true, force: true });
		mkdirSync(base);
		// one left by a dead process, one empty (its writer died between creating and writing it)
		const count = 2;
		const old = new Date(Date.now() - 60_000);
		for (let i = 0; i < count; i++) {
			const f = join(base, `r${i}.lock`);
			writeFileSync(f, i % 2 ? '' : JSON.stringify({ pid: 2 ** 22 + 1, command: 'crashed', started: '2026-01-01T00:00:00.000Z' }));
			utimesSync(f, old, old);
		}
		const loader = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
		const at = String(Date.now() + 4000);
		const racers = ['100', '300'].map((pause) =>
			spawn(process.execPath, ['--import', loader, racerScript, base, String(count), at, pause], { stdio: ['pipe', 'pipe', 'ignore'] })
		);
		try {
			const results = await Promise.all(
				racers.map(
					(child) =>
						new Promise<string[]>((ok, fail) => {
							let out = '';
							child.stdout!.on('data', (b: Buffer) => {
								out += b.toString();
								if (out.includes('\n')) ok(JSON.parse(out) as string[]);
							});
							child.once('exit', (code) => fail(new Error(`racer ended (${code}): ${out}`)));
						})
				)
			);
			const [a, b] = results as [string[], string[]];
			const wrong = a.map((x, i) => `${x}${b[i]}`).filter((pair) => pair !== 'HR' && pair !== 'RH');
			expect(wrong).toEqual([]);
			// and the file names the winner
			for (let i = 0; i < count; i++) expect(JSON.parse(readFileSync(join(base, `r${i}.lock`), 'utf8')).pid).toBe(racers[a[i] === 'H' ? 0 : 1]!.pid);
		} finally {
			for (const r of racers) r.stdin!.write('x\n');
			await Promise.all(racers.map((r) => (r.exitCode === null ? once(r, 'exit') : null)));
		}
	}, 60_000);
});
