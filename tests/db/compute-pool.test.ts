// The compute pool (src/lib/server/compute-pool.ts) on the demo data read from a real database
// (PGlite here; PostgreSQL 15 when TEST_DATABASE_URL is set): a worker's answer is exactly the
// inline domain function's, at res 9 and res 10, and while a worker scores res 10 the request
// thread keeps running other work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { underservedInputs, underservedZones, type UnderservedQuery } from '../../src/lib/server/queries/underserved';
import { hotspotCells, HOTSPOT_K, HOTSPOTS_INLINE_BELOW } from '../../src/lib/server/queries/hotspots';
import { hexAggregate } from '../../src/lib/server/queries/hexes';
import { closeComputePool, compute, computePoolCompleted } from '../../src/lib/server/compute-pool';
import { scoreZones } from '../../src/lib/domain/analysis/underserved';
import { classifyHotspots } from '../../src/lib/domain/analysis/hotspots';
import { unpackCell } from '../../src/lib/domain/cells';
import { addDays } from '../../src/lib/domain/calendar';
import { AREAS_INLINE_BELOW_BYTES, importAreas } from '../../src/lib/server/imports/areas';
import { orgAndVocabularies } from '../../src/lib/server/imports/services';
import { MAX_POSITIONS, parseAreasGeoJson } from '../../src/lib/domain/import/areas';
import type { AreaMapping } from '../../src/lib/domain/import/mapping';

let t: TestDatabase;
let orgId: number;
let q: Omit<UnderservedQuery, 'res'>;

beforeAll(async () => {
	t = await openTestDatabase();
	const report = await seedDemo(t.sql, { contacts: 4000 });
	orgId = report.orgId;
	q = { from: addDays(report.today, -364), to: report.today, types: null, groups: null, teams: null };
});
afterAll(async () => {
	// the pool's workers end with the file (vitest must not wait for them)
	await closeComputePool();
	await t?.cleanup();
});

describe(dbTitle('compute pool'), () => {
	for (const res of [9, 10]) {
		it(`scores the demo's zones at res ${res} in a worker exactly as the domain function does inline`, async () => {
			const before = await computePoolCompleted();
			const pooled = await underservedZones(t.sql, orgId, { ...q, res });
			expect(await computePoolCompleted()).toBeGreaterThan(before); // it did go through the pool
			const inputs = await underservedInputs(t.sql, orgId, { ...q, res });
			const inline = scoreZones(inputs.zones, inputs.services, { periodDays: inputs.periodDays });
			expect(pooled.zones.length).toBeGreaterThan(res === 9 ? 1000 : 8000);
			expect(pooled.zones).toEqual(inline);
			expect(pooled.zones.some((z) => z.reasons.length > 0)).toBe(true);
		});

		it(`classifies the demo's hot spots at res ${res} in a worker exactly as the domain function does inline`, async () => {
			const pooled = await hotspotCells(t.sql, orgId, { ...q, res });
			const cols = await hexAggregate(t.sql, orgId, { ...q, res, bbox: null });
			const counts = new Map(cols.cells.map((packed, i) => [unpackCell(packed, res), cols.contacts[i]!]));
			const inline = classifyHotspots(counts, HOTSPOT_K);
			expect(inline.cells.length).toBeGreaterThan(0);
			// hotspotCells keeps the demo's few hundred cells inline (HOTSPOTS_INLINE_BELOW); the pool's answer is the same
			expect(counts.size).toBeLessThan(HOTSPOTS_INLINE_BELOW);
			expect(await compute('classifyHotspots', [counts, HOTSPOT_K])).toEqual(inline);
			expect({ cells: pooled.cells, codes: pooled.codes, counts: pooled.counts, studyCells: pooled.studyCells }).toEqual(inline);
		});
	}

	it('checks a large area layer in a worker: the rows stored are those of the inline parse', async () => {
		// a ring of 30,000 vertices around the Korenmarkt (simplified: over MAX_POSITIONS) and a small square
		const ring = Array.from({ length: 30_000 }, (_, i) => {
			const a = (2 * Math.PI * i) / 30_000;
			const r = 0.01 * (1 + 0.05 * Math.sin(40 * a));
			return [3.7208 + r * Math.cos(a) * 1.6, 51.0543 + r * Math.sin(a)];
		});
		ring.push(ring[0]!);
		const square = [
			[3.7, 51.04],
			[3.71, 51.04],
			[3.71, 51.05],
			[3.7, 51.05],
			[3.7, 51.04]
		];
		const layer = {
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { code: 'BIG', naam: 'Groot', inw: '1200' }, geometry: { type: 'Polygon', coordinates: [ring] } },
				{ type: 'Feature', properties: { code: 'SQ', naam: 'Vierkant', inw: '300' }, geometry: { type: 'Polygon', coordinates: [square] } }
			]
		};
		const bytes = new TextEncoder().encode(JSON.stringify(layer));
		expect(bytes.length).toBeGreaterThan(AREAS_INLINE_BELOW_BYTES);
		const mapping: AreaMapping = { layer: 'pooltest', code: 'code', name: 'naam', population: 'inw' };
		const { area } = await orgAndVocabularies(t.sql, orgId);
		const inline = parseAreasGeoJson(JSON.parse(JSON.stringify(layer)), mapping, { area, storedCodes: [] });
		expect(inline.rows).toHaveLength(2);

		const before = await computePoolCompleted();
		async function* body() {
			for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
		}
		const r = await importAreas(t.sql, body(), mapping, { orgId, userId: null, source: 'pool', mode: 'commit', skipInvalid: false });
		expect(await computePoolCompleted()).toBeGreaterThan(before);
		expect(r.status).toBe('done');
		expect(r.counts).toMatchObject({ records: 2, valid: 2, imported: 2 });
		expect(r.warnings.map((w) => [w.row, w.code])).toEqual(inline.warnings.map((w) => [w.row, w.code]));
		const stored = await t.sql`select code, name, population, geometry from area where org_id = ${orgId} and layer = 'pooltest' order by code`;
		const expected = [...inline.rows].sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
		expect(stored.map((a) => [a.code, a.name, a.population, a.geometry])).toEqual(
			expected.map((a) => [a.externalId, a.name, a.population, a.geometry])
		);
		const big = stored.find((a) => a.code === 'BIG')!.geometry as { coordinates: number[][][] };
		expect(big.coordinates[0]!.length).toBeLessThanOrEqual(MAX_POSITIONS);
	});

	it('keeps the request thread free while a worker scores res 10', async () => {
		const inputs = await underservedInputs(t.sql, orgId, { ...q, res: 10 });
		const args = [inputs.zones, inputs.services, { periodDays: inputs.periodDays }] as const;
		let ticks = 0;
		const timer = setInterval(() => ticks++, 1);
		try {
			// (on this thread, the same call would let no timer run until it was done)
			const pooled = await compute('scoreZones', [...args]);
			expect(pooled.length).toBe(inputs.zones.length);
			expect(ticks).toBeGreaterThan(10);
		} finally {
			clearInterval(timer);
		}
	});
});
