// Hot spots read from a real database (PGlite here; PostgreSQL 15 when TEST_DATABASE_URL is set):
// a planted cluster of contacts comes out hot, and analysts' classes come from published counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellToChildren, cellToParent, gridDisk, gridDistance, latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { hotspotCells, type HotspotQuery } from '../../src/lib/server/queries/hotspots';
import { classifyHotspots } from '../../src/lib/domain/analysis/hotspots';
import { cellToBigInt } from '../../src/lib/domain/cells';
import { bounds, ROUNDING_BASE } from '../../src/lib/domain/privacy';
import { publishedHexes } from '../../src/lib/server/queries/published';
import { unpackCell } from '../../src/lib/domain/cells';

let t: TestDatabase;
let orgId: number;
const RES = 9;
const K = 5;
// Korenmarkt: the planted cluster (its cell and ring, 12 contacts each); single-digit counts
// scattered 1.5–3 km around it.
const centre = latLngToCell(51.0543, 3.7208, RES);
const cluster = gridDisk(centre, 1);
const scatter = gridDisk(centre, 14).filter((c) => gridDistance(c, centre) >= 8 && gridDistance(c, centre) % 3 === 0);
/** True contacts per res-9 cell: 12 in the cluster, 1 to 4 elsewhere. */
const planted = new Map<string, number>([...cluster.map((c) => [c, 12] as const), ...scatter.map((c, i) => [c, 1 + (i % 4)] as const)]);
const q: HotspotQuery = { res: RES, from: '2026-03-01', to: '2026-04-30', types: null, groups: null, teams: null };

beforeAll(async () => {
	t = await openTestDatabase();
	const org = await createOrganisation(t.sql, { slug: 'hs', name: 'Hotspot test', bbox: [3.6, 51.0, 3.8, 51.1] });
	orgId = org.orgId;
	const cells: string[] = [];
	const at: string[] = [];
	for (const [cell, n] of planted) {
		const fine = cellToBigInt(cellToChildren(cell, 10)[0]!).toString();
		for (let i = 0; i < n; i++) {
			cells.push(fine);
			at.push(`2026-03-${String(10 + (i % 15)).padStart(2, '0')}T14:00:00+01:00`);
		}
	}
	await t.sql`insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, external_id)
		select ${orgId}, a, c, 1, '{1}', 'hs-' || n from unnest(${at}::timestamptz[], ${cells}::bigint[]) with ordinality as u (a, c, n)`;
});
afterAll(() => t?.cleanup());

describe(dbTitle('hot spots'), () => {
	it('finds the planted cluster hot, over the cells with contacts and their empty ring', async () => {
		const r = await hotspotCells(t.sql, orgId, q);
		const code = new Map(r.cells.map((c, i) => [c, r.codes[i]!]));
		for (const c of cluster) expect(code.get(c), c).toBeGreaterThan(0);
		expect(code.get(centre)).toBe(3);
		expect(r.counts.hot).toBe(r.codes.filter((c) => c > 0).length);
		// the study area: every cell with contacts and its ring
		expect(r.studyCells).toBe(new Set([...planted.keys()].flatMap((c) => gridDisk(c, 1))).size);
		// nothing is hot far from the cluster
		for (const [cell, c] of code) if (c > 0) expect(gridDistance(cell, centre)).toBeLessThanOrEqual(2);
		expect(r).toEqual({ res: RES, from: q.from, to: q.to, ...classifyHotspots(planted) });
	});

	it('computes analysts’ classes from the hex map’s published counts (suppressed as k/2), not from the true ones', async () => {
		const r = await hotspotCells(t.sql, orgId, { ...q, res: 8 }, K);
		// the same answer as Gi* over the published res-8 counts of the hex map…
		const res8 = new Map<string, number>();
		for (const [cell, n] of planted) {
			const parent = cellToParent(cell, 8);
			res8.set(parent, (res8.get(parent) ?? 0) + n);
		}
		const map8 = await publishedHexes(t.sql, orgId, { ...q, res: 8, bbox: null }, K);
		const published = new Map(map8.cells.map((packed, i) => [unpackCell(packed, 8), map8.contacts[i] ?? K / 2]));
		// (each a published value for its true count: within its class, or one class above when raised)
		for (const [cell, n] of res8) {
			const p = map8.contacts[map8.cells.findIndex((x) => unpackCell(x, 8) === cell)]!;
			const b = bounds(p, K);
			expect(n >= b.lo - ROUNDING_BASE && n <= b.hi, `${cell}: ${n} as ${p}`).toBe(true);
		}
		expect(r).toEqual({ res: 8, from: q.from, to: q.to, ...classifyHotspots(published) });
		// …and the true counts 1 to 4 of the scattered cells cannot be told apart from it
		const r9 = await hotspotCells(t.sql, orgId, q, K);
		const map9 = await publishedHexes(t.sql, orgId, { ...q, bbox: null }, K);
		const flattened = new Map(map9.cells.map((packed, i) => [unpackCell(packed, RES), map9.contacts[i] ?? K / 2]));
		for (const [cell, n] of planted) if (n < K) expect(flattened.get(cell)).toBe(K / 2);
		expect(r9.codes).toEqual(classifyHotspots(flattened).codes);
		expect(r9.cells).toEqual(classifyHotspots(flattened).cells);
	});

	it('is empty for an organisation without contacts', async () => {
		const other = await createOrganisation(t.sql, { slug: 'hs-leeg', name: 'Leeg', bbox: [3.6, 51.0, 3.8, 51.1] });
		const r = await hotspotCells(t.sql, other.orgId, q);
		expect(r).toMatchObject({ cells: [], codes: [], counts: { hot: 0, cold: 0 }, studyCells: 0 });
	});
});
