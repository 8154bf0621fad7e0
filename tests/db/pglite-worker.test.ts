// Embedded PGlite runs in a worker thread (src/lib/server/db.ts, pglite-worker.ts): a heavy query
// does not hold this thread's event loop, a directory PGlite cannot open is a clear error rather
// than a hang, and what was written is there after close and reopen. Always on PGlite, also when
// TEST_DATABASE_URL is set: this is about the embedded database.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../src/lib/server/db';

const dir = mkdtempSync(join(tmpdir(), 'oa-pglite-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded PGlite in a worker thread', () => {
	it('keeps the event loop turning while a heavy query runs', async () => {
		const db = await openDatabase({ dataDir: 'memory://' });
		try {
			// a query long enough to tell: on this thread it would hold the loop for all of it
			let rows = 2_000_000;
			for (;;) {
				let maxGapMs = 0;
				let ticks = 0;
				let last = performance.now();
				const timer = setInterval(() => {
					const now = performance.now();
					maxGapMs = Math.max(maxGapMs, now - last);
					last = now;
					ticks++;
				}, 5);
				const t0 = performance.now();
				const [r] = await db.sql`select count(*)::int as n, sum(g % 7)::int as s from generate_series(1, ${rows}::int) g`;
				const queryMs = performance.now() - t0;
				clearInterval(timer);
				expect(r!.n).toBe(rows);
				if (queryMs < 600 && rows < 32_000_000) {
					rows *= 2;
					continue;
				}
				expect(queryMs).toBeGreaterThanOrEqual(600);
				// With PGlite on this thread the longest gap is the whole query; in a worker it is a
				// scheduling hiccup. Half the query leaves room for a loaded 2-core machine.
				expect(maxGapMs).toBeLessThan(queryMs / 2);
				expect(ticks).toBeGreaterThan(queryMs / 5 / 4);
				break;
			}
		} finally {
			await db.close();
		}
	});

	it('a directory PGlite cannot open rejects with a clear error and leaves no lock', async () => {
		const bad = join(dir, 'damaged');
		mkdirSync(bad);
		writeFileSync(join(bad, 'PG_VERSION'), 'not a version\n');
		const t0 = performance.now();
		await expect(openDatabase({ dataDir: bad })).rejects.toThrow(/^PGlite \(.*damaged\) could not be opened: \S/);
		expect(performance.now() - t0).toBeLessThan(30_000);
		expect(existsSync(`${bad}.lock`)).toBe(false);
	});

	it('keeps what was written across close and reopen; close twice is harmless', async () => {
		const dataDir = join(dir, 'kept');
		const first = await openDatabase({ dataDir });
		await first.sql`create table kept (n int)`;
		await first.sql`insert into kept select generate_series(1, 1000)`;
		await Promise.all([first.close(), first.close()]);
		expect(existsSync(`${dataDir}.lock`)).toBe(false);
		const again = await openDatabase({ dataDir });
		try {
			const [r] = await again.sql`select count(*)::int as n from kept`;
			expect(r!.n).toBe(1000);
		} finally {
			await again.close();
		}
	});

	it('a worker that ends unexpectedly ends the process with an error, not a hang', async () => {
		// a child process opens a directory, then ends PGlite's worker thread from outside
		const script = join(dir, 'crash.mts');
		writeFileSync(
			script,
			"import wt from 'node:worker_threads';\n" +
				"import { syncBuiltinESMExports } from 'node:module';\n" +
				'const workers = [];\n' +
				'wt.Worker = class extends wt.Worker { constructor(...a) { super(...a); workers.push(this); } };\n' +
				'syncBuiltinESMExports();\n' +
				`const { openDatabase } = await import(${JSON.stringify(pathToFileURL(resolve('src/lib/server/db.ts')).href)});\n` +
				'const db = await openDatabase({ dataDir: process.argv[2] });\n' +
				'await db.sql`select 1`;\n' +
				"console.log('open');\n" +
				'await workers[0].terminate();\n' +
				'setInterval(() => {}, 1000); // the process would live on without the loud end\n'
		);
		const loader = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
		const dataDir = join(dir, 'crash');
		const child = spawn(process.execPath, ['--import', loader, script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (b: Buffer) => (out += b.toString()));
		child.stderr.on('data', (b: Buffer) => (err += b.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		const code = await new Promise<number | null>((ok) => child.once('exit', ok));
		clearTimeout(timer);
		expect(out).toContain('open');
		expect(code).toBe(1);
		expect(err).toMatch(/PGlite \(.*crash\) worker thread ended unexpectedly \(exit code 1\)/);
		// the lock was released on the way out (pglite-lock.ts's exit handler)
		expect(existsSync(`${dataDir}.lock`)).toBe(false);
	});
});
