// Area layers (GeoJSON Polygon/MultiPolygon) and indicator CSVs.
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { checkPolygonGeometry, parseAreaIndicatorsCsv, parseAreasGeoJson, type IndicatorRow } from '../../src/lib/domain/import/areas';
import { areaIndicatorMappingSchema, areaMappingSchema } from '../../src/lib/domain/import/mapping';
import type { RowBatch } from '../../src/lib/domain/import/rows';
import { csvSource } from '../../src/lib/server/imports/csv-stream';
import { GHENT_BBOX } from '../fixtures/import/make-nasty';

const FIX = 'tests/fixtures/import/';
const layer = JSON.parse(readFileSync(FIX + 'areas.geojson', 'utf8'));
const mapping = areaMappingSchema.parse({ layer: 'wijk', code: 'wijk_code', name: 'wijk_naam', population: 'inwoners', parent: 'deel_van' });
const ctx = { area: { bbox: GHENT_BBOX } };
const brief = (issues: { row: number; field: string; code: string }[]) => issues.map((i) => [i.row, i.field, i.code]);

describe('area layer', () => {
	const r = parseAreasGeoJson(layer, mapping, ctx);

	it('keeps the Polygon, the MultiPolygon (with its hole) and the Lambert 72 polygon converted to WGS84', () => {
		expect(r.counts).toMatchObject({ records: 7, valid: 3, rejected: 4 });
		expect(r.rows.map((a) => [a.externalId, a.name, a.parentCode, a.population, a.geometry.type])).toEqual([
			['A1', 'Noordwijk', null, 1200, 'Polygon'],
			['B2', 'Zuidwijk', 'A1', 2500, 'MultiPolygon'],
			['F6', 'Lambertwijk', null, 800, 'Polygon']
		]);
		const multi = r.rows[1]!.geometry;
		expect(multi.type === 'MultiPolygon' && multi.coordinates.map((p) => p.length)).toEqual([2, 1]);
		// the Lambert square was made from (3.76, 51.05) with sides of 0.01°
		const ring = (r.rows[2]!.geometry.coordinates as number[][][])[0]!;
		expect(ring[0]![0]).toBeCloseTo(3.76, 5);
		expect(ring[0]![1]).toBeCloseTo(51.05, 5);
		expect(ring[2]![0]).toBeCloseTo(3.77, 5);
		expect(brief(r.warnings)).toEqual([[0, '', 'crs_converted']]);
	});

	it('rejects broken features naming the feature and the property', () => {
		expect(brief(r.errors)).toEqual([
			[3, 'geometry', 'unclosed_ring'],
			[4, 'geometry', 'not_polygon'],
			[5, 'geometry', 'too_few_positions'],
			[7, 'wijk_naam', 'required']
		]);
		expect(r.errors.map((e) => e.message.nl)).toEqual([
			'Object 3 (‘C3’), eigenschap ‘geometry’: de buitenring is niet gesloten: de eerste positie ‘3.73, 51.07’ verschilt van de laatste ‘3.73, 51.08’',
			'Object 4 (‘D4’), eigenschap ‘geometry’: de geometrie is ‘LineString’, geen Polygon of MultiPolygon',
			'Object 5 (‘E5’), eigenschap ‘geometry’: de buitenring heeft 3 posities; een ring heeft er minstens 4 nodig (de eerste herhaald als laatste)',
			'Object 7, eigenschap ‘wijk_naam’: verplichte waarde ontbreekt'
		]);
		expect(r.errors[3]!.message.en).toBe('Feature 7, property ‘wijk_naam’: required value is missing');
	});

	it('names the polygon and ring inside a MultiPolygon', () => {
		const g = {
			type: 'MultiPolygon',
			coordinates: [
				[
					[
						[3.7, 51],
						[3.71, 51],
						[3.71, 51.01],
						[3.7, 51]
					]
				],
				[
					[
						[3.7, 51],
						[3.71, 51],
						[3.7, 51]
					]
				]
			]
		};
		const c = checkPolygonGeometry(g, 9, 'auto');
		expect(c.errors.map((e) => e.message.en)).toEqual([
			'Feature 9, property ‘geometry’: polygon 2, the outer ring has 3 positions; a ring needs at least 4 (the first repeated as the last)'
		]);
		const bad = checkPolygonGeometry(
			{
				type: 'Polygon',
				coordinates: [
					[
						[3.7, 51],
						['x', 51],
						[3.71, 51.01],
						[3.7, 51]
					]
				]
			},
			1,
			'auto'
		);
		expect(brief(bad.errors)).toEqual([[1, 'geometry', 'invalid_position']]);
	});

	it('rejects areas outside the org unless accepted, and duplicate codes', () => {
		const far = {
			type: 'Feature',
			properties: { wijk_code: 'X', wijk_naam: 'Brussel' },
			geometry: {
				type: 'Polygon',
				coordinates: [
					[
						[4.3, 50.8],
						[4.4, 50.8],
						[4.4, 50.9],
						[4.3, 50.8]
					]
				]
			}
		};
		const fc = {
			type: 'FeatureCollection',
			features: [
				layer.features[0],
				far,
				layer.features[0],
				{ ...layer.features[0], properties: { ...layer.features[0].properties, wijk_naam: 'Anders' } }
			]
		};
		expect(brief(parseAreasGeoJson(fc, mapping, ctx).errors)).toEqual([
			[2, 'geometry', 'geometry_outside'],
			[4, 'wijk_code', 'duplicate_code']
		]);
		const accepted = parseAreasGeoJson(fc, mapping, { ...ctx, acceptOutside: true });
		expect(accepted.counts).toMatchObject({ valid: 2, duplicates: 1, rejected: 1 });
	});

	it('layer names are short keys', () => {
		expect(areaMappingSchema.safeParse({ layer: 'wijk sector', code: 'a', name: 'b' }).success).toBe(false);
		expect(areaMappingSchema.safeParse({ layer: 'sector_2024', code: 'a', name: 'b' }).success).toBe(true);
	});

	const square = (code: string, population: unknown, ...rings: number[][][]) => ({
		type: 'Feature',
		properties: { wijk_code: code, wijk_naam: code, inwoners: population },
		geometry: { type: 'Polygon', coordinates: rings }
	});
	const OUTER = [
		[3.7, 51],
		[3.72, 51],
		[3.72, 51.02],
		[3.7, 51.02],
		[3.7, 51]
	];

	it('reads populations with Belgian thousands dots or spaces; a fraction is no population', () => {
		const fc = { type: 'FeatureCollection', features: ['1.234', '1 234', '1.234,0', 5678, '12,5', '1,234'].map((p, i) => square(`P${i}`, p, OUTER)) };
		const res = parseAreasGeoJson(fc, mapping, ctx);
		expect(res.rows.map((a) => [a.externalId, a.population])).toEqual([
			['P0', 1234],
			['P1', 1234],
			['P2', 1234],
			['P3', 5678]
		]);
		expect(brief(res.errors)).toEqual([
			[5, 'inwoners', 'invalid_population'],
			[6, 'inwoners', 'ambiguous_number']
		]);
	});

	it('splits a bow-tie ring into its two parts, with a warning naming the feature, the ring and the crossing', () => {
		const bow = [
			[3.7, 51],
			[3.71, 51.01],
			[3.71, 51],
			[3.7, 51.01],
			[3.7, 51]
		];
		const res = parseAreasGeoJson({ type: 'FeatureCollection', features: [square('OK', 1, OUTER), square('BOW', 1, bow)] }, mapping, ctx);
		expect(res.rows.map((a) => a.externalId)).toEqual(['OK', 'BOW']);
		expect(res.errors).toEqual([]);
		expect(res.warnings.map((w) => w.message.en)).toEqual([
			'Feature 2 (‘BOW’), property ‘geometry’: the outer ring crosses itself at ‘3.705, 51.005’; the area was split there into 2 parts (as ‘Fix geometries’ in QGIS does)'
		]);
		const g = res.rows[1]!.geometry;
		expect(g.type).toBe('MultiPolygon');
		expect(booleanPointInPolygon([3.701, 51.005], g)).toBe(true);
		expect(booleanPointInPolygon([3.709, 51.005], g)).toBe(true);
		expect(booleanPointInPolygon([3.705, 51.001], g)).toBe(false);
	});

	it('refuses a ring crossing itself that cannot be split unambiguously, naming the feature, the reason and the first crossing', () => {
		// the ring winds round a second time: is the inner square a hole or counted twice?
		const twice = [
			[3.7, 51],
			[3.74, 51],
			[3.74, 51.04],
			[3.7, 51.04],
			[3.7, 51.01],
			[3.73, 51.01],
			[3.73, 51.03],
			[3.71, 51.03],
			[3.71, 50.99],
			[3.7, 50.99],
			[3.7, 51]
		];
		const res = parseAreasGeoJson({ type: 'FeatureCollection', features: [square('TWICE', 1, twice)] }, mapping, ctx);
		expect(res.rows).toEqual([]);
		expect(res.errors.map((e) => e.message.en)).toEqual([
			'Feature 1 (‘TWICE’), property ‘geometry’: the outer ring crosses or touches itself at ‘3.71, 51’; area and map would be wrong: fix the geometry (e.g. with ‘Fix geometries’ in QGIS)'
		]);
	});

	it('rejects a hole over the edge or outside the outer ring, and a ring passing a position twice', () => {
		const over = [
			[3.71, 51.01],
			[3.73, 51.01],
			[3.73, 51.015],
			[3.71, 51.015],
			[3.71, 51.01]
		];
		const outside = [
			[3.8, 51.01],
			[3.81, 51.01],
			[3.81, 51.015],
			[3.8, 51.01]
		];
		const pinched = [
			[3.7, 51],
			[3.72, 51],
			[3.71, 51.01],
			[3.72, 51.02],
			[3.7, 51.02],
			[3.71, 51.01],
			[3.7, 51]
		];
		const g = (rings: number[][][]) => checkPolygonGeometry({ type: 'Polygon', coordinates: rings }, 1, 'auto');
		expect(g([OUTER, over]).errors.map((e) => e.message.nl)).toEqual([
			'Object 1, eigenschap ‘geometry’: binnenring 1 kruist of raakt de buitenring bij ‘3.72, 51.01’; dan kloppen de oppervlakte en de kaart niet: verbeter de geometrie (bv. in QGIS met ‘Geometrieën repareren’)'
		]);
		expect(g([OUTER, outside]).errors.map((e) => e.message.en)).toEqual([
			'Feature 1, property ‘geometry’: inner ring 1 lies outside the outer ring; a hole must lie inside the area'
		]);
		expect(brief(g([pinched]).errors)).toEqual([[1, 'geometry', 'ring_crosses']]);
		// a hole touching the outer ring at one position is valid
		const touching = [
			[3.7, 51.01],
			[3.71, 51.005],
			[3.71, 51.015],
			[3.7, 51.01]
		];
		expect(g([OUTER, touching]).errors).toEqual([]);
	});

	it('cuts off a tiny spike from rounded coordinates, with a warning', () => {
		const spike = [
			[3.7, 51],
			[3.72, 51],
			[3.72, 51.01],
			[3.72001, 51.01],
			[3.72, 51.01],
			[3.72, 51.02],
			[3.7, 51.02],
			[3.7, 51]
		];
		const c = checkPolygonGeometry({ type: 'Polygon', coordinates: [spike] }, 3, 'auto');
		expect(c.errors).toEqual([]);
		expect(c.geometry).toBeDefined();
		expect(c.warnings.map((w) => w.message.nl)).toEqual([
			'Object 3, eigenschap ‘geometry’: de buitenring raakt of kruist zichzelf bij ‘3.72, 51.01’ in een heel klein lusje of uitsteeksel (1 in totaal, samen 0 m²; wellicht afgeronde coördinaten); het is weggeknipt'
		]);
		// the same square without the spike (from another start position, maybe)
		const ring = (c.geometry!.coordinates as number[][][])[0]!;
		expect(ring).toHaveLength(6);
		expect(new Set(ring.map(String))).toEqual(new Set(spike.filter((_, i) => i !== 3).map(String)));
	});

	it('the Ghent sector and district layers pass: 4 sectors with rounding loops have them cut off, with a warning', () => {
		const m = areaMappingSchema.parse({ layer: 'sector', code: 'nis9_code', name: 'sectornaam' });
		const sectors = JSON.parse(readFileSync('src/lib/server/demo/gent/statistical-sectors.geojson', 'utf8'));
		const res = parseAreasGeoJson(sectors, m, ctx);
		expect(res.counts).toMatchObject({ records: 254, valid: 254, rejected: 0 });
		expect(res.warnings.map((w) => [w.row, w.code])).toEqual([
			[94, 'loop_removed'],
			[114, 'loop_removed'],
			[115, 'loop_removed'],
			[220, 'loop_removed']
		]);
		const districts = JSON.parse(readFileSync('src/lib/server/demo/gent/wijken.geojson', 'utf8'));
		const d = parseAreasGeoJson(districts, areaMappingSchema.parse({ layer: 'wijk', code: 'wijknr', name: 'wijk' }), ctx);
		expect(d.counts).toMatchObject({ records: 25, valid: 25 });
		expect(d.warnings).toEqual([]);
	});

	it('refuses a code that differs from another only in case or spaces, in the file or stored already', () => {
		const square = (x: number) => ({
			type: 'Polygon',
			coordinates: [
				[
					[x, 51.03],
					[x + 0.01, 51.03],
					[x + 0.01, 51.04],
					[x, 51.04],
					[x, 51.03]
				]
			]
		});
		const feature = (code: string, x: number) => ({
			type: 'Feature',
			properties: { wijk_code: code, wijk_naam: `Wijk ${code}` },
			geometry: square(x)
		});
		const fc = { type: 'FeatureCollection', features: [feature('W1', 3.7), feature('W2', 3.72), feature(' w1', 3.74)] };
		const inFile = parseAreasGeoJson(fc, mapping, ctx);
		expect(inFile.counts).toMatchObject({ records: 3, valid: 2, rejected: 1 });
		expect(inFile.errors.map((e) => [e.row, e.code, e.message.nl])).toEqual([
			[3, 'code_case', expect.stringContaining('‘w1’ verschilt alleen in hoofdletters of spaties van ‘W1’ (object 1)')]
		]);
		const stored = parseAreasGeoJson({ type: 'FeatureCollection', features: [feature('w2', 3.72)] }, mapping, { ...ctx, storedCodes: ['W1', 'W2'] });
		expect(stored.errors.map((e) => [e.code, e.message.en])).toEqual([
			['code_case', expect.stringContaining('‘w2’ differs only in case or spaces from ‘W2’ (a stored area of this layer)')]
		]);
		// the same code again is the duplicate rule's business, not this one
		const again = parseAreasGeoJson({ type: 'FeatureCollection', features: [feature('W2', 3.72)] }, mapping, { ...ctx, storedCodes: ['W2'] });
		expect(again.errors).toEqual([]);
	});

	it('the stored (multi)polygon is lng/lat with its holes, as point-in-polygon reads it', () => {
		const multi = r.rows[1]!.geometry;
		expect(booleanPointInPolygon([3.701, 51.031], multi)).toBe(true);
		expect(booleanPointInPolygon([3.7075, 51.0375], multi)).toBe(false); // in the hole
		expect(booleanPointInPolygon([3.752, 51.032], multi)).toBe(true); // second polygon
		expect(booleanPointInPolygon([3.74, 51.04], multi)).toBe(false);
	});
});

