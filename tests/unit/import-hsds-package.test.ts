// The import page's side of an HSDS package: which chosen file is which table, what blocks a
// check, the category values offered, saved mappings laid onto a package, the mapping sent, and
// the rejected-rows file of a package (one line per problem, with its file).
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	alignCategories,
	buildHsdsMapping,
	categoryValues,
	describePackage,
	isHsdsMapping,
	packageKey,
	packageName,
	readPackage
} from '../../src/lib/components/import/hsds-package';
import type { HsdsInspection } from '../../src/lib/api/imports';
import { inspectHsds, parseHsdsPackage } from '../../src/lib/domain/import/hsds';
import { issuesCsv } from '../../src/lib/domain/import/rejected-csv';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { GHENT_BBOX } from '../fixtures/import/make-nasty';

const DIR = 'tests/fixtures/import/hsds/';
const fixtureFiles = () => readdirSync(DIR).map((n) => new File([readFileSync(DIR + n)], n, { type: 'text/csv' }));

describe('HSDS package on the import page', () => {
	it('names the tables of the chosen files; README is ignored; nothing required is missing', () => {
		const p = describePackage(fixtureFiles());
		expect(Object.keys(p.byTable).sort()).toEqual([
			'address',
			'attribute',
			'location',
			'organization',
			'schedule',
			'service',
			'service_at_location',
			'service_capacity',
			'taxonomy_term',
			'unit'
		]);
		expect(p.byTable.service_at_location?.name).toBe('service_at_locations.csv');
		expect(p.ignored).toEqual(['README.md']);
		expect(p.missingRequired).toEqual([]);
		expect(p.missingOptional).toEqual([]);
		expect(p.duplicates).toEqual([]);
	});

	it('tells missing required and optional tables apart, and a table given twice', () => {
		const files = fixtureFiles().filter((f) => !['locations.csv', 'schedules.csv'].includes(f.name));
		files.push(new File(['id,name\n'], 'service.csv'));
		const p = describePackage(files);
		expect(p.missingRequired).toEqual(['location']);
		expect(p.missingOptional).toEqual(['schedule']);
		expect(p.duplicates).toEqual([{ table: 'service', names: ['services.csv', 'service.csv'] }]);
	});

	it('reads the tables only, as text, and flags text that is no UTF-8', async () => {
		const files = fixtureFiles();
		files[files.findIndex((f) => f.name === 'units.csv')] = new File([new Uint8Array([0x69, 0x64, 0x0a, 0xe9, 0x0a])], 'units.csv');
		const texts = await readPackage(describePackage(files));
		expect(Object.keys(texts.files)).not.toContain('README.md');
		expect(texts.files['services.csv']).toContain('Nachtopvang');
		expect(texts.notUtf8).toEqual(['units.csv']);
	});

	it('names a package after its folder and knows when the files changed', () => {
		const inFolder = new File(['x'], 'services.csv');
		Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'stad-gent-2026/services.csv' });
		expect(packageName([inFolder])).toBe('stad-gent-2026');
		expect(packageName(fixtureFiles())).toBe('hsds-pakket');
		const a = fixtureFiles();
		expect(packageKey(a)).toBe(packageKey([...a].reverse()));
		expect(packageKey(a)).not.toBe(packageKey(a.slice(1)));
	});

	it('offers the terms, the names of services without terms, then what a dry run left unmapped', () => {
		const inspection: HsdsInspection = {
			tables: {},
			errors: [],
			ignoredFiles: [],
			taxonomyTerms: [
				{ value: 'Drop-in', code: 'dropin', services: 2 },
				{ value: 'shelter', code: 'shelter', services: 1 }
			],
			serviceNamesWithoutTerms: ['Douches', 'Douches', 'Wasserette']
		};
		const values = categoryValues(inspection, [
			{ value: 'Drop-in', rows: 3 },
			{ value: 'dropin', rows: 1 },
			{ value: 'Sociale kruidenier', rows: 2 }
		]);
		expect(values.map((v) => [v.value, v.code, v.count, v.source])).toEqual([
			['Drop-in', 'dropin', 2, 'term'],
			['shelter', 'shelter', 1, 'term'],
			['Douches', '', 2, 'service'],
			['Wasserette', '', 1, 'service'],
			['Sociale kruidenier', '', 2, 'dry-run']
		]);
		// a saved mapping keyed by a term's code lands on the term's row; unknown keys stay
		expect(alignCategories({ DROPIN: 'inloop', elders: 'caw' }, values)).toEqual({ 'Drop-in': 'inloop', elders: 'caw' });
	});

	it('sends only what was chosen, and a saved HSDS mapping is told apart from a file mapping', () => {
		expect(buildHsdsMapping({ 'Drop-in': 'inloop', Douches: '' }, { defaultCategory: '', name: 'service_organization' })).toEqual({
			categories: { 'Drop-in': 'inloop' }
		});
		expect(buildHsdsMapping({}, { defaultCategory: 'dagcentrum', name: 'service' })).toEqual({ defaultCategory: 'dagcentrum', name: 'service' });
		expect(isHsdsMapping({})).toBe(true);
		expect(isHsdsMapping({ categories: { dropin: 'inloop' }, name: 'service' })).toBe(true);
		expect(isHsdsMapping({ name: 'Naam', lat: 'Breedte', lng: 'Lengte' })).toBe(false);
		expect(isHsdsMapping({ name: 'naam', category: 'soort' })).toBe(false);
	});

	it('the mapping the page builds maps what inspect offered: no service is rejected any more', async () => {
		const texts = await readPackage(describePackage(fixtureFiles()));
		const values = categoryValues(inspectHsds(texts.files));
		const chosen = { 'Drop-in': 'inloop', Straatdokter: 'gezondheid' };
		expect(values.filter((v) => v.value in chosen)).toHaveLength(2);
		const ctx = {
			categories: DEFAULT_VOCABULARIES.service_category,
			area: { bbox: [...GHENT_BBOX] as [number, number, number, number] },
			today: '2026-06-01'
		};
		const before = parseHsdsPackage(texts.files, buildHsdsMapping({}, { defaultCategory: '', name: 'service_organization' }), ctx);
		expect(before.batch.counts).toMatchObject({ valid: 3, rejected: 2 });
		const after = parseHsdsPackage(texts.files, buildHsdsMapping(chosen, { defaultCategory: '', name: 'service_organization' }), ctx);
		expect(after.batch.counts).toMatchObject({ valid: 5, rejected: 0 });
	});

	it('the rejected-rows file of a package: one line per problem, file and line in columns of their own', () => {
		const csv = issuesCsv(
			[
				{
					row: 0,
					field: '',
					code: 'missing_table',
					value: 'location',
					message: { nl: 'Bestand: de tabel ‘location’ ontbreekt', en: 'File: table ‘location’ is missing' }
				},
				{
					row: 3,
					field: 'latitude',
					code: 'required',
					file: 'locations.csv',
					message: {
						nl: 'locations.csv: Rij 3, kolom ‘latitude’: verplichte waarde ontbreekt',
						en: 'locations.csv: Row 3, column ‘latitude’: required value is missing'
					}
				}
			],
			';',
			'en'
		);
		expect(csv).toBe(
			'\ufefffile;row;column;value;problem\r\n;;;location;table ‘location’ is missing\r\nlocations.csv;3;latitude;;required value is missing\r\n'
		);
	});
});
