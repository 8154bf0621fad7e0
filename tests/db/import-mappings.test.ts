// POST /api/imports/mappings against the test database: like the uploads, it takes requests
// from our own pages only, and JSON only (a cross-site form can never save a mapping).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import type { SessionUser } from '../../src/lib/server/auth/sessions';
import { POST } from '../../src/routes/api/imports/mappings/+server';

let t: TestDatabase;
let coordinator: SessionUser;

const MAPPING = { reportedAt: 'Datum', lat: 'Breedte', lng: 'Lengte', description: 'Wat', defaultReporterKind: 'partner' };

async function post(o: { source: string; origin?: string | null; contentType?: string; body?: string }) {
	const url = new URL('http://localhost/api/imports/mappings');
	const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json' };
	if (o.origin !== null) headers.origin = o.origin ?? url.origin;
	const request = new Request(url, {
		method: 'POST',
		headers,
		body: o.body ?? JSON.stringify({ kind: 'signals', source: o.source, mapping: MAPPING })
	});
	const res = await POST({ request, url, locals: { user: coordinator } } as never);
	return { status: res.status, body: (await res.json()) as { saved?: boolean; error?: { param: string } } };
}

const saved = async (source: string) =>
	(await t.sql`select 1 from import_mapping where org_id = ${coordinator.orgId} and source = ${source}`).length === 1;

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const orgId = (await createOrganisation(t.sql, { slug: 'map', name: 'Mappings', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	const userId = await createUser(t.sql, {
		orgId,
		email: 'coord@map.example',
		name: 'Coord',
		role: 'coordinator',
		password: 'long enough password 1'
	});
	coordinator = { orgId, userId, email: 'coord@map.example', name: 'Coord', role: 'coordinator' };
});
afterAll(() => t?.cleanup());

describe(dbTitle('POST /api/imports/mappings'), () => {
	it('saves a mapping sent as JSON from this site, or without an Origin header', async () => {
		expect(await post({ source: 'partner-a' })).toEqual({ status: 200, body: { saved: true } });
		expect(await post({ source: 'partner-b', origin: null })).toEqual({ status: 200, body: { saved: true } });
		expect([await saved('partner-a'), await saved('partner-b')]).toEqual([true, true]);
	});

	it('403 naming origin for another site, and nothing saved', async () => {
		const res = await post({ source: 'evil', origin: 'https://evil.example' });
		expect(res).toMatchObject({ status: 403, body: { error: { param: 'origin' } } });
		expect(await saved('evil')).toBe(false);
	});

	it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
		'415 naming content-type for %s, and nothing saved',
		async (contentType) => {
			const res = await post({ source: 'form', contentType });
			expect(res).toMatchObject({ status: 415, body: { error: { param: 'content-type' } } });
			expect(await saved('form')).toBe(false);
		}
	);
});
