// Service locations from CSV and GeoJSON: opening hours, categories, coordinates, and the exact
// row/field of every problem.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import {
	SERVICE_CELL_RES,
	createCategoryResolver,
	createServiceCsvValidator,
	parseServicesCsv,
	parseServicesGeoJson,
	type ServiceContext,
	type ServiceRow
} from '../../src/lib/domain/import/services';
import { normaliseOpeningHours } from '../../src/lib/domain/import/opening-hours';
import { serviceCsvMappingSchema, serviceGeoJsonMappingSchema } from '../../src/lib/domain/import/mapping';
import type { RowBatch } from '../../src/lib/domain/import/rows';
import { csvSource } from '../../src/lib/server/imports/csv-stream';
import { GHENT_BBOX } from '../fixtures/import/make-nasty';
import { assertValueTargets, ValueTally } from '../../src/lib/domain/import/value-map';
import type { UserInputError } from '../../src/lib/domain/errors';

const FIX = 'tests/fixtures/import/';
const ctx: ServiceContext = { area: { bbox: GHENT_BBOX }, categories: DEFAULT_VOCABULARIES.service_category };
const cat = (code: string) => DEFAULT_VOCABULARIES.service_category.find((e) => e.code === code)!.id;

async function* once(bytes: Uint8Array) {
	yield bytes;
}
async function drain<T>(gen: AsyncGenerator<RowBatch<T>, unknown>) {
	const out = {
		rows: [] as T[],
		errors: [] as RowBatch<T>['errors'],
		warnings: [] as RowBatch<T>['warnings'],
		counts: undefined as RowBatch<T>['counts'] | undefined
	};
	for await (const b of gen) {
		out.rows.push(...b.rows);
		out.errors.push(...b.errors);
		out.warnings.push(...b.warnings);
		out.counts = b.counts;
	}
	return out;
}
const brief = (issues: { row: number; field: string; code: string }[]) => issues.map((i) => [i.row, i.field, i.code]);

describe('opening hours', () => {
	it.each([
		['Mo-Fr 09:00-17:00', 'Mo-Fr 09:00-17:00'],
		['Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00', 'Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00'],
		['Mo-Fr 08:00-18:00; PH off', 'Mo-Fr 08:00-18:00; PH off'],
		['24/7', '24/7'],
		['ma-vr 9u-17u', 'Mo-Fr 09:00-17:00'],
		['maandag t/m vrijdag 9.00 - 17.00 uur', 'Mo-Fr 09:00-17:00'],
		['za 10-14, zo gesloten', 'Sa 10:00-14:00; Su off'],
		['di, do 13-17u', 'Tu,Th 13:00-17:00'],
		['ma, wo en vr 9-12', 'Mo,We,Fr 09:00-12:00'],
		['ma-zo 21u-8u', 'Mo-Su 21:00-08:00'],
		['Mon-Fri 9:30-16:00', 'Mo-Fr 09:30-16:00']
	])('%s → %s', (raw, osm) => {
		expect(normaliseOpeningHours(raw)).toEqual({ ok: true, value: osm });
	});

	it('keeps what it cannot read, flagged; empty is null', () => {
		expect(normaliseOpeningHours('op afspraak')).toEqual({ ok: false, value: 'op afspraak' });
		expect(normaliseOpeningHours('  ')).toEqual({ ok: true, value: null });
	});
});

