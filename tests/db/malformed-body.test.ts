// A truncated or malformed request body answers 400 malformed_body, not 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { useDatabase } from '../../src/lib/server/app-db';
import { isMalformedBody } from '../../src/lib/server/body-errors';
import { handle, handleError } from '../../src/hooks.server';
import { actions } from '../../src/routes/login/+page.server';

let t: TestDatabase;
beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
});
afterAll(() => t?.cleanup());

const truncatedMultipart =
	'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.org\r\n--b\r\nContent-Disposition: form-data; name="pass';

function event(path: string, body: string, contentType: string, headers: Record<string, string> = {}) {
	const url = new URL('http://localhost' + path);
	return {
		url,
		request: new Request(url, { method: 'POST', body, headers: { 'content-type': contentType, origin: 'http://localhost', ...headers } }),
		route: { id: path },
		params: {},
		locals: {} as App.Locals,
		cookies: { get: () => undefined, delete: () => {}, set: () => {} },
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => {}
	};
}

/** What the server answers when the route throws: SvelteKit calls handleError, then handle sees the 500. */
async function serve(e: ReturnType<typeof event>, route: () => Promise<unknown>): Promise<Response> {
	return handle({
		event: e as never,
		resolve: async () => {
			try {
				await route();
				return new Response('{}', { status: 200 });
			} catch (error) {
				const body = handleError({ error, event: e as never, status: 500, message: 'Internal Error' });
				return new Response(JSON.stringify({ type: 'error', error: body }), { status: 500 });
			}
		}
	});
}

describe(dbTitle('malformed bodies'), () => {
	it('recognises the errors of a body that does not parse, and nothing else', async () => {
		const fail = (p: Promise<unknown>) =>
			p.then(
				() => null,
				(e: unknown) => e
			);
		expect(
			isMalformedBody(
				await fail(
					new Request('http://x', {
						method: 'POST',
						body: truncatedMultipart,
						headers: { 'content-type': 'multipart/form-data; boundary=b' }
					}).formData()
				)
			)
		).toBe(true);
		expect(
			isMalformedBody(await fail(new Request('http://x', { method: 'POST', body: '{"a":', headers: { 'content-type': 'application/json' } }).json()))
		).toBe(true);
		expect(isMalformedBody(await fail(Promise.resolve().then(() => JSON.parse('{bad'))))).toBe(false);
		expect(isMalformedBody(new TypeError('x is not a function'))).toBe(false);
	});

	it('answers a sign-in with a truncated multipart body 400, with the code', async () => {
		const e = event('/login', truncatedMultipart, 'multipart/form-data; boundary=b', { 'x-sveltekit-action': 'true' });
		const res = await serve(e, () => actions.default(e as never));
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ type: 'error', error: { code: 'malformed_body', message: expect.any(String) } });
	});

	it('answers broken JSON to the API 400 with an ErrorBody', async () => {
		const e = event('/api/contacts', '{"cell": "8a1', 'application/json');
		useDatabase(t);
		const res = await handle({
			event: { ...e, route: { id: '/login' } } as never, // a route anyone may reach, so the guard lets it through
			resolve: async () => {
				try {
					await e.request.json();
					return new Response('{}');
				} catch (error) {
					handleError({ error, event: e as never, status: 500, message: 'Internal Error' });
					return new Response('{}', { status: 500 });
				}
			}
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ error: { code: 'malformed_body', message: expect.any(String) } });
	});
});
