// An organisation may publish analysts' maps finer than it plans (policy res 10, planning res 9).
// The analyst's answer assigns each cell to its area through the planning-resolution cells; it
// once asked h3 for a "parent" at the finer map resolution and answered 500 with nothing drawn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToBoundary, cellToChildren, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { todayInBrussels } from '../../src/lib/server/clock';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { endedQuarters } from '../../src/lib/domain/calendar';
import type { HexColumns } from '../../src/lib/api/map';

let t: TestDatabase;
let analyst: string;
const quarter = endedQuarters(todayInBrussels(), 1)[0]!;
const district = latLngToCell(51.054, 3.72, 9);

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	const { orgId } = await createOrganisation(t.sql, { slug: 'fine', name: 'Fine maps', bbox: [3.6, 51.0, 3.8, 51.1] });
	await t.sql`update organisation set policy_res = 10, planning_res = 9 where org_id = ${orgId}`;
	await t.sql`insert into area (org_id, layer, code, name, population, geometry)
		values (${orgId}, 'district', 'D', 'Dampoort', 1000, ${t.sql.json({ type: 'Polygon', coordinates: [cellToBoundary(district, true)] })})`;
	// 12 contacts in each of the district's seven res-10 cells (stored at res 10)
	const cells = cellToChildren(district, 10).flatMap((c) => Array.from({ length: 12 }, () => cellToBigInt(c).toString()));
	await t.sql`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id)
		select ${orgId}, (${quarter.from}::date + 3)::timestamp at time zone 'Europe/Brussels' + interval '12 hours', c, 1, 'f' || n
		from unnest(${cells}::bigint[]) with ordinality as u (c, n)`;
	const userId = await createUser(t.sql, { orgId, email: 'a@fine.example', name: 'A', role: 'analyst' });
	analyst = await createSession(t.sql, { orgId, userId });
});
afterAll(() => t?.cleanup());

describe(dbTitle('an analyst map finer than the planning resolution'), () => {
	it('publishes the res-10 cells of a res-9 district', async () => {
		const o = await callRoute(t.sql, '/api/hexes', `/api/hexes?res=10&from=${quarter.from}&to=${quarter.to}`, { token: analyst });
		expect(o.status, JSON.stringify(o.body)).toBe(200);
		const body = o.body as HexColumns;
		expect(body.res).toBe(10);
		expect(body.cells).toHaveLength(7);
		// 84 contacts in all; the published total is perturbed, never suppressed at this size
		expect(body.contacts.reduce((a: number, b) => a + (b ?? 0), 0)).toBeGreaterThan(60);
	});
});
