// PostgreSQL stopped for 20 s under a running app: 503 with the code database_unavailable (and
// quickly), /readyz not ready, /healthz alive; then recovery without a restart, fast.
// PostgreSQL only: it pauses and resumes the scripts/pg-cluster.sh cluster of TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { AppServer } from '../e2e/server';
import { adminUrl, faultDatabase, session, sleep } from './helpers';

const cluster = (cmd: 'pause' | 'resume') =>
	execFileSync('bash', ['scripts/pg-cluster.sh', cmd], { env: { ...process.env, PGPORT: new URL(adminUrl!).port || '5432' }, stdio: 'inherit' });

let db: Awaited<ReturnType<typeof faultDatabase>>;
let app: AppServer;
let paused = false;

describe.skipIf(!adminUrl)('database outage [postgres]', () => {
	beforeAll(async () => {
		db = await faultDatabase('outage');
		app = await db.start();
	});
	afterAll(async () => {
		if (paused) cluster('resume');
		await app?.stop();
		await db?.drop();
	});

	const timed = async (path: string, cookie?: string) => {
		const t0 = performance.now();
		const res = await fetch(app.baseURL + path, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(30_000) });
		const text = await res.text();
		return { status: res.status, text, retryAfter: res.headers.get('retry-after'), ms: performance.now() - t0 };
	};

	// One retry. A server that does not answer 503 while the database is down, or does not recover
	// by itself, fails both tries.
	it('answers 503 database_unavailable while PostgreSQL is stopped, and recovers by itself', { timeout: 180_000, retry: 1 }, async () => {
		const cookie = await session(app.baseURL, 'analyst');
		expect((await timed('/api/meta', cookie)).status).toBe(200);

		cluster('pause');
		paused = true;
		const stoppedAt = performance.now();
		const seen: number[] = [];
		let slowest = 0;
		while (performance.now() - stoppedAt < 20_000) {
			const api = await timed('/api/meta', cookie);
			seen.push(api.status);
			slowest = Math.max(slowest, api.ms);
			expect(api.status).toBe(503);
			expect(JSON.parse(api.text)).toMatchObject({ error: { code: 'database_unavailable' } });
			expect(Number(api.retryAfter)).toBeGreaterThan(0);
			// quickly: a refused connect fails at once, and a reconnect waits at most half a second
			// (postgres.js's own backoff had grown to 6.5-7.8 s by the end of the 20 s)
			expect(api.ms).toBeLessThan(5_000);
			const page = await timed('/zones', cookie);
			expect(page.status).toBe(503);
			expect(page.text).toContain('De databank is even niet bereikbaar');
			expect((await timed('/readyz')).status).toBe(503);
			expect((await timed('/healthz')).status).toBe(200);
			await sleep(2_000);
		}
		expect(seen.length).toBeGreaterThan(3);
		console.log(`outage: ${seen.length} rounds, slowest 503 ${Math.round(slowest)} ms`);

		cluster('resume');
		paused = false;
		const first = await timed('/api/meta', cookie);
		expect(first.status).toBe(200);
		console.log(`outage: first answer after recovery ${Math.round(first.ms)} ms`);
		// "a few seconds" once the database is back (the wait before a reconnect is capped at 0.5 s)
		expect(first.ms).toBeLessThan(3_000);
		expect((await timed('/readyz')).status).toBe(200);
	});
});
