// Area layers and area indicators against a real database: upserts by (layer, code), no
// duplicates on re-import, updates of changed areas and values, nothing written on failure.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { areaIndicators, importAreaIndicators, importAreas } from '../../src/lib/server/imports/areas';
import type { KindImportOptions } from '../../src/lib/server/imports/run';
import { areaFeatures } from '../../src/lib/server/queries/areas';
import type { AreaMapping } from '../../src/lib/domain/import/mapping';
import { GHENT_BBOX, NOW } from '../fixtures/import/make-nasty';

const FIX = 'tests/fixtures/import/';
let t: TestDatabase;
let orgId: number;

async function* chunks(bytes: Uint8Array, size = 64 * 1024) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const opts = (patch: Partial<KindImportOptions> = {}): KindImportOptions => ({
	orgId,
	userId: null,
	source: 'gent',
	mode: 'commit',
	skipInvalid: true,
	now: new Date(NOW),
	...patch
});
const mapping: AreaMapping = { layer: 'wijk', code: 'wijk_code', name: 'wijk_naam', population: 'inwoners', parent: 'deel_van' };
const layerBytes = () => readFileSync(FIX + 'areas.geojson');
const areaCount = async () => (await t.sql`select count(*)::int as n from area where org_id = ${orgId}`)[0]!.n as number;
const indicatorCount = async () => (await t.sql`select count(*)::int as n from area_indicator where org_id = ${orgId}`)[0]!.n as number;

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'areas', name: 'Areas', bbox: [...GHENT_BBOX] })).orgId;
});
afterAll(() => t?.cleanup());

describe(dbTitle('areas import'), () => {
	it('broken features roll the commit back unless skipInvalid', async () => {
		const r = await importAreas(t.sql, chunks(layerBytes()), mapping, opts({ skipInvalid: false }));
		expect(r.status).toBe('rolled-back');
		expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
			[3, 'geometry', 'unclosed_ring'],
			[4, 'geometry', 'not_polygon'],
			[5, 'geometry', 'too_few_positions'],
			[7, 'wijk_naam', 'required']
		]);
		expect(await areaCount()).toBe(0);
	});

	it('imports the valid areas once; again adds nothing; a renamed area is updated', async () => {
		const a = await importAreas(t.sql, chunks(layerBytes()), mapping, opts());
		expect(a.counts).toMatchObject({ records: 7, valid: 3, rejected: 4, imported: 3 });
		const b = await importAreas(t.sql, chunks(layerBytes(), 1000), mapping, opts());
		expect(b.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 3 });
		expect(await areaCount()).toBe(3);

		const renamed = new TextEncoder().encode(readFileSync(FIX + 'areas.geojson', 'utf8').replace('"Noordwijk"', '"Noordwijk-Oost"'));
		const c = await importAreas(t.sql, chunks(renamed), mapping, opts());
		expect(c.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 2 });
		const fc = await areaFeatures(t.sql, orgId, 'wijk');
		expect(fc.features.map((f) => [f.properties.code, f.properties.name, f.properties.population, f.geometry.type])).toEqual([
			['A1', 'Noordwijk-Oost', 1200, 'Polygon'],
			['B2', 'Zuidwijk', 2500, 'MultiPolygon'],
			['F6', 'Lambertwijk', 800, 'Polygon']
		]);
	});

	it('refuses a code that differs from a stored one only in case, instead of making a second area', async () => {
		const before = await areaCount();
		const lower = new TextEncoder().encode(new TextDecoder().decode(layerBytes()).replace('"wijk_code": "A1"', '"wijk_code": "a1"'));
		const r = await importAreas(t.sql, chunks(lower), mapping, opts({ mode: 'dry-run' }));
		expect(r.errors.filter((e) => e.code === 'code_case').map((e) => e.value)).toEqual(['a1']);
		expect(await areaCount()).toBe(before);
	});

	it('without a population property the stored populations stay', async () => {
		const { population: _, ...noPop } = mapping;
		const r = await importAreas(t.sql, chunks(layerBytes()), noPop, opts());
		expect(r.counts).toMatchObject({ imported: 0, updated: 1 }); // A1's name goes back to Noordwijk
		const [a1] = await t.sql`select name, population from area where org_id = ${orgId} and layer = 'wijk' and code = 'A1'`;
		expect(a1).toEqual({ name: 'Noordwijk', population: 1200 });
	});
});

