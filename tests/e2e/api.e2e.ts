// HTTP API against the running app: status codes and error bodies that name the parameter.
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sessionCookie } from './auth';

const base = inject('baseURL');
let cookie = '';

async function get(path: string, session: string | null = cookie) {
	const res = await fetch(base + path, { headers: session ? { cookie: session } : {} });
	const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
	return { res, body };
}

describe(`api [${inject('dbKind')}]`, () => {
	beforeAll(async () => {
		cookie = await sessionCookie('coordinator');
	});

	it('GET /api/meta without a session is a 401 in JSON', async () => {
		const { res, body } = await get('/api/meta', null);
		expect(res.status).toBe(401);
		expect(body.error.message).toBeTruthy();
	});

	it('GET /api/meta describes the demo organisation', async () => {
		const { res, body } = await get('/api/meta');
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toContain('no-store');
		expect(body.org.name).toBeTruthy();
		expect(body.basemapStyle).toBeNull(); // BASEMAP_STYLE_URL=none
	});

	it('GET /api/hexes?res=99 is a 400 naming res', async () => {
		const { res, body } = await get('/api/hexes?res=99');
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toContain('application/json');
		expect(body.error.param).toBe('res');
		expect(typeof body.error.message).toBe('string');
	});

	it('GET /api/hexes with an unknown parameter is a 400 naming it', async () => {
		const { res, body } = await get('/api/hexes?res=8&colour=red');
		expect(res.status).toBe(400);
		expect(body.error.param).toBe('colour');
	});

	it('GET /api/hexes?res=8 returns columns of equal length with contacts', async () => {
		const { res, body } = await get('/api/hexes?res=8');
		expect(res.status).toBe(200);
		expect(body.res).toBe(8);
		expect(body.cells.length).toBeGreaterThan(50);
		expect(body.contacts).toHaveLength(body.cells.length);
		expect(body.contacts.every((n: number) => n > 0)).toBe(true);
	});
});
