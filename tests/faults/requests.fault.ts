// Sign-in under a burst, and bodies that do not parse, against the built server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServer } from '../e2e/server';
import { LOCK_AFTER } from '../../src/lib/server/auth/throttle';
import { account, engine, faultDatabase, postLogin, session, sleep } from './helpers';

let db: Awaited<ReturnType<typeof faultDatabase>>;
let app: AppServer;
/** A coordinator's session, taken before the burst test locks that account. */
let coordinator: string;

beforeAll(async () => {
	db = await faultDatabase('requests');
	app = await db.start();
	coordinator = await session(app.baseURL, 'coordinator');
});
afterAll(async () => {
	await app?.stop();
	await db?.drop();
});

describe(`requests [${engine}]`, () => {
	it('30 concurrent wrong passwords: no more verified than the limit, and the right one then gets no session', async () => {
		const { email, password } = account('coordinator');
		const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => postLogin(app.baseURL, email, `wrong password ${i}`)));
		// 400: verified and wrong; 429: locked (or over a limit) without a verification
		const verifiedWrong = answers.filter((a) => a.status === 400).length;
		expect(verifiedWrong).toBeLessThanOrEqual(LOCK_AFTER);
		expect(answers.map((a) => a.status).filter((s) => s !== 400 && s !== 429)).toEqual([]);
		expect(answers.some((a) => a.cookie)).toBe(false);
		await sleep(1100); // past the per-second ceiling, so only the lock can refuse
		const right = await postLogin(app.baseURL, email, password);
		expect(right.status).toBe(429);
		expect(right.cookie).toBeNull();
	});

	it('answers a truncated multipart body and broken JSON with 400, not 500', async () => {
		const truncated = '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.org\r\n--b\r\nContent-Disposition: form-data; name="pass';
		const form = await fetch(`${app.baseURL}/login`, {
			method: 'POST',
			headers: { origin: app.baseURL, 'content-type': 'multipart/form-data; boundary=b' },
			body: truncated
		});
		expect(form.status).toBe(400);
		expect(await form.json()).toMatchObject({ code: 'malformed_body' });

		const cookie = await session(app.baseURL, 'worker');
		const json = await fetch(`${app.baseURL}/api/contacts`, {
			method: 'POST',
			headers: { origin: app.baseURL, cookie, 'content-type': 'application/json' },
			body: '{"occurredAt": "2026-'
		});
		expect(json.status).toBe(400);
	});

	// One retry: on this 2-core machine the test's own client, the server and the database share the
	// CPU, and one sample in ~150 has been seen past 2 s with other jobs running (median ~150 ms).
	// A server that blocks its event loop during imports fails both tries (3.7 s before the yield).
	it('answers /login within 2 s while a 200 MB upload is being imported', { timeout: 300_000, retry: 1 }, async () => {
		// 1 MB of valid rows, sent 200 times
		let block = '';
		for (let i = 0; block.length < 1 << 20; i++)
			block += `${String(1 + (i % 28)).padStart(2, '0')}/11/2026 10:${String(i % 60).padStart(2, '0')};51,05;3,72;Kort contact\r\n`;
		const bytes = new TextEncoder().encode(block);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			start: (c) => c.enqueue(new TextEncoder().encode('Datum;Lat;Lon;Type\r\n')),
			pull: (c) => {
				if (sent >= 200) return c.close();
				sent++;
				c.enqueue(bytes);
			}
		});
		const mapping = encodeURIComponent(JSON.stringify({ occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type' }));
		const upload = fetch(`${app.baseURL}/api/imports/contacts?mode=dry-run&source=fault-big&mapping=${mapping}`, {
			method: 'POST',
			headers: { cookie: coordinator, origin: app.baseURL, 'content-type': 'text/csv' },
			body,
			duplex: 'half'
		} as RequestInit).then((r) => r.text());
		const times: number[] = [];
		while (sent < 200) {
			await sleep(500);
			if (sent < 5) continue; // not under way yet
			const t0 = performance.now();
			const res = await fetch(`${app.baseURL}/login`);
			await res.text();
			expect(res.status).toBe(200);
			times.push(performance.now() - t0);
		}
		const last = (await upload).trim().split('\n').at(-1)!;
		expect(JSON.parse(last)).toMatchObject({ type: 'result' });
		expect(times.length).toBeGreaterThan(2);
		console.log(`GET /login during the upload, ms: ${times.map(Math.round).join(' ')}`);
		expect(Math.max(...times)).toBeLessThan(2_000);
	});

	it('sends a strict Content-Security-Policy with the page', async () => {
		const res = await fetch(`${app.baseURL}/login`);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toContain("worker-src 'self' blob:");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).not.toContain('unsafe-inline');
	});

	it('answers /healthz and /readyz', async () => {
		expect((await fetch(`${app.baseURL}/healthz`)).status).toBe(200);
		const ready = await fetch(`${app.baseURL}/readyz`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toMatchObject({ ready: true, database: 'ok' });
	});
});
