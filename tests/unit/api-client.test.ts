// The browser's one API client (src/lib/api/client.ts) against a stubbed fetch: how a typed query
// is written, how an error body becomes an ApiError, and that a 401 sends the page to the login.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiCall, apiGet, apiPost, apiUrl } from '../../src/lib/api/client';
import { serialiseQuery } from '../../src/lib/api/endpoint';
import { ApiError } from '../../src/lib/api/errors';
import { areas, hexes, mapQuery, meta } from '../../src/lib/api/map';
import { saveMapping } from '../../src/lib/api/imports';

const jsonResponse = (status: number, body: unknown) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let fetchMock: ReturnType<typeof vi.fn>;
let assign: ReturnType<typeof vi.fn>;

beforeEach(() => {
	fetchMock = vi.fn();
	assign = vi.fn();
	vi.stubGlobal('fetch', fetchMock);
	vi.stubGlobal('location', { pathname: '/kaart', search: '?view=hotspots', assign });
});
afterEach(() => vi.unstubAllGlobals());

describe('query serialisation', () => {
	it('writes numbers and flags as text, lists comma-separated, objects as JSON, and leaves null out', () => {
		const p = serialiseQuery({ res: 9, types: [3, 1], groups: null, teams: undefined, skip: true, mapping: { lat: 'Lat' }, layer: 'district' });
		expect([...p]).toEqual([
			['res', '9'],
			['types', '3,1'],
			['skip', 'true'],
			['mapping', '{"lat":"Lat"}'],
			['layer', 'district']
		]);
	});

	it('a map query reads back as the same query on the server', () => {
		const q = {
			res: 8,
			from: '2026-01-01',
			to: '2026-03-31',
			types: [1, 3],
			groups: [],
			bbox: [3.6, 51, 3.8, 51.1] as [number, number, number, number]
		};
		const url = new URL('http://localhost' + apiUrl(hexes, q));
		expect(url.pathname).toBe('/api/hexes');
		expect(mapQuery.parse(Object.fromEntries(url.searchParams))).toEqual(q);
	});

	it('a GET sends the query and accepts JSON, and gives the body', async () => {
		fetchMock.mockResolvedValue(jsonResponse(200, { type: 'FeatureCollection', features: [] }));
		const signal = new AbortController().signal;
		const fc = await apiGet(areas, { layer: 'sector' }, { signal });
		expect(fc).toEqual({ type: 'FeatureCollection', features: [] });
		const [url, init] = fetchMock.mock.calls[0]!;
		expect(url).toBe('/api/areas?layer=sector');
		expect(init).toMatchObject({ method: 'GET', signal, headers: { accept: 'application/json' } });
		expect(init.body).toBeUndefined();
	});

	it('a POST sends its body as JSON', async () => {
		fetchMock.mockResolvedValue(jsonResponse(200, { saved: true }));
		await apiPost(saveMapping, { kind: 'contacts', source: 'Partner', mapping: { lat: 'Lat' } });
		const [url, init] = fetchMock.mock.calls[0]!;
		expect(url).toBe('/api/imports/mappings');
		expect(init.method).toBe('POST');
		expect(init.headers['content-type']).toBe('application/json');
		expect(JSON.parse(init.body)).toEqual({ kind: 'contacts', source: 'Partner', mapping: { lat: 'Lat' } });
	});
});

describe('errors', () => {
	it('an error body becomes an ApiError with its status, code, param, message and values', async () => {
		fetchMock.mockResolvedValue(
			jsonResponse(400, { error: { code: 'xlsx_too_many_rows', param: 'file', message: 'too many rows', values: { max: 10 } } })
		);
		const e = await apiGet(meta).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ApiError);
		expect(e).toMatchObject({ status: 400, code: 'xlsx_too_many_rows', param: 'file', message: 'too many rows', values: { max: 10 } });
		expect(assign).not.toHaveBeenCalled();
	});

	it('an answer without an error body is an ApiError saying the status', async () => {
		fetchMock.mockResolvedValue(new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }));
		const e = (await apiGet(meta).catch((x: unknown) => x)) as ApiError;
		expect(e).toBeInstanceOf(ApiError);
		expect({ status: e.status, code: e.code, param: e.param, message: e.message }).toEqual({
			status: 502,
			code: 'http',
			param: undefined,
			message: 'HTTP 502'
		});
	});

	it('a 401 sends the page to the login, to come back where it was', async () => {
		fetchMock.mockResolvedValue(jsonResponse(401, { error: { code: 'signed_out', message: 'sign in first' } }));
		const e = (await apiGet(meta).catch((x: unknown) => x)) as ApiError;
		expect(e.status).toBe(401);
		expect(assign).toHaveBeenCalledWith('/login?next=%2Fkaart%3Fview%3Dhotspots');
	});

	it('a 401 stays with the page when it tells the user itself (login: false)', async () => {
		fetchMock.mockResolvedValue(jsonResponse(401, { error: { message: 'sign in first' } }));
		const e = (await apiGet(meta, undefined, { login: false }).catch((x: unknown) => x)) as ApiError;
		expect(e).toMatchObject({ status: 401, code: 'http', message: 'sign in first' });
		expect(assign).not.toHaveBeenCalled();
	});

	it('apiCall gives the status and body as they came, without throwing or redirecting', async () => {
		fetchMock.mockResolvedValue(jsonResponse(401, { error: { message: 'sign in first' } }));
		expect(await apiCall(meta)).toEqual({ status: 401, ok: false, body: { error: { message: 'sign in first' } } });
		expect(assign).not.toHaveBeenCalled();
	});
});