describe('category mapping', () => {
	const entries = DEFAULT_VOCABULARIES.service_category;
	it('maps user values first, then vocabulary codes and labels, then the default', () => {
		const r = createCategoryResolver(entries, { 'Sociale kruidenier': 'voedselhulp' }, 'Dagcentrum');
		expect(r.problems).toEqual([]);
		expect(r.resolve(['sociale KRUIDENIER'])).toEqual({ value: 'sociale KRUIDENIER', r: { how: 'mapped', id: cat('voedselhulp') } });
		expect(r.resolve(['Night shelter'])).toEqual({ value: 'Night shelter', r: { how: 'exact', id: cat('nachtopvang') } });
		expect(r.resolve(['iets anders'])).toEqual({ value: 'iets anders', r: { how: 'none' }, fallback: cat('dagcentrum') });
		// a package's candidates: the one the user mapped wins over one the vocabulary knows
		expect(r.resolve(['Dagcentrum', 'Sociale kruidenier'])).toMatchObject({ value: 'Sociale kruidenier', r: { how: 'mapped' } });
	});
	it('reports mapping targets that are no category of the org', () => {
		const r = createCategoryResolver(entries, { x: 'bestaat-niet' });
		expect(r.problems.map((p) => [p.row, p.code, p.value])).toEqual([[0, 'unknown_category_code', 'bestaat-niet']]);
		expect(r.resolve(['x'])).toEqual({ value: 'x', r: { how: 'none' } });
		expect(r.resolve([])).toBeNull();
	});
});

describe('category values: tallied and matched as contacts and signals values are', () => {
	// another system's words: the code as a label, a loose spelling, a foreign word, one to refuse
	const text = [
		'Naam;Soort;lat;lng',
		'Asiel Noord;NACHTOPVANG;51.06;3.72',
		'Asiel Zuid;nachtopvang;51.04;3.72',
		'Bedeling;Voedselbedeling;51.05;3.73',
		'Pand;Inloopcentra;51.05;3.71',
		'Hoek;Straathoek;51.05;3.70',
		'Hoek 2;Straathoek;51.05;3.70'
	].join('\n');
	const mapping = { name: 'Naam', category: 'Soort', lat: 'lat', lng: 'lng' };
	const run = async (categories?: Record<string, string | null>) => {
		const tally = new ValueTally();
		const out = await drain(parseServicesCsv(csvSource(once(new TextEncoder().encode(text))), { ...mapping, categories }, { ...ctx, tally }));
		return { out, values: tally.summary({ service_category: DEFAULT_VOCABULARIES.service_category }) };
	};

	it('lists each distinct value with its rows, how it matched and the closest entries, unmatched first', async () => {
		const { out, values } = await run();
		expect(values.values.map((v) => [v.field, v.value, v.rows, v.how, v.code ?? v.suggestions])).toEqual([
			['category', 'Straathoek', 2, 'none', []],
			['category', 'Inloopcentra', 1, 'none', ['inloop']],
			['category', 'Voedselbedeling', 1, 'none', []],
			['category', 'nachtopvang', 1, 'exact', 'nachtopvang'],
			['category', 'NACHTOPVANG', 1, 'loose', 'nachtopvang']
		]);
		expect(brief(out.errors)).toEqual([
			[4, 'Soort', 'unmapped_category'],
			[5, 'Soort', 'unmapped_category'],
			[6, 'Soort', 'unmapped_category'],
			[7, 'Soort', 'unmapped_category']
		]);
	});

	it("applies the user's map: an entry, and null refuses the rows with that value", async () => {
		const { out, values } = await run({ Voedselbedeling: 'voedselhulp', inloopcentra: 'Inloopcentrum', Straathoek: null });
		expect(out.rows.map((r) => [r.name, r.category])).toEqual([
			['Asiel Noord', cat('nachtopvang')],
			['Asiel Zuid', cat('nachtopvang')],
			['Bedeling', cat('voedselhulp')],
			['Pand', cat('inloop')]
		]);
		expect(out.errors.map((e) => [e.row, e.code, e.value])).toEqual([
			[6, 'rejected_value', 'Straathoek'],
			[7, 'rejected_value', 'Straathoek']
		]);
		expect(values.values.filter((v) => v.how === 'mapped').map((v) => [v.value, v.code])).toEqual([
			['Inloopcentra', 'inloop'],
			['Voedselbedeling', 'voedselhulp']
		]);
		expect(values.values.find((v) => v.value === 'Straathoek')).toMatchObject({ rows: 2, how: 'rejected' });
	});

	it('a map naming a category the organisation lacks is refused under `categories`, naming value and code', () => {
		const lists = { service_category: DEFAULT_VOCABULARIES.service_category };
		expect(() => assertValueTargets({ category: { Voedselbedeling: 'voedselhulp', Straathoek: null } }, lists)).not.toThrow();
		const e = (() => {
			try {
				assertValueTargets({ category: { Pand: 'pand' } }, lists);
			} catch (x) {
				return x as UserInputError;
			}
		})();
		expect(e?.info()).toMatchObject({ code: 'unknownValueCode', param: 'categories', values: { value: 'Pand', code: 'pand' } });
	});
});