describe(dbTitle('area indicators import'), () => {
	const indicatorMapping = { layer: 'wijk', code: 'code', population: 'bevolking', indicators: '*' as const };
	const body = () => chunks(readFileSync(FIX + 'indicators.csv'));

	it('updates populations and stores the indicators; again changes nothing', async () => {
		const r = await importAreaIndicators(t.sql, body(), indicatorMapping, opts());
		// F6 has "abc" as density; Z9 is no area, nor is G7 (its feature was rejected): those rows
		// are rejected (skipInvalid); A1 gets a new population, A1 and B2 two values each: counted
		// per row, like every import (a row brings new values: imported)
		expect(r.counts).toMatchObject({ records: 5, valid: 2, rejected: 3, imported: 2, updated: 0, unchanged: 0 });
		expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([
			[4, 'dichtheid', 'invalid_number'],
			[5, 'code', 'unknown_area'],
			[6, 'code', 'unknown_area']
		]);
		expect(await areaIndicators(t.sql, orgId, 'wijk')).toEqual({
			A1: { aandeel_65plus: 18.2, dichtheid: 5321.5 },
			B2: { aandeel_65plus: 21, dichtheid: 4100 }
		});
		const [a1] = await t.sql`select population from area where org_id = ${orgId} and layer = 'wijk' and code = 'A1'`;
		expect(a1!.population).toBe(1250);

		const again = await importAreaIndicators(t.sql, body(), indicatorMapping, opts());
		expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 2, skipped: 2 });
		expect(await indicatorCount()).toBe(4);
	});

	it('a changed value is updated in place', async () => {
		const csv = new TextEncoder().encode('code;dichtheid\nB2;4200\n');
		const r = await importAreaIndicators(t.sql, chunks(csv), { layer: 'wijk', code: 'code', indicators: ['dichtheid'] }, opts());
		expect(r.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 0 });
		expect((await areaIndicators(t.sql, orgId, 'wijk')).B2).toEqual({ aandeel_65plus: 21, dichtheid: 4200 });
	});

	it('counts each row once, however many indicators it carries, and matches codes ignoring case', async () => {
		const m = { layer: 'wijk', code: 'code', population: 'bevolking', indicators: ['werkloosheid', 'leefloon'] };
		const file = (text: string) => chunks(new TextEncoder().encode(text));
		const two = 'code;bevolking;werkloosheid;leefloon\nF6;810;7,5;3\nb2 ;2.500;9;4\n';
		const sum = (c: { imported: number; updated: number; unchanged: number; rejected: number; duplicates: number }) =>
			c.imported + c.updated + c.unchanged + c.rejected + c.duplicates;

		const first = await importAreaIndicators(t.sql, file(two), m, opts());
		expect(first.counts).toMatchObject({ records: 2, valid: 2, imported: 2, updated: 0, unchanged: 0, skipped: 0 });
		expect(sum(first.counts)).toBe(2);
		const again = await importAreaIndicators(t.sql, file(two), m, opts());
		expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 2, skipped: 2 });
		expect(sum(again.counts)).toBe(2);
		const ind = await areaIndicators(t.sql, orgId, 'wijk');
		expect([ind.F6?.werkloosheid, ind.B2?.leefloon]).toEqual([7.5, 4]);

		// one changed value, one changed population, a duplicate and a new indicator
		const mixed = 'code;bevolking;werkloosheid;leefloon\nF6;810;8;3\nB2;2600;9;4\nb2;2600;9;4\nA1;;1;\n';
		const third = await importAreaIndicators(t.sql, file(mixed), m, opts());
		expect(third.counts).toMatchObject({ records: 4, valid: 3, duplicates: 1, imported: 1, updated: 2, unchanged: 0 });
		expect(sum(third.counts)).toBe(4);
		const pops = await t.sql`select code, population from area where org_id = ${orgId} and layer = 'wijk' and code in ('B2', 'F6') order by code`;
		expect(pops).toEqual([
			{ code: 'B2', population: 2600 },
			{ code: 'F6', population: 810 }
		]);
	});

	it('a failure midway leaves nothing half-written', async () => {
		const before = await t.sql`select code, indicator, value from area_indicator order by 1, 2`;
		const lines = ['code;x'];
		for (let i = 0; i < 20000; i++) lines.push(`A1;${i}`); // duplicate codes with different values: rejected, but read through
		lines.splice(1, 0, ...Array.from({ length: 3000 }, () => 'B2;7'));
		const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
		async function* failing() {
			let i = 0;
			for await (const c of chunks(bytes, 4 * 1024)) {
				if (++i === 40) throw new Error('disk full'); // well past the stream's read-ahead
				yield c;
			}
		}
		const written: number[] = [];
		const onProgress = (p: { counts: { valid: number } }) => written.push(p.counts.valid);
		await expect(importAreaIndicators(t.sql, failing(), { layer: 'wijk', code: 'code', indicators: ['x'] }, opts({ onProgress }))).rejects.toThrow(
			'disk full'
		);
		expect(written[0]).toBe(1); // B2's new indicator was upserted before the failure
		expect(written.length).toBeGreaterThan(1);
		expect(await t.sql`select code, indicator, value from area_indicator order by 1, 2`).toEqual(before);
	});
});
