// The services import against a real database: CSV, GeoJSON and an HSDS package; re-imports add
// nothing, changed rows are updated, and a failure or rejected rows leave nothing written.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { importServices, type ServiceInput } from '../../src/lib/server/imports/services';
import type { KindImportOptions } from '../../src/lib/server/imports/run';
import { serviceFeatures } from '../../src/lib/server/queries/services';
import type { ServiceCsvMapping } from '../../src/lib/domain/import/mapping';
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
	source: 'csv',
	mode: 'commit',
	skipInvalid: true,
	now: new Date(NOW),
	...patch
});
const count = async (source?: string) =>
	(
		await t.sql`select count(*)::int as n from service_location where org_id = ${orgId} and (${source ?? null}::text is null or source = ${source ?? null})`
	)[0]!.n as number;

const csvMapping: ServiceCsvMapping = {
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
};
const csv = (): ServiceInput => ({ format: 'csv', chunks: chunks(readFileSync(FIX + 'services-1252.csv')), mapping: csvMapping });
const hsdsFiles = (): Record<string, string> =>
	Object.fromEntries(readdirSync(FIX + 'hsds').map((f) => [f, readFileSync(`${FIX}hsds/${f}`, 'utf8')]));
const hsds = (files = hsdsFiles()): ServiceInput => ({
	format: 'hsds',
	files,
	mapping: { categories: { dropin: 'inloop', streetdoc: 'gezondheid' } }
});

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'svc', name: 'Services', bbox: [...GHENT_BBOX] })).orgId;
});
afterAll(() => t?.cleanup());

