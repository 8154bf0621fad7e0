// The data version (migration 0010) and the cache of map answers (answer-cache.ts): every write
// changes the version, a cached answer is never served after a write, an analyst's answer never
// to a coordinator, and the browser revalidates with its ETag (304).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { compactDataVersion, dataVersion } from '../../src/lib/server/data-version';
import { answerCache } from '../../src/lib/server/answer-cache';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { defaultAnalystQuarter } from '../../src/lib/domain/analyst-query';
import { todayInBrussels } from '../../src/lib/server/clock';

let t: TestDatabase;
let orgId: number;
let otherOrgId: number;
const tokens: Record<'coordinator' | 'analyst', string> = { coordinator: '', analyst: '' };
const cell = cellToBigInt(latLngToCell(51.05, 3.72, 10)).toString();
let serial = 0;

const addContact = (org = orgId, at = 'now()') =>
	t.sql.unsafe(`insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id) values ($1, ${at}, $2, 1, $3)`, [
		org,
		cell,
		`ac-${serial++}`
	]);

const get = (path: string, who: 'coordinator' | 'analyst' = 'coordinator', headers: Record<string, string> = {}) =>
	callRoute(t.sql, path.split('?')[0]!, path, { token: tokens[who], headers });

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	answerCache.clear();
	const org = await createOrganisation(t.sql, { slug: 'cache', name: 'Cache test', bbox: [3.6, 51.0, 3.8, 51.1] });
	orgId = org.orgId;
	otherOrgId = (await createOrganisation(t.sql, { slug: 'cache-other', name: 'Other', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	for (const role of ['coordinator', 'analyst'] as const) {
		const userId = await createUser(t.sql, { orgId, email: `${role}@cache.example`, name: role, role });
		tokens[role] = await createSession(t.sql, { orgId, userId });
	}
});
afterAll(() => t?.cleanup());

describe(dbTitle('data version'), () => {
	it('changes with every write to contacts, services, signals and areas, in the same transaction', async () => {
		const writes: Array<[string, () => Promise<unknown>]> = [
			['contact', () => addContact()],
			[
				'service',
				() =>
					t.sql`insert into service_location (org_id, external_id, category, name, cell) values (${orgId}, ${'s' + serial++}, 1, 'Dienst', ${cell})`
			],
			[
				'signal',
				() =>
					t.sql`insert into signal (org_id, reported_at, cell, reporter_kind, description, external_id)
						values (${orgId}, now(), ${cell}, 'partner', 'melding', ${'sig' + serial++})`
			],
			[
				'area',
				() =>
					t.sql`insert into area (org_id, layer, code, name, population, geometry)
						values (${orgId}, 'district', ${'a' + serial++}, 'Wijk', 100, ${t.sql.json({
							type: 'Polygon',
							coordinates: [
								[
									[3.7, 51.0],
									[3.75, 51.0],
									[3.75, 51.06],
									[3.7, 51.0]
								]
							]
						})})`
			],
			['contact update', () => t.sql`update contact_moment set persons = 2 where org_id = ${orgId}`],
			['signal handled', () => t.sql`update signal set status = 'handled', handled_at = now() where org_id = ${orgId}`],
			['service delete', () => t.sql`delete from service_location where org_id = ${orgId}`]
		];
		for (const [what, write] of writes) {
			const before = await dataVersion(t.sql, orgId);
			const other = await dataVersion(t.sql, otherOrgId);
			await write();
			expect(BigInt(await dataVersion(t.sql, orgId)), what).toBeGreaterThan(BigInt(before));
			expect(await dataVersion(t.sql, otherOrgId), `${what} leaves other organisations alone`).toBe(other);
		}
	});

	it('counts a transaction once however many statements and rows it writes, and not when it rolls back', async () => {
		const before = BigInt(await dataVersion(t.sql, orgId));
		await t.sql.begin(async (tx) => {
			for (let i = 0; i < 3; i++) {
				await tx`
					insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id)
					select ${orgId}, now(), ${cell}, 1, 'bulk-' || ${i} || '-' || g from generate_series(1, 500) g`;
			}
		});
		expect(BigInt(await dataVersion(t.sql, orgId))).toBe(before + 1n);
		await t.sql
			.begin(async (tx) => {
				await tx`insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id) values (${orgId}, now(), ${cell}, 1, 'gone')`;
				throw new Error('roll back');
			})
			.catch(() => {});
		expect(BigInt(await dataVersion(t.sql, orgId))).toBe(before + 1n);
	});

	it('keeps the version when its rows are compacted, and goes on counting after', async () => {
		const before = await dataVersion(t.sql, orgId);
		await compactDataVersion(t.sql, orgId);
		await compactDataVersion(t.sql, orgId);
		expect(await dataVersion(t.sql, orgId)).toBe(before);
		const [{ rows }] = (await t.sql`select count(*)::int as rows from org_data_change where org_id = ${orgId}`) as unknown as [{ rows: number }];
		expect(rows).toBe(1);
		await addContact();
		expect(BigInt(await dataVersion(t.sql, orgId))).toBe(BigInt(before) + 1n);
	});
});

describe(dbTitle('cached map answers'), () => {
	it('never serves an answer from before a write', async () => {
		const first = await get('/api/hexes?res=9');
		expect(first.status).toBe(200);
		const total = (first.body as { totals: { contacts: number } }).totals.contacts;
		// the same question again is the cached answer
		const again = await get('/api/hexes?res=9');
		expect(again.body).toEqual(first.body);
		expect(again.headers!.get('etag')).toBe(first.headers!.get('etag'));

		await addContact();
		const after = await get('/api/hexes?res=9');
		expect((after.body as { totals: { contacts: number } }).totals.contacts).toBe(total + 1);
		expect(after.headers!.get('etag')).not.toBe(first.headers!.get('etag'));

		// the other endpoints too
		const zones = await get('/api/underserved?res=9');
		await t.sql`insert into service_location (org_id, external_id, category, name, cell) values (${orgId}, 'fresh', 1, 'Nieuwe dienst', ${cell})`;
		const services = await get('/api/services');
		expect((services.body as { features: { properties: { name: string } }[] }).features.map((f) => f.properties.name)).toContain('Nieuwe dienst');
		expect((await get('/api/underserved?res=9')).headers!.get('etag')).not.toBe(zones.headers!.get('etag'));
	});

	it('serves an analyst answer to analysts only', async () => {
		const { from, to } = defaultAnalystQuarter(todayInBrussels());
		// contacts in the analyst's quarter, so their answer has figures to publish
		for (let i = 0; i < 7; i++) await addContact(orgId, `'${from}'::date + interval '12 hours'`);
		const path = `/api/hexes?res=8&from=${from}&to=${to}`;
		const analyst = await get(path, 'analyst');
		expect(analyst.status).toBe(200);
		// the published answer names its threshold k; the coordinator's has the exact counts
		expect(analyst.body).toHaveProperty('k');
		const coordinator = await get(path, 'coordinator');
		expect(coordinator.status).toBe(200);
		expect(coordinator.body).not.toHaveProperty('k');
		expect((coordinator.body as { totals: { contacts: number } }).totals.contacts).toBe(7);
		expect(coordinator.headers!.get('etag')).not.toBe(analyst.headers!.get('etag'));
		// nor the coordinator's exact answer to the analyst
		expect((await get(path, 'analyst')).body).toEqual(analyst.body);
	});

	it('answers 304 to a current ETag, private and revalidated, and 200 again after a write', async () => {
		const first = await get('/api/hexes?res=10');
		const etag = first.headers!.get('etag')!;
		expect(etag).toMatch(/^W\/".+"$/);
		expect(first.headers!.get('cache-control')).toBe('private, no-cache');
		const notModified = await get('/api/hexes?res=10', 'coordinator', { 'if-none-match': etag });
		expect(notModified.status).toBe(304);
		expect(notModified.body).toBe('');
		expect(notModified.headers!.get('etag')).toBe(etag);
		// another question, another tag
		expect((await get('/api/hexes?res=10&types=1', 'coordinator', { 'if-none-match': etag })).status).toBe(200);
		await addContact();
		const changed = await get('/api/hexes?res=10', 'coordinator', { 'if-none-match': etag });
		expect(changed.status).toBe(200);
		expect(changed.headers!.get('etag')).not.toBe(etag);
	});

	it('records the map view in the audit log as before, on a cached answer and on a 304 too', async () => {
		await t.sql`delete from audit_log`;
		const path = '/api/hexes?res=9&types=2';
		const first = await get(path);
		await get(path);
		await get(path, 'coordinator', { 'if-none-match': first.headers!.get('etag')! });
		const rows = await t.sql`select detail from audit_log where action = 'view.hexes'`;
		expect(rows).toHaveLength(1);
		expect(rows[0]!.detail).toMatchObject({ role: 'coordinator', res: 9, types: [2] });
	});

	it('compresses an answer over 1 KB for a client that accepts it', async () => {
		for (let i = 0; i < 40; i++) {
			const c = cellToBigInt(latLngToCell(51.0 + i * 0.002, 3.65 + i * 0.003, 10)).toString();
			await t.sql`insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id) values (${orgId}, now(), ${c}, 1, ${'z' + serial++})`;
		}
		const plain = await get('/api/hexes?res=10');
		const zipped = await get('/api/hexes?res=10', 'coordinator', { 'accept-encoding': 'gzip' });
		expect(zipped.headers!.get('content-encoding')).toBe('gzip');
		expect(zipped.headers!.get('vary')).toBe('accept-encoding');
		expect(JSON.parse(gunzipSync(zipped.body as Buffer).toString())).toEqual(plain.body);
	});
});