describe('area indicators CSV', () => {
	async function* once(b: Uint8Array) {
		yield b;
	}
	async function drain(gen: AsyncGenerator<RowBatch<IndicatorRow>, unknown>) {
		const out = { rows: [] as IndicatorRow[], errors: [] as RowBatch<IndicatorRow>['errors'], counts: undefined as unknown };
		for await (const b of gen) {
			out.rows.push(...b.rows);
			out.errors.push(...b.errors);
			out.counts = b.counts;
		}
		return out;
	}
	const knownCodes = new Set(['A1', 'B2', 'F6', 'G7']);

	it('reads population and every other column as numbers; bad cells and unknown codes name row and column', async () => {
		const m = areaIndicatorMappingSchema.parse({ layer: 'wijk', code: 'code', population: 'bevolking', indicators: '*' });
		const r = await drain(parseAreaIndicatorsCsv(csvSource(once(readFileSync(FIX + 'indicators.csv'))), m, { knownCodes }));
		expect(r.counts).toMatchObject({ records: 5, valid: 3, rejected: 2 });
		expect(r.rows).toEqual([
			{
				externalId: 'A1',
				population: 1250,
				values: [
					{ indicator: 'dichtheid', value: 5321.5 },
					{ indicator: 'aandeel_65plus', value: 18.2 }
				]
			},
			{
				externalId: 'B2',
				population: null,
				values: [
					{ indicator: 'dichtheid', value: 4100 },
					{ indicator: 'aandeel_65plus', value: 21 }
				]
			},
			{ externalId: 'G7', population: null, values: [] }
		]);
		expect(r.errors.map((e) => e.message.nl)).toEqual([
			'Rij 4, kolom ‘dichtheid’: ‘abc’ is geen getal',
			'Rij 5, kolom ‘code’: ‘Z9’ is geen gebiedscode in de laag ‘wijk’; importeer eerst de gebieden'
		]);
	});

	it('only the listed indicator columns when listed', async () => {
		const m = areaIndicatorMappingSchema.parse({ layer: 'wijk', code: 'code', indicators: ['aandeel_65plus'] });
		const r = await drain(parseAreaIndicatorsCsv(csvSource(once(readFileSync(FIX + 'indicators.csv'))), m, { knownCodes }));
		expect(r.rows.map((x) => [x.externalId, x.population, x.values.map((v) => v.value)])).toEqual([
			['A1', null, [18.2]],
			['B2', null, [21]],
			['F6', null, [12.5]],
			['G7', null, []]
		]);
	});

	const csv = (text: string) => new TextEncoder().encode(text);

	it('matches area codes ignoring case and surrounding spaces, storing the code as the layer spells it', async () => {
		const m = areaIndicatorMappingSchema.parse({ layer: 'wijk', code: 'code', indicators: ['x'] });
		const r = await drain(parseAreaIndicatorsCsv(csvSource(once(csv('code;x\na1;1\n" b2 ";2\nf6 ;3\n'))), m, { knownCodes }));
		expect(r.errors).toEqual([]);
		expect(r.rows.map((x) => x.externalId)).toEqual(['A1', 'B2', 'F6']);
	});

	it('two spellings of one code in a file are one area: duplicates, not two rows', async () => {
		const m = areaIndicatorMappingSchema.parse({ layer: 'wijk', code: 'code', indicators: ['x'] });
		const r = await drain(parseAreaIndicatorsCsv(csvSource(once(csv('code;x\nA1;1\na1;1\nA1 ;2\n'))), m, { knownCodes }));
		expect(r.rows.map((x) => x.externalId)).toEqual(['A1']);
		expect(r.counts).toMatchObject({ valid: 1, duplicates: 1, rejected: 1 });
		expect(brief(r.errors)).toEqual([[4, 'code', 'duplicate_id']]);
	});

	it('refuses a code that matches two stored codes differing only in case; an exact match is kept', async () => {
		const m = areaIndicatorMappingSchema.parse({ layer: 'wijk', code: 'code', indicators: ['x'] });
		const r = await drain(parseAreaIndicatorsCsv(csvSource(once(csv('code;x\nAb1;1\naB1;2\nAB1;3\n'))), m, { knownCodes: new Set(['Ab1', 'aB1']) }));
		expect(r.rows.map((x) => x.externalId)).toEqual(['Ab1', 'aB1']);
		expect(r.errors.map((e) => e.message.nl)).toEqual([
			'Rij 4, kolom ‘code’: ‘AB1’ past bij meer dan één waarde in de lijst gebiedscodes van laag ‘wijk’ (‘Ab1’, ‘aB1’)'
		]);
	});

	it('reads populations with thousands dots or spaces; a fraction is refused', async () => {
		const m = areaIndicatorMappingSchema.parse({ layer: 'wijk', code: 'code', population: 'inw' });
		const r = await drain(parseAreaIndicatorsCsv(csvSource(once(csv('code;inw\nA1;1.234\nB2;1 234\nF6;"1.234,0"\nG7;"12,5"\n'))), m, { knownCodes }));
		expect(r.rows.map((x) => [x.externalId, x.population])).toEqual([
			['A1', 1234],
			['B2', 1234],
			['F6', 1234]
		]);
		expect(r.errors.map((e) => e.message.nl)).toEqual(['Rij 5, kolom ‘inw’: ‘12,5’ is geen geldig inwonertal (een geheel getal vanaf 0)']);
	});

	it('a mapping with nothing to store is refused', () => {
		expect(areaIndicatorMappingSchema.safeParse({ layer: 'wijk', code: 'code' }).success).toBe(false);
	});
});
