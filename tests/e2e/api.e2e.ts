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

describe(`api, refused uploads [${inject('dbKind')}]`, () => {
	beforeAll(async () => {
		cookie = await sessionCookie('coordinator');
	});

	// A refusal after the first bytes must still answer: cancelling the unread request body made
	// the Node adapter destroy the socket, and the browser got an empty response (a flaky e2e).
	it.each([
		'/api/imports/preview',
		`/api/imports/contacts?mode=dry-run&source=e2e-ole&mapping=${encodeURIComponent(
			JSON.stringify({ occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type' })
		)}`
	])('POST %s with a 2 MB OLE file is a 400 saying why, on a connection that answers', async (path) => {
		const ole = new Uint8Array(2 * 1024 * 1024);
		ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		for (let i = 0; i < 5; i++) {
			const res = await fetch(base + path, {
				method: 'POST',
				headers: { cookie, 'content-type': 'application/octet-stream' },
				body: ole
			});
			expect(res.status).toBe(400);
			const body = await res.json();
			expect(body.error.param).toBe('file');
			expect(body.error.code).toBe('xlsx_encrypted_or_xls');
		}
	});
});