describe('services CSV (Windows-1252, ";", comma decimals, Lambert 72)', () => {
	const mapping = serviceCsvMappingSchema.parse({
		externalId: 'ID',
		name: 'Naam',
		category: 'Soort',
		lat: 'Breedte',
		lng: 'Lengte',
		x: 'X',
		y: 'Y',
		address: 'Adres',
		capacity: 'Capaciteit',
		openingHours: 'Openingsuren'
	});

	it('imports the good rows with normalised hours and res-12 cells, and names row and column of the bad ones', async () => {
		const r = await drain(parseServicesCsv(csvSource(once(readFileSync(FIX + 'services-1252.csv'))), mapping, ctx));
		expect(r.counts).toEqual({ records: 6, valid: 3, rejected: 3, duplicates: 0, emptyLines: 1 });
		expect(r.rows).toEqual<ServiceRow[]>([
			{
				externalId: 'V1',
				category: cat('nachtopvang'),
				name: 'Nachtopvang Dampoort',
				cell: latLngToCell(51.056, 3.741, SERVICE_CELL_RES),
				address: 'Dampoortstraat 1, 9000 Gent',
				capacity: 40,
				openingHours: 'Mo-Su 21:00-08:00'
			},
			// Lambert 72 x/y (the lat/lng cells are empty), category by code, Dutch hours rewritten
			{
				externalId: 'V2',
				category: cat('gezondheid'),
				name: 'Gezondheidspost Zuid',
				cell: r.rows[1]!.cell,
				address: 'Zuidlaan 3',
				capacity: null,
				openingHours: 'Mo-Fr 09:00-17:00'
			},
			{
				externalId: 'V6',
				category: cat('schadebeperking'),
				name: 'Douche Oost',
				cell: latLngToCell(51.0561, 3.7412, SERVICE_CELL_RES),
				address: 'Oostakker',
				capacity: null,
				openingHours: '24/7'
			}
		]);
		// the Lambert point lands within a few metres of where it was made from
		expect(r.rows[1]!.cell.slice(0, 9)).toBe(latLngToCell(51.0475, 3.7275, SERVICE_CELL_RES).slice(0, 9));
		expect(brief(r.errors)).toEqual([
			[4, 'Capaciteit', 'invalid_capacity'],
			[5, 'Soort', 'unmapped_category'],
			[6, 'Breedte', 'swapped']
		]);
		expect(r.errors[1]!.message.nl).toBe(
			'Rij 5, kolom ‘Soort’: ‘Sociale kruidenier’ is aan geen categorie van voorzieningen gekoppeld; voeg het toe aan de categoriekoppeling'
		);
		expect(r.errors[0]!.message.en).toBe('Row 4, column ‘Capaciteit’: ‘veertig’ is not a valid capacity (a whole number from 0)');
	});

	it('with a category mapping, a default category and fixSwapped every row comes in', async () => {
		const r = await drain(
			parseServicesCsv(
				csvSource(once(readFileSync(FIX + 'services-1252.csv'))),
				{ ...mapping, capacity: undefined, categories: { 'Sociale kruidenier': 'voedselhulp' }, defaultCategory: 'dagcentrum' },
				{ ...ctx, fixSwapped: true }
			)
		);
		expect(r.counts).toMatchObject({ valid: 6, rejected: 0 });
		expect(r.rows.find((s) => s.externalId === 'V4')).toMatchObject({ name: 'Kruidenier Één', category: cat('voedselhulp') });
		expect(brief(r.warnings)).toEqual([[6, 'Breedte', 'swapped_fixed']]);
	});

	it('refuses a mapping without coordinates or without any category', () => {
		expect(serviceCsvMappingSchema.safeParse({ name: 'Naam', category: 'Soort' }).success).toBe(false);
		expect(serviceCsvMappingSchema.safeParse({ name: 'Naam', lat: 'a', lng: 'b' }).success).toBe(false);
		expect(serviceCsvMappingSchema.safeParse({ name: 'Naam', lat: 'a', lng: 'b', defaultCategory: 'caw' }).success).toBe(true);
	});

	it('a derived id (no ID column) is stable and follows name and place', () => {
		const validate = createServiceCsvValidator({ name: 'n', category: 'c', lat: 'la', lng: 'lo' }, ctx);
		const a = validate({ n: 'Dagcentrum Noord', c: 'Dagcentrum', la: '51,06', lo: '3,72' }, 2);
		const b = validate({ n: 'dagcentrum  noord', c: 'dagcentrum', la: '51.06', lo: '3.72' }, 3);
		expect(a.ok && b.ok).toBe(true);
		if (a.ok && b.ok) expect(a.row.externalId).toBe(b.row.externalId);
	});
});