describe(dbTitle('services import'), () => {
	it('a dry run validates and writes nothing', async () => {
		const r = await importServices(t.sql, csv(), opts({ mode: 'dry-run' }));
		expect(r.counts).toMatchObject({ records: 6, valid: 3, rejected: 3, imported: 0 });
		expect(r.unmappedCategories).toEqual([{ value: 'Sociale kruidenier', rows: 1 }]);
		expect(r.rejectedCsv).toContain('rij;ID;Naam');
		expect(await count()).toBe(0);
	});

	it('rejected rows roll the commit back unless skipInvalid', async () => {
		const r = await importServices(t.sql, csv(), opts({ skipInvalid: false }));
		expect(r.status).toBe('rolled-back');
		expect(r.counts.imported).toBe(0);
		expect(await count()).toBe(0);
		const [job] = await t.sql`select kind, status from import_job where job_id = ${r.jobId}`;
		expect(job).toMatchObject({ kind: 'services', status: 'rolled-back' });
	});

	it('CSV: imports, then the same file again adds nothing, then a changed row is updated', async () => {
		const first = await importServices(t.sql, csv(), opts());
		expect(first.counts).toMatchObject({ imported: 3, updated: 0, unchanged: 0, rejected: 3 });
		const again = await importServices(t.sql, csv(), opts());
		expect(again.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 3, skipped: 3 });
		expect(await count('csv')).toBe(3);

		const changed = new TextDecoder('windows-1252').decode(readFileSync(FIX + 'services-1252.csv')).replace(';40;ma-zo 21u-8u', ';45;ma-zo 21u-9u');
		const r = await importServices(t.sql, { format: 'csv', chunks: chunks(new TextEncoder().encode(changed)), mapping: csvMapping }, opts());
		expect(r.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 2 });
		const [row] = await t.sql`select capacity, opening_hours, is_demo from service_location where source = 'csv' and external_id = 'V1'`;
		expect(row).toEqual({ capacity: 45, opening_hours: 'Mo-Su 21:00-09:00', is_demo: false });
	});

	it('GeoJSON: points by feature id, re-import without duplicates', async () => {
		const body = () => chunks(readFileSync(FIX + 'services.geojson'));
		const mapping = { name: 'naam', category: 'soort', capacity: 'plaatsen', openingHours: 'uren', address: 'adres', defaultCategory: 'dagcentrum' };
		const a = await importServices(t.sql, { format: 'geojson', chunks: body(), mapping }, opts({ source: 'osm' }));
		expect(a.counts).toMatchObject({ records: 5, valid: 3, rejected: 2, imported: 3 });
		expect(a.unmappedCategories).toEqual([{ value: 'Sociale kruidenier', rows: 1 }]);
		const b = await importServices(t.sql, { format: 'geojson', chunks: body(), mapping }, opts({ source: 'osm' }));
		expect(b.counts).toMatchObject({ imported: 0, unchanged: 3 });
		expect(await count('osm')).toBe(3);
		const bad = await importServices(
			t.sql,
			{ format: 'geojson', chunks: chunks(new TextEncoder().encode('{"type":')), mapping },
			opts({ source: 'osm' })
		);
		expect(bad.errors.map((e) => e.code)).toEqual(['invalid_json']);
	});

	it('HSDS package: one location per service_at_location, exact hours; again → nothing new; a changed schedule → updated', async () => {
		const a = await importServices(t.sql, hsds(), opts({ source: 'hsds' }));
		expect(a.counts).toMatchObject({ records: 5, valid: 5, rejected: 0, imported: 5, ignored: 1 });
		const rows =
			await t.sql`select external_id, name, opening_hours, capacity, address from service_location where source = 'hsds' order by external_id`;
		expect(rows.map((r) => [r.external_id, r.opening_hours, r.capacity])).toEqual([
			['sal1', 'Mo-Su 21:00-08:00', 40],
			['sal2', 'Mo-Th 09:00-12:00,13:00-17:00; Fr 09:00-12:00', null],
			['sal3', 'Tu,Th 14:00-16:00', 80],
			['sal4', 'Sa 10:00-12:00', 80],
			['sal5', '24/7', null]
		]);
		const b = await importServices(t.sql, hsds(), opts({ source: 'hsds' }));
		expect(b.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 5 });

		const files = hsdsFiles();
		files['schedules.csv'] = files['schedules.csv']!.replace('"MO,TU,WE,TH,FR",09:00,12:00', '"MO,TU,WE,TH,FR",08:30,12:00');
		const c = await importServices(t.sql, hsds(files), opts({ source: 'hsds' }));
		expect(c.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 4 });
		const [sal2] = await t.sql`select opening_hours from service_location where source = 'hsds' and external_id = 'sal2'`;
		expect(sal2!.opening_hours).toBe('Mo-Th 08:30-12:00,13:00-17:00; Fr 08:30-12:00');
		// and the map API shows them
		const fc = await serviceFeatures(t.sql, orgId);
		expect(fc.features.filter((f) => f.properties.name.startsWith('Voedselbedeling'))).toHaveLength(2);
	});

	it('HSDS package: the rejected-rows file lists each problem with its file, line and column', async () => {
		const r = await importServices(t.sql, { format: 'hsds', files: hsdsFiles(), mapping: {} }, opts({ source: 'hsds-rejected', mode: 'dry-run' }));
		expect(r.counts).toMatchObject({ records: 5, valid: 3, rejected: 2, ignored: 1 });
		expect(r.unmappedCategories.map((u) => u.value).sort()).toEqual(['Drop-in', 'Straatdokter']);
		const lines = r
			.rejectedCsv!.replace(/^\ufeff/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe('bestand;rij;kolom;waarde;fout');
		expect(lines.slice(1)).toEqual([
			expect.stringMatching(/^attributes\.csv;3;taxonomy_term_id;Drop-in;"‘Drop-in’ is aan geen categorie/),
			expect.stringMatching(/^attributes\.csv;5;taxonomy_term_id;Straatdokter;"‘Straatdokter’ is aan geen categorie/)
		]);
		// a clean package has no such file
		const ok = await importServices(t.sql, hsds(), opts({ source: 'hsds-rejected', mode: 'dry-run' }));
		expect(ok.rejectedCsv).toBeNull();
	});

	it('a failure midway leaves nothing half-written', async () => {
		const before = await count();
		const lines = ['ID;Naam;Soort;Breedte;Lengte'];
		for (let i = 0; i < 5000; i++)
			lines.push(`G${i};Plek ${i};Dagcentrum;${(51.0 + (i % 100) / 1000).toFixed(4)};${(3.7 + Math.floor(i / 100) / 1000).toFixed(4)}`);
		const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
		async function* failing() {
			let i = 0;
			for await (const c of chunks(bytes, 8 * 1024)) {
				if (++i === 15) throw new Error('connection lost'); // after the first batch of 2000 was written
				yield c;
			}
		}
		const mapping = { externalId: 'ID', name: 'Naam', category: 'Soort', lat: 'Breedte', lng: 'Lengte' };
		const written: number[] = [];
		const progress = (p: { counts: { valid: number } }) => written.push(p.counts.valid);
		await expect(importServices(t.sql, { format: 'csv', chunks: failing(), mapping }, opts({ source: 'big', onProgress: progress }))).rejects.toThrow(
			'connection lost'
		);
		expect(written).toEqual([2000]); // one batch was upserted inside the transaction before the failure
		expect(await count()).toBe(before);
		const [job] = await t.sql`select status, message from import_job order by job_id desc limit 1`;
		expect(job).toEqual({ status: 'failed', message: 'connection lost' });
		// the same file without the failure goes in whole
		const ok = await importServices(t.sql, { format: 'csv', chunks: chunks(bytes, 8 * 1024), mapping }, opts({ source: 'big' }));
		expect(ok.counts).toMatchObject({ imported: 5000 });
	});
});
