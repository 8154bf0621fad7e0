// Zone assignments against the test database: only an active worker of the organisation can be
// given a zone, whatever user id the form carries (the zones page offers workers only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { UserInputError } from '../../src/lib/domain/errors';
import { areaName, assignableAreas, createZone, listZones } from '../../src/lib/server/zones';

let t: TestDatabase;
let orgId: number;
const ids: Record<string, number> = {};

const zone = (userId: number) => ({
	userId,
	label: 'Stationsbuurt',
	cells: [latLngToCell(51.05, 3.72, 8)],
	validFrom: '2026-03-01',
	validTo: '2026-05-31'
});

/** The field a refused assignment names, or null when it was made. */
async function refusedField(userId: number): Promise<string | null> {
	try {
		await createZone(t.sql, orgId, ids.coordinator!, zone(userId), 9);
		return null;
	} catch (e) {
		if (e instanceof UserInputError) return e.field;
		throw e;
	}
}

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'zones', name: 'Zones test', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	const other = (await createOrganisation(t.sql, { slug: 'elders', name: 'Elders', bbox: [4.3, 50.8, 4.5, 50.9] })).orgId;
	const user = (org: number, key: string, role: 'worker' | 'coordinator' | 'analyst') =>
		createUser(t.sql, { orgId: org, email: `${key}@zones.example`, name: key, role, password: 'long enough password 1' });
	ids.coordinator = await user(orgId, 'coordinator', 'coordinator');
	ids.worker = await user(orgId, 'worker', 'worker');
	ids.analyst = await user(orgId, 'analyst', 'analyst');
	ids.inactive = await user(orgId, 'inactive', 'worker');
	await t.sql`update app_user set active = false where org_id = ${orgId} and user_id = ${ids.inactive!}`;
	ids.stranger = await user(other, 'stranger', 'worker');
});
afterAll(() => t?.cleanup());

describe(dbTitle('zone assignments'), () => {
	it('assigns a zone to an active worker', async () => {
		expect(await refusedField(ids.worker!)).toBeNull();
		expect((await listZones(t.sql, orgId)).map((z) => z.userId)).toEqual([ids.worker]);
	});

	it.each(['analyst', 'coordinator', 'inactive', 'stranger'])('refuses the %s, naming userId, and stores nothing', async (who) => {
		expect(await refusedField(ids[who]!)).toBe('userId');
		expect((await listZones(t.sql, orgId)).map((z) => z.userId)).toEqual([ids.worker]);
	});

	it('gives each refusal the code the page translates, with its values', async () => {
		const refusal = (over: Record<string, unknown>) =>
			createZone(t.sql, orgId, ids.coordinator!, { ...zone(ids.worker!), ...over }, 9).then(
				() => null,
				(e: UserInputError) => ({ field: e.field, code: e.code, values: e.values })
			);
		expect(await refusal({ label: ' ' })).toMatchObject({ field: 'label', code: 'labelRequired' });
		expect(await refusal({ validFrom: '1/3/2026' })).toMatchObject({ field: 'validFrom', code: 'dateInvalid' });
		expect(await refusal({ validTo: '2026-02-01' })).toMatchObject({ field: 'validTo', code: 'dateOrder' });
		expect(await refusal({ cells: [] })).toMatchObject({ field: 'zone', code: 'zoneChoose' });
		const fine = latLngToCell(51.05, 3.72, 10);
		expect(await refusal({ cells: [fine] })).toEqual({ field: 'cells', code: 'cellsInvalid', values: { cell: fine, res: 9 } });
		expect(await refusal({ cells: undefined, area: { layer: 'district', code: 'nope' } })).toMatchObject({ field: 'area', code: 'areaInvalid' });
		expect(await refusal({ userId: ids.analyst })).toMatchObject({ field: 'userId', code: 'workerInvalid' });
	});

	it('offers every layer, the chosen district layer first, an area with its district, and names an area', async () => {
		const square = t.sql.json({
			type: 'Polygon',
			coordinates: [
				[
					[3.7, 51.04],
					[3.75, 51.04],
					[3.75, 51.07],
					[3.7, 51.07],
					[3.7, 51.04]
				]
			]
		});
		await t.sql`insert into area (org_id, layer, code, name, parent_code, geometry) values
			(${orgId}, 'district', 'D1', 'Binnenstad', null, ${square}),
			(${orgId}, 'sector', 'S1', 'Kouter', 'D1', ${square}),
			(${orgId}, 'buurt', 'B1', 'Muide', null, ${square})`;
		// area layers have any name: the organisation's choice is the district layer
		await t.sql`update organisation set district_layer = 'district' where org_id = ${orgId}`;
		expect(await assignableAreas(t.sql, orgId)).toEqual([
			{ layer: 'district', code: 'D1', name: 'Binnenstad', district: null },
			{ layer: 'buurt', code: 'B1', name: 'Muide', district: null },
			{ layer: 'sector', code: 'S1', name: 'Kouter', district: 'Binnenstad' }
		]);
		// another choice: the sectors' parent codes no longer name districts of that layer
		await t.sql`update organisation set district_layer = 'buurt' where org_id = ${orgId}`;
		expect((await assignableAreas(t.sql, orgId)).map((a) => a.layer)).toEqual(['buurt', 'district', 'sector']);
		await t.sql`update organisation set district_layer = null where org_id = ${orgId}`;
		expect(await areaName(t.sql, orgId, 'sector', 'S1')).toBe('Kouter');
		expect(await areaName(t.sql, orgId, 'sector', 'nope')).toBeNull();
	});

	it('says why for a role that cannot walk a zone', async () => {
		await expect(createZone(t.sql, orgId, ids.coordinator!, zone(ids.analyst!), 9)).rejects.toThrow(/worker/);
	});
});
