// An unreachable database answers 503 database_unavailable with Retry-After, quickly, rather than
// 500 Internal Error after a long wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { MAX_RECONNECT_DELAY_S, openDatabase, postgresClientOptions, type Database } from '../../src/lib/server/db';
import { useDatabase } from '../../src/lib/server/app-db';
import { isDatabaseUnavailable } from '../../src/lib/server/db-errors';
import { handle, handleError } from '../../src/hooks.server';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';

let silent: Server;
const sockets: Socket[] = [];
let silentPort: number;
let closedPort: number;
let t: TestDatabase;

beforeAll(async () => {
	// accepts TCP connections and never answers: a database host that hangs
	silent = createServer((socket) => void sockets.push(socket));
	await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
	silentPort = (silent.address() as AddressInfo).port;
	// a port nobody listens on: a stopped database
	const probe = createServer();
	await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
	closedPort = (probe.address() as AddressInfo).port;
	await new Promise((r) => probe.close(r));
	t = await openTestDatabase();
});
afterAll(async () => {
	await t?.cleanup();
	for (const socket of sockets) socket.destroy();
	await new Promise((r) => silent?.close(r));
});

const failure = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: unknown) => e
	);

describe('database errors', () => {
	it('tells an unreachable database from a wrong query', async () => {
		const refused = await failure(openDatabase({ url: `postgres://u@127.0.0.1:${closedPort}/db` }));
		expect(isDatabaseUnavailable(refused)).toBe(true);
		expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
		expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
		const wrong = await failure(t.sql`select * from no_such_table`);
		expect(isDatabaseUnavailable(wrong)).toBe(false);
		expect(isDatabaseUnavailable(new Error('plain'))).toBe(false);
		expect(isDatabaseUnavailable(null)).toBe(false);
	});

	it('gives up on a database host that does not answer within a few seconds', async () => {
		const t0 = performance.now();
		const hung = await failure(openDatabase({ url: `postgres://u@127.0.0.1:${silentPort}/db` }));
		const seconds = (performance.now() - t0) / 1000;
		expect(isDatabaseUnavailable(hung)).toBe(true);
		expect(seconds).toBeLessThan(5);
	});
	// postgres.js waits out a backoff that grows with every failed connect of the pool (up to 20 s)
	// before it even starts the next one: twenty requests into an outage, each waited seconds
	it('keeps failing fast through a long outage, and tries again soon after', async () => {
		const postgres = (await import('postgres')).default;
		const sql = postgres(`postgres://u@127.0.0.1:${closedPort}/db`, postgresClientOptions(10));
		try {
			const waits: number[] = [];
			for (let i = 0; i < 40; i++) {
				const t0 = performance.now();
				expect(isDatabaseUnavailable(await failure(sql`select 1`))).toBe(true);
				waits.push(performance.now() - t0);
			}
			// the default backoff makes the 17th to 40th wait 1.8 to 20 s
			expect(Math.max(...waits)).toBeLessThan(MAX_RECONNECT_DELAY_S * 1000 + 500);
		} finally {
			await sql.end({ timeout: 1 });
		}
	});
});

