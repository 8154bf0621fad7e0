// Map views in the audit log: one entry per user and question (resolution, period, filters) in
// ten minutes, with the question in it, so a run of differing questions shows who asked what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { auditMapView } from '../../src/lib/server/audit';

let t: TestDatabase;
let orgId: number;
let analyst: number;

const q3 = { res: 8, from: '2026-07-01', to: '2026-09-30', types: null, groups: null, teams: null };
const views = async () =>
	(await t.sql`select detail from audit_log where org_id = ${orgId} and action = 'view.hexes' order by audit_id`).map((r) => r.detail);

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'views', name: 'Views', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	analyst = await createUser(t.sql, { orgId, email: 'a@views.example', name: 'A', role: 'analyst', password: 'long enough password 1' });
});
afterAll(() => t?.cleanup());

describe(dbTitle('map views in the audit log'), () => {
	it('logs each question once in ten minutes, with its period and filters', async () => {
		await auditMapView(t.sql, orgId, analyst, 'analyst', q3);
		await auditMapView(t.sql, orgId, analyst, 'analyst', q3); // the same question again: no entry
		await auditMapView(t.sql, orgId, analyst, 'analyst', { ...q3, types: [2] });
		await auditMapView(t.sql, orgId, analyst, 'analyst', { ...q3, from: '2026-04-01', to: '2026-06-30' });
		expect(await views()).toEqual([
			{ role: 'analyst', ...q3 },
			{ role: 'analyst', ...q3, types: [2] },
			{ role: 'analyst', ...q3, from: '2026-04-01', to: '2026-06-30' }
		]);
	});
});
