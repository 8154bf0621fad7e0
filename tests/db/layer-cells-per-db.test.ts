// The caches of an area layer's cells are kept per database handle: two databases in one process
// (as in these tests, or a bench's throwaway database beside another) may hold the same
// organisation id at the same data version, and must each get their own areas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { square } from '../helpers/square';
import { createOrganisation } from '../../src/lib/server/organisations';
import { layerCells as areaLayerCells } from '../../src/lib/server/layer-cells';
import { layerCells as reportLayerCells } from '../../src/lib/server/queries/report-layers';

const dbs: TestDatabase[] = [];
const orgs: number[] = [];

beforeAll(async () => {
	for (const code of ['A', 'B']) {
		const t = await openTestDatabase();
		dbs.push(t);
		const org = await createOrganisation(t.sql, { slug: 'per-db', name: 'Per database', bbox: [3.6, 51.0, 3.8, 51.1] });
		orgs.push(org.orgId);
		await t.sql`insert into area (org_id, layer, code, name, geometry)
			values (${org.orgId}, 'district', ${code}, ${'Area ' + code}, ${t.sql.json(square(3.7, 51.05, 0.01))})`;
	}
});
afterAll(async () => {
	for (const t of dbs) await t.cleanup();
});

describe(dbTitle('layer cells per database'), () => {
	it('gives each database its own areas for the same organisation id and data version', async () => {
		expect(orgs[0]).toBe(orgs[1]);
		const version = 'same';
		const trend = await Promise.all(dbs.map((t, i) => areaLayerCells(t.sql, orgs[i]!, 'district', 9, version)));
		expect(trend.map((m) => [...m.keys()])).toEqual([['A'], ['B']]);
		const report = [];
		for (const [i, t] of dbs.entries()) report.push(await reportLayerCells(t.sql, orgs[i]!, 'district', 9, 8, version));
		expect(report.map((l) => l.codes)).toEqual([['A'], ['B']]);
		// and each is still kept: asked again, the same object
		expect(await reportLayerCells(dbs[0]!.sql, orgs[0]!, 'district', 9, 8, version)).toBe(report[0]);
	});
});