describe(dbTitle('requests while the database is down'), () => {
	let down: Database;
	beforeAll(async () => {
		// a client pointed at a stopped server: every query fails with ECONNREFUSED
		const postgres = (await import('postgres')).default;
		const sql = postgres(`postgres://u@127.0.0.1:${closedPort}/db`, postgresClientOptions(1));
		down = { sql: sql as never, kind: 'postgres', where: 'down', close: () => sql.end({ timeout: 1 }) };
		useDatabase(down);
	});
	afterAll(() => down?.close());

	function event(
		path: string,
		headers: Record<string, string> = {},
		routeId: string | null = path,
		session: string | undefined = 'some-session-token'
	) {
		const url = new URL('http://localhost' + path);
		return {
			url,
			request: new Request(url, { headers }),
			route: { id: routeId },
			params: {},
			locals: {} as App.Locals,
			cookies: { get: () => session, delete: () => {}, set: () => {} },
			getClientAddress: () => '127.0.0.1',
			setHeaders: () => {}
		};
	}
	const neverResolved = async () => {
		throw new Error('resolve must not be reached');
	};

	it('answers the API with 503, Retry-After and the code database_unavailable', async () => {
		const res = await handle({ event: event('/api/hexes') as never, resolve: neverResolved });
		expect(res.status).toBe(503);
		expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await res.json()).toEqual({ error: { code: 'database_unavailable', message: expect.any(String) } });
	});

	it('answers page data with an error the page translates, and a page with a 503 page in both languages', async () => {
		const data = await handle({ event: event('/zones/__data.json', {}, '/zones') as never, resolve: neverResolved });
		expect(data.status).toBe(503);
		expect(await data.json()).toMatchObject({ code: 'database_unavailable' });
		const page = await handle({
			event: event('/zones', { accept: 'text/html', 'accept-language': 'en-GB,en;q=0.9' }, '/zones') as never,
			resolve: neverResolved
		});
		expect(page.status).toBe(503);
		const html = await page.text();
		expect(html).toContain('<html lang="en"');
		expect(html).toContain('The database cannot be reached');
		expect(html).toContain('De databank is even niet bereikbaar');
	});

	it('turns a route failure on the database into a 503 (handleError marks it)', async () => {
		useDatabase(t); // the session check passes; the route itself then fails on the database
		try {
			// a sign-in form sent by use:enhance, anonymous
			const e = event('/login', { 'x-sveltekit-action': 'true' }, '/login', undefined);
			const cause = await failure(down.sql`select 1`);
			const resolve = async () => {
				const body = handleError({ error: cause, event: e as never, status: 500, message: 'Internal Error' });
				return new Response(JSON.stringify(body), { status: 500 });
			};
			const res = await handle({ event: e as never, resolve });
			expect(res.status).toBe(503);
			expect(await res.json()).toMatchObject({ type: 'error', error: { code: 'database_unavailable' } });
			// any other failure stays a 500
			const other = event('/login', { 'x-sveltekit-action': 'true' }, '/login', undefined);
			const res500 = await handle({
				event: other as never,
				resolve: async () => {
					handleError({ error: new Error('bug'), event: other as never, status: 500, message: 'Internal Error' });
					return new Response('{}', { status: 500 });
				}
			});
			expect(res500.status).toBe(500);
		} finally {
			useDatabase(down);
		}
	});
});

describe(dbTitle('probes'), () => {
	const get = (path: string) =>
		handle({
			event: { url: new URL('http://localhost' + path), request: new Request('http://localhost' + path), locals: {} } as never,
			resolve: async () => new Response('route', { status: 404 })
		});

	it('answers /healthz without the database, and /readyz by the database and its migrations', async () => {
		useDatabase(t);
		const health = await get('/healthz');
		expect(health.status).toBe(200);
		expect(await health.json()).toEqual({ status: 'ok' });
		const ready = await get('/readyz');
		expect(ready.status).toBe(200);
		expect(await ready.json()).toEqual({ ready: true, database: 'ok', pendingMigrations: [] });

		const [last] = await t.sql`select version, name from schema_migration order by version desc limit 1`;
		await t.sql`delete from schema_migration where version = ${last!.version as string}`;
		try {
			const behind = await get('/readyz');
			expect(behind.status).toBe(503);
			expect(await behind.json()).toMatchObject({ ready: false, database: 'ok', pendingMigrations: [last!.name] });
		} finally {
			await t.sql`insert into schema_migration (version, name) values (${last!.version as string}, ${last!.name as string})`;
		}
	});

	it('says not ready, quickly, while the database is down, and still alive', async () => {
		const postgres = (await import('postgres')).default;
		const sql = postgres(`postgres://u@127.0.0.1:${closedPort}/db`, postgresClientOptions(1));
		useDatabase({ sql: sql as never, kind: 'postgres', where: 'down', close: () => sql.end({ timeout: 1 }) });
		try {
			const t0 = performance.now();
			const ready = await get('/readyz');
			expect(performance.now() - t0).toBeLessThan(3000);
			expect(ready.status).toBe(503);
			expect(ready.headers.get('retry-after')).toBe('5');
			expect(await ready.json()).toMatchObject({ ready: false, database: 'unavailable' });
			expect((await get('/healthz')).status).toBe(200);
		} finally {
			await sql.end({ timeout: 1 });
			useDatabase(t);
		}
	});
});