describe('services GeoJSON', () => {
	const mapping = serviceGeoJsonMappingSchema.parse({
		name: 'naam',
		category: 'soort',
		capacity: 'plaatsen',
		openingHours: 'uren',
		address: 'adres'
	});
	const value = JSON.parse(readFileSync(FIX + 'services.geojson', 'utf8'));

	it('reads points (feature ids as external ids) and names feature and property of each problem', () => {
		const r = parseServicesGeoJson(value, mapping, ctx);
		expect(r.counts).toMatchObject({ records: 5, valid: 2, rejected: 3 });
		expect(r.rows.map((s) => [s.externalId, s.category, s.capacity, s.openingHours])).toEqual([
			['osm-1', cat('nachtopvang'), 40, 'Mo-Su 21:00-08:00'],
			['osm-2', cat('inloop'), null, 'Mo-Fr 09:00-17:00']
		]);
		expect(brief(r.errors)).toEqual([
			[3, 'soort', 'unmapped_category'],
			[4, 'geometry', 'not_point'],
			[5, 'geometry', 'outside']
		]);
		expect(r.errors[1]!.message).toEqual({
			nl: 'Object 4, eigenschap ‘geometry’: de geometrie is ‘Polygon’, geen punt (Point)',
			en: 'Feature 4, property ‘geometry’: the geometry is ‘Polygon’, not a Point'
		});
		expect(brief(r.warnings)).toEqual([[3, 'uren', 'opening_hours_unrecognised']]);
	});

	it('a file that is no FeatureCollection is one file-level error', () => {
		const r = parseServicesGeoJson({ type: 'Feature' }, mapping, ctx);
		expect(brief(r.errors)).toEqual([[0, '', 'not_feature_collection']]);
		expect(r.rows).toEqual([]);
	});

	it('the same id twice with different content is an error, identical copies are skipped', () => {
		const f = value.features[0];
		const twice = { type: 'FeatureCollection', features: [f, f, { ...f, properties: { ...f.properties, plaatsen: 41 } }] };
		const r = parseServicesGeoJson(twice, mapping, ctx);
		expect(r.counts).toMatchObject({ records: 3, valid: 1, duplicates: 1, rejected: 1 });
		expect(brief(r.errors)).toEqual([[3, 'id', 'duplicate_code']]);
	});
});
