// POST /logout signs out only when the request comes from this site: SvelteKit's CSRF check
// does not cover a cross-site POST without a form content type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRedirect } from '@sveltejs/kit';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession, resolveSession } from '../../src/lib/server/auth/sessions';
import { POST } from '../../src/routes/logout/+server';

let t: TestDatabase;
let orgId: number;
let userId: number;

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	orgId = (await createOrganisation(t.sql, { slug: 'lo', name: 'Lo', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
	userId = await createUser(t.sql, { orgId, email: 'lo@example.org', name: 'Lo', role: 'worker', password: 'logout password 1' });
});
afterAll(() => t?.cleanup());

async function logout(token: string, headers: Record<string, string>): Promise<number> {
	const url = new URL('http://localhost:3000/logout');
	const event = {
		url,
		request: new Request(url, { method: 'POST', headers }),
		cookies: { get: () => token, delete: () => {} },
		locals: { user: { orgId, userId } }
	};
	try {
		return (await POST(event as never)).status;
	} catch (e) {
		if (isRedirect(e)) return e.status;
		throw e;
	}
}

describe(dbTitle('POST /logout'), () => {
	it('refuses a cross-site request, with or without a content type, and keeps the session', async () => {
		const token = await createSession(t.sql, { orgId, userId });
		expect(await logout(token, { origin: 'https://evil.example' })).toBe(403);
		expect(await logout(token, {})).toBe(403);
		expect(await logout(token, { 'sec-fetch-site': 'cross-site' })).toBe(403);
		expect(await logout(token, { origin: 'http://localhost:3000.evil.example', 'content-type': 'text/plain' })).toBe(403);
		expect(await resolveSession(t.sql, token)).not.toBeNull();
	});

	it('signs out a request from this site', async () => {
		const token = await createSession(t.sql, { orgId, userId });
		expect(await logout(token, { origin: 'http://localhost:3000' })).toBe(303);
		expect(await resolveSession(t.sql, token)).toBeNull();
		const other = await createSession(t.sql, { orgId, userId });
		expect(await logout(other, { 'sec-fetch-site': 'same-origin' })).toBe(303);
		expect(await resolveSession(t.sql, other)).toBeNull();
	});
});
