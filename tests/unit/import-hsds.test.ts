// Open Referral HSDS 3.x packages: the join, schedules → OSM opening hours, categories from
// taxonomy terms, and messages that name the package file, line and column.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { SERVICE_CELL_RES } from '../../src/lib/domain/import/services';
import { inspectHsds, parseHsdsPackage, schedulesToOsm, type HsdsContext } from '../../src/lib/domain/import/hsds';
import { hsdsMappingSchema } from '../../src/lib/domain/import/mapping';
import { tableOfFile } from '../../src/lib/domain/import/hsds-tables';
import { GHENT_BBOX } from '../fixtures/import/make-nasty';

const DIR = 'tests/fixtures/import/hsds/';
const files = (): Record<string, string> => Object.fromEntries(readdirSync(DIR).map((f) => [f, readFileSync(DIR + f, 'utf8')]));
const ctx: HsdsContext = { area: { bbox: GHENT_BBOX }, categories: DEFAULT_VOCABULARIES.service_category, today: '2026-06-01' };
const cat = (code: string) => DEFAULT_VOCABULARIES.service_category.find((e) => e.code === code)!.id;
const cell = (lat: number, lng: number) => latLngToCell(lat, lng, SERVICE_CELL_RES);
const brief = (issues: { row: number; field: string; code: string }[]) => issues.map((i) => [i.row, i.field, i.code]);

describe('HSDS package → service locations', () => {
	it('one location per service_at_location, with exact OSM opening hours, capacity, address and category', () => {
		const r = parseHsdsPackage(files(), hsdsMappingSchema.parse({ categories: { dropin: 'inloop', streetdoc: 'Gezondheidspost' } }), ctx);
		expect(r.batch.counts).toMatchObject({ records: 5, valid: 5, rejected: 0 });
		expect(r.ignored).toBe(1); // the inactive service
		expect(r.ignoredFiles).toEqual(['README.md']);
		expect(r.batch.rows).toEqual([
			{
				externalId: 'sal1',
				category: cat('nachtopvang'),
				name: 'Nachtopvang (Welzijnsnetwerk Oost)',
				cell: cell(51.056, 3.741),
				address: 'Dampoortstraat 1, 9000 Gent',
				capacity: 40,
				openingHours: 'Mo-Su 21:00-08:00'
			},
			{
				externalId: 'sal2',
				category: cat('inloop'),
				name: 'Inloopcentrum De Haven (vzw Straatkompas)',
				cell: cell(51.059, 3.719),
				address: 'Havenlaan 10, 9000 Gent',
				capacity: null,
				openingHours: 'Mo-Th 09:00-12:00,13:00-17:00; Fr 09:00-12:00'
			},
			{
				// taxonomy term "Voedselhulp" is a label of the vocabulary: no mapping needed; the
				// physical address wins over the postal one; capacity falls back to "available"
				externalId: 'sal3',
				category: cat('voedselhulp'),
				name: 'Voedselbedeling (Welzijnsnetwerk Oost)',
				cell: cell(51.038, 3.744),
				address: 'Ledebergplein 5, 9050 Gent',
				capacity: 80,
				openingHours: 'Tu,Th 14:00-16:00'
			},
			{
				// a schedule for this service at this location replaces the service's own
				externalId: 'sal4',
				category: cat('voedselhulp'),
				name: 'Voedselbedeling (Welzijnsnetwerk Oost)',
				cell: cell(51.057, 3.701),
				address: null,
				capacity: 80,
				openingHours: 'Sa 10:00-12:00'
			},
			{
				externalId: 'sal5',
				category: cat('gezondheid'),
				name: 'Straatdokter (Medisch Huis Zuid)',
				cell: cell(51.041, 3.727),
				address: null,
				capacity: null,
				openingHours: '24/7'
			}
		]);
		expect(r.batch.warnings.map((w) => w.message.nl)).toEqual([
			'schedules.csv: Rij 9, kolom ‘valid_to’: dit uurrooster kon niet omgezet worden (niet meer geldig); het is overgeslagen',
			'schedules.csv: Rij 5, kolom ‘freq’: dit uurrooster kon niet omgezet worden (frequentie MONTHLY, enkel wekelijkse uren worden omgezet); het is overgeslagen',
			'services.csv: Rij 6, kolom ‘status’: dienst ‘Douches’ heeft status ‘inactive’; overgeslagen'
		]);
	});

	it('an unmapped taxonomy term rejects its location, naming the term and the attribute row', () => {
		const r = parseHsdsPackage(files(), { categories: { dropin: 'inloop' } }, ctx);
		expect(r.batch.counts).toMatchObject({ records: 5, valid: 4, rejected: 1 });
		expect(r.batch.errors).toHaveLength(1);
		expect(r.batch.errors[0]).toMatchObject({
			row: 5,
			field: 'taxonomy_term_id',
			code: 'unmapped_category',
			value: 'Straatdokter',
			file: 'attributes.csv'
		});
		expect(r.batch.errors[0]!.message.en).toBe(
			'attributes.csv: Row 5, column ‘taxonomy_term_id’: ‘Straatdokter’ is not mapped to a service category; add it to the category mapping'
		);
	});

	it('with a default category the unmapped one is kept and still reported', () => {
		const r = parseHsdsPackage(files(), { categories: { dropin: 'inloop' }, defaultCategory: 'caw' }, ctx);
		expect(r.batch.counts).toMatchObject({ valid: 5, rejected: 0 });
		expect(r.batch.rows[4]!.category).toBe(cat('caw'));
		expect(r.batch.warnings.filter((w) => w.code === 'unmapped_category').map((w) => w.value)).toEqual(['Straatdokter']);
	});

	it('the service name only, when asked', () => {
		const r = parseHsdsPackage(files(), { name: 'service', defaultCategory: 'caw' }, ctx);
		expect(r.batch.rows.map((s) => s.name)).toEqual(['Nachtopvang', 'Inloopcentrum De Haven', 'Voedselbedeling', 'Voedselbedeling', 'Straatdokter']);
	});

	it('missing tables and broken references are named', () => {
		const f = files();
		delete f['locations.csv'];
		expect(brief(parseHsdsPackage(f, {}, ctx).batch.errors)).toEqual([[0, '', 'missing_table']]);
		const g = files();
		g['service_at_locations.csv'] = 'id,service_id,location_id\nx1,s1,nowhere\nx2,,l1\n';
		const r = parseHsdsPackage(g, { defaultCategory: 'caw' }, ctx);
		expect(r.batch.errors.map((e) => e.message.nl)).toEqual([
			'service_at_locations.csv: Rij 2, kolom ‘location_id’: ‘nowhere’ verwijst naar een rij die niet bestaat in locations.csv',
			'service_at_locations.csv: Rij 3, kolom ‘service_id’: verplichte waarde ontbreekt'
		]);
	});

	it('a location without coordinates is an error on locations.csv', () => {
		const f = files();
		f['locations.csv'] = f['locations.csv']!.replace('l2,o2,physical,De Haven,51.0590,3.7190', 'l2,o2,physical,De Haven,,3.7190');
		const r = parseHsdsPackage(f, { categories: { dropin: 'inloop', streetdoc: 'caw' } }, ctx);
		expect(r.batch.errors.map((e) => e.message.en)).toEqual(['locations.csv: Row 3, column ‘latitude’: required value is missing']);
	});

	it('singular (2.x style) file names and folders are accepted', () => {
		expect(tableOfFile('pkg/Service_At_Location.csv')).toBe('service_at_location');
		expect(tableOfFile('schedules.csv')).toBe('schedule');
		expect(tableOfFile('datapackage.json')).toBeNull();
	});

	it('inspect lists the taxonomy terms to map', () => {
		const i = inspectHsds(files());
		expect(i.taxonomyTerms.map((t) => [t.value, t.code, t.services])).toEqual([
			['Drop-in', 'dropin', 1],
			['Night shelter', 'shelter', 1],
			['Straatdokter', 'streetdoc', 1],
			['Voedselhulp', 'food', 1]
		]);
		expect(i.tables.service_at_location).toEqual({ file: 'service_at_locations.csv', rows: 6 });
		// the inactive service (Douches, no term) is left out of the import: nothing to map
		expect(i.serviceNamesWithoutTerms).toEqual([]);
	});
});

