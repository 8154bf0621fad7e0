// The server side of the API declarations (src/lib/server/api.ts): a bad parameter is a 400
// naming it with a stable code, and what a route throws becomes the one error body.
import { describe, expect, it } from 'vitest';
import { error } from '@sveltejs/kit';
import { apiRoute, ApiRefusal, parseQuery, readJson } from '../../src/lib/server/api';
import { hexes, hotspots, underserved } from '../../src/lib/api/map';
import { contactsImport } from '../../src/lib/api/imports';
import { UserInputError } from '../../src/lib/domain/errors';

const url = (qs: string) => new URL('http://localhost/api/x?' + qs);

/** What apiRoute answers when the handler runs `body`. */
async function answer(body: () => unknown) {
	const handler = apiRoute(async () => {
		body();
		return new Response('ok');
	});
	const res = await handler({} as never);
	return { status: res.status, body: res.status === 200 ? await res.text() : await res.json() };
}

describe('parseQuery with an endpoint declaration', () => {
	it('gives the typed query', () => {
		expect(parseQuery(hexes, url('res=9&types=3,1&bbox=3.6,51,3.8,51.1'))).toEqual({ res: 9, types: [1, 3], bbox: [3.6, 51, 3.8, 51.1] });
		expect(parseQuery(underserved, url('res=9&limit=5')).limit).toBe(5);
	});

	it.each([
		['res=99', 'res', 'invalid_param', 'resolution 99 is outside 7 to 10'],
		['', 'res', 'invalid_param', 'required: a resolution from 7 to 10'],
		['res=9&from=yesterday', 'from', 'invalid_param', 'expected a date as YYYY-MM-DD'],
		['res=9&types=a', 'types', 'invalid_param', 'expected a comma-separated list of whole numbers from 1 to 32767'],
		['res=99&colour=red', 'colour', 'unknown_param', 'unknown parameter "colour"']
	])('hexes?%s: a 400 naming %s', async (qs, param, code, message) => {
		expect(await answer(() => parseQuery(hexes, url(qs)))).toEqual({ status: 400, body: { error: { code, param, message } } });
	});

	it('a parameter an endpoint refuses says why', () => {
		expect(() => parseQuery(hotspots, url('res=9&bbox=1,2,3,4'))).toThrow(/whole organisation/);
		expect(() => parseQuery(underserved, url('res=9&limit=0'))).toThrow('expected a whole number from 1 to 100');
		expect(() => parseQuery(underserved, url('res=9&colour=red'))).toThrow('unknown parameter "colour"');
	});

	it('an import names the mapping field at fault', () => {
		try {
			parseQuery(contactsImport, url(`mode=dry-run&source=x&mapping=${encodeURIComponent('{"lat":"Lat"}')}`));
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(UserInputError);
			expect((e as UserInputError).info().param).toMatch(/^mapping\./);
		}
		expect(() => parseQuery(contactsImport, url('mode=run'))).toThrow('expected dry-run or commit');
	});
});

describe('apiRoute', () => {
	it('answers a thrown UserInputError with 400 and its info', async () => {
		expect(
			await answer(() => {
				throw new UserInputError('zoneOverlap', 'cells', 'overlaps', { n: 2 });
			})
		).toEqual({
			status: 400,
			body: { error: { code: 'zoneOverlap', param: 'cells', message: 'overlaps', values: { n: 2 } } }
		});
	});

	it('answers an ApiRefusal with its status', async () => {
		const refusal = new ApiRefusal(403, { code: 'role_refused', param: 'res', message: 'no' });
		expect(
			await answer(() => {
				throw refusal;
			})
		).toEqual({ status: 403, body: { error: { code: 'role_refused', param: 'res', message: 'no' } } });
	});

	it("answers SvelteKit's error(401) with the error body, coded", async () => {
		expect(await answer(() => error(401, 'sign in first'))).toEqual({
			status: 401,
			body: { error: { code: 'signed_out', message: 'sign in first' } }
		});
	});

	it('lets other errors through (a 500)', async () => {
		await expect(
			answer(() => {
				throw new Error('bug');
			})
		).rejects.toThrow('bug');
	});
});

describe('readJson', () => {
	const post = (body: string, type: string) =>
		new Request('http://localhost/api/contacts', { method: 'POST', body, headers: { 'content-type': type } });

	it('refuses another content type with 415, and a body that is no JSON with 400', async () => {
		await expect(readJson(post('a=1', 'application/x-www-form-urlencoded'), 'the contact')).rejects.toMatchObject({
			status: 415,
			info: { code: 'unsupported_media_type', param: 'content-type', message: 'send the contact as application/json' }
		});
		await expect(readJson(post('{', 'application/json'), 'the contact')).rejects.toMatchObject({ code: 'invalid_json', field: 'body' });
		expect(await readJson(post('{"a":1}', 'application/json; charset=utf-8'), 'the contact')).toEqual({ a: 1 });
	});
});
