// The import endpoints given an empty file: SvelteKit hands a 0-byte upload over without a body
// at all, a chunked one as an empty stream. Either is refused with 400 and the code the page
// translates, never a 500; nothing is run or logged as a job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import type { SessionUser } from '../../src/lib/server/auth/sessions';
import { GHENT_BBOX } from '../fixtures/import/make-nasty';
import { POST as preview } from '../../src/routes/api/imports/preview/+server';
import { POST as contacts } from '../../src/routes/api/imports/contacts/+server';
import { POST as signals } from '../../src/routes/api/imports/signals/+server';
import { POST as services } from '../../src/routes/api/imports/services/+server';
import { POST as areas } from '../../src/routes/api/imports/areas/+server';

let t: TestDatabase;
let coordinator: SessionUser;

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const orgId = (await createOrganisation(t.sql, { slug: 'http', name: 'HTTP', bbox: [...GHENT_BBOX] })).orgId;
	const email = 'coord@http.example';
	const userId = await createUser(t.sql, { orgId, email, name: 'Coord', role: 'coordinator', password: 'long enough password 1' });
	coordinator = { orgId, userId, email, name: 'Coord', role: 'coordinator' };
});
afterAll(() => t?.cleanup());

type Handler = (e: never) => Promise<Response>;
const query = (mapping: object) => `mode=dry-run&source=test&mapping=${encodeURIComponent(JSON.stringify(mapping))}`;
const contactMapping = { occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type' };
const signalMapping = { reportedAt: 'Datum', lat: 'Lat', lng: 'Lon', reporterKind: 'Melder', description: 'Wat' };
const serviceMapping = { name: 'naam', category: 'soort', lat: 'lat', lng: 'lon' };

/** body: null as the adapter passes a 0-byte upload, '' as an empty stream. */
async function call(handler: Handler, path: string, body: null | '') {
	const url = new URL('http://localhost' + path);
	const request = new Request(url, { method: 'POST', body, headers: { 'content-type': 'text/csv' } });
	const res = await handler({ request, url, locals: { user: coordinator } } as never);
	return { status: res.status, body: (await res.json()) as { error?: { param: string; code?: string; message: string } } };
}

const jobs = async () => (await t.sql`select count(*)::int as n from import_job`)[0]!.n as number;

describe(dbTitle('import endpoints and an empty file'), () => {
	it.each([
		['preview', preview, '/api/imports/preview'],
		['contacts', contacts, `/api/imports/contacts?${query(contactMapping)}`],
		['signals', signals, `/api/imports/signals?${query(signalMapping)}`],
		['services (csv)', services, `/api/imports/services?format=csv&${query(serviceMapping)}`]
	] as const)('%s: 400 empty_file, with no body and with an empty one', async (_, handler, path) => {
		for (const body of [null, ''] as const) {
			const r = await call(handler as Handler, path, body);
			expect(r, String(body)).toEqual({
				status: 400,
				body: { error: { param: 'file', code: 'empty_file', message: 'the file is empty: it has no header row' } }
			});
		}
		expect(await jobs()).toBe(0);
	});

	it.each([
		['areas', areas, '/api/imports/areas?mode=inspect'],
		['services (geojson)', services, '/api/imports/services?format=geojson&mode=inspect']
	] as const)('%s inspect: 400 naming the file, not a 500', async (_, handler, path) => {
		for (const body of [null, ''] as const) {
			const r = await call(handler as Handler, path, body);
			expect(r.status, String(body)).toBe(400);
			expect(r.body.error?.param).toBe('file');
		}
	});
});

describe(dbTitle('import endpoints and the rejected-rows file'), () => {
	it('comes back in the page’s language (lang=en), Dutch without it, a reason on every rejected row', async () => {
		const csv = ['Datum;Lat;Lon;Type', ...Array.from({ length: 150 }, () => '31/02/2025;51,05;3,72;Eerste contact')].join('\n');
		const rejectedCsv = async (extra: string) => {
			const url = new URL(`http://localhost/api/imports/contacts?${query(contactMapping)}${extra}`);
			const request = new Request(url, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
			const res = await contacts({ request, url, locals: { user: coordinator } } as never);
			const lines = (await res.text()).trim().split('\n');
			return (JSON.parse(lines[lines.length - 1]!) as { rejectedCsv: string }).rejectedCsv
				.replace(/^\ufeff/, '')
				.trim()
				.split(/\r?\n/);
		};
		const en = await rejectedCsv('&lang=en');
		expect(en[0]).toBe('row;Datum;Lat;Lon;Type;problem');
		expect(en).toHaveLength(151);
		expect(en.every((l, i) => i === 0 || l.endsWith(`Row ${i + 1}, column ‘Datum’: ‘31/02/2025’ is not an existing date`))).toBe(true);
		const nl = await rejectedCsv('');
		expect(nl[0]).toBe('rij;Datum;Lat;Lon;Type;fout');
		expect(nl[150]).toMatch(/;Rij 151, kolom ‘Datum’: ‘31\/02\/2025’ is geen bestaande datum$/);
	});
});
