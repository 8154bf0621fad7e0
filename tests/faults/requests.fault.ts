// Sign-in under a burst, and bodies that do not parse, against the built server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServer } from '../e2e/server';
import { LOCK_AFTER } from '../../src/lib/server/auth/throttle';
import { account, engine, faultDatabase, postLogin, session, sleep } from './helpers';

let db: Awaited<ReturnType<typeof faultDatabase>>;
let app: AppServer;

beforeAll(async () => {
	db = await faultDatabase('requests');
	app = await db.start();
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