describe('schedules → OSM opening_hours', () => {
	const row = (line: number, rec: Record<string, string>) => ({ line, rec: { freq: 'WEEKLY', ...rec } });
	const osm = (...rows: Record<string, string>[]) =>
		schedulesToOsm(
			rows.map((r, i) => row(i + 2, r)),
			'2026-06-01'
		).value;

	it.each([
		[[{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }], 'Mo-Fr 09:00-17:00'],
		[[{ byday: 'SA,SU', opens_at: '10:00', closes_at: '14:00' }], 'Sa,Su 10:00-14:00'],
		[[{ byday: 'MO,WE,FR', opens_at: '9:00', closes_at: '12:00:00' }], 'Mo,We,Fr 09:00-12:00'],
		[
			[
				{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' },
				{ byday: 'SA', opens_at: '10:00', closes_at: '12:00' }
			],
			'Mo-Fr 09:00-17:00; Sa 10:00-12:00'
		],
		[[{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00', closes_at: '23:59' }], '24/7'],
		[[{ byday: 'FR,SA', opens_at: '22:00', closes_at: '00:00' }], 'Fr,Sa 22:00-24:00'],
		[[{ byday: 'TH', opens_at: '09:00+01:00', closes_at: '12:00Z' }], 'Th 09:00-12:00'],
		[[{ byday: 'SU,MO,TU', opens_at: '08:00', closes_at: '10:00' }], 'Mo,Tu,Su 08:00-10:00']
	])('%j → %s', (rows, expected) => {
		expect(osm(...rows)).toBe(expected);
	});

	it('skips and reports what it cannot convert', () => {
		const r = schedulesToOsm(
			[
				row(2, { freq: 'MONTHLY', byday: '1SA', opens_at: '10:00', closes_at: '12:00' }),
				row(3, { byday: 'MO', opens_at: '', closes_at: '12:00' }),
				row(4, { byday: '', opens_at: '10:00', closes_at: '12:00' }),
				row(5, { byday: 'MO', interval: '2', opens_at: '10:00', closes_at: '12:00' }),
				row(6, { byday: 'MO', valid_from: '2027-01-01', opens_at: '10:00', closes_at: '12:00' }),
				row(7, { byday: 'XX', opens_at: '10:00', closes_at: '12:00' })
			],
			'2026-06-01'
		);
		expect(r.value).toBeNull();
		expect(r.skipped.map((s) => [s.line, s.field])).toEqual([
			[2, 'freq'],
			[3, 'opens_at'],
			[4, 'byday'],
			[5, 'interval'],
			[6, 'valid_from'],
			[7, 'byday']
		]);
	});
});
