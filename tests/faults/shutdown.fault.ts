// SIGTERM in the middle of requests: the server stops accepting connections, lets the requests
// in flight finish, closes the database and exits 0. None is cut off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { AppServer } from '../e2e/server';
import { engine, faultDatabase, postLogin, sleep } from './helpers';

let db: Awaited<ReturnType<typeof faultDatabase>>;
let app: AppServer;

beforeAll(async () => {
	db = await faultDatabase('shutdown');
	app = await db.start();
});
afterAll(async () => {
	await app?.stop();
	await db?.drop();
});

describe(`graceful shutdown [${engine}]`, () => {
	it('lets requests in flight finish, refuses new connections, and exits 0', async () => {
		// Failed sign-ins of one address are answered ever later (1 s, 2 s, 4 s after the 3rd): slow
		// requests that need no session.
		const email = 'slow@example.org';
		for (let i = 0; i < 3; i++) await postLogin(app.baseURL, email, 'not the password');
		const inFlight = [0, 1].map(() =>
			postLogin(app.baseURL, email, 'not the password either').then(
				(a) => a,
				(e: Error) => e
			)
		);
		// and an upload that never ends: it is cut off after the 10 s grace period, not 30 s
		const url = new URL(app.baseURL);
		const stuck = request({
			host: url.hostname,
			port: url.port,
			path: '/login',
			method: 'POST',
			headers: { origin: app.baseURL, 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000000' }
		});
		const stuckEnded = new Promise<void>((r) => {
			stuck.on('error', () => r());
			stuck.on('close', () => r());
		});
		stuck.write('email=a%40example.org&password=');
		await sleep(500);
		const exited = new Promise<number | null>((r) => app.child.once('exit', (code) => r(code)));
		const t0 = performance.now();
		app.child.kill('SIGTERM');
		await sleep(300);
		const late = await fetch(`${app.baseURL}/healthz`).then(
			(r) => r.status,
			(e: Error) => e
		);
		const answers = await Promise.all(inFlight);
		for (const a of answers) expect(a).toMatchObject({ status: 400 });
		expect(late).toBeInstanceOf(Error); // no longer accepting connections
		expect(await exited).toBe(0);
		expect(performance.now() - t0).toBeLessThan(14_000);
		await stuckEnded;
	});
});
