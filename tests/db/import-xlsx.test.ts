// An Excel workbook through the contacts import, against a real database: the worksheet is read
// as CSV (server/imports/xlsx), and counts, the bad row's number (the sheet's own), the rejected
// rows and the stored times come out as for a CSV export of the same sheet.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { importContacts, type ContactImportOptions } from '../../src/lib/server/imports/contacts';
import { openUpload } from '../../src/lib/server/imports/xlsx';
import { importServices } from '../../src/lib/server/imports/services';
import { importSignals } from '../../src/lib/server/imports/signals';
import type { KindImportResult } from '../../src/lib/server/imports/run';
import { signalMappingSchema } from '../../src/lib/domain/import/mapping';
import { decodeBytes } from '../../src/lib/domain/import/decode';
import { splitCsv } from '../../src/lib/domain/import/sniff';
import { NOW, GHENT_BBOX } from '../fixtures/import/make-nasty';
import { XLSX_FIXTURE, xlsxFixture } from '../fixtures/import/make-xlsx';
import { buildXlsx, type Cell } from '../../src/lib/server/xlsx-write';

let t: TestDatabase;
let orgId: number;
const bytes = readFileSync(XLSX_FIXTURE);
const ex = xlsxFixture.expected;

async function* chunks(b: Uint8Array, size = 1024) {
	for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const opts = (patch: Partial<ContactImportOptions> = {}): ContactImportOptions => ({
	orgId,
	userId: null,
	mapping: xlsxFixture.mapping,
	source: 'excel',
	filename: xlsxFixture.name,
	mode: 'dry-run',
	skipInvalid: false,
	now: new Date(NOW),
	...patch
});

/** The import as the endpoints run it: the upload opened first, then the CSV import. */
async function importWorkbook(patch: Partial<ContactImportOptions> = {}) {
	const upload = await openUpload(chunks(bytes), { totalBytes: bytes.length });
	expect(upload.workbook).toMatchObject({ index: 1 });
	const progress: number[] = [];
	const result = await importContacts(t.sql, upload.chunks, {
		...opts(patch),
		totalBytes: upload.totalBytes,
		onProgress: (p) => progress.push(p.bytesRead / (p.totalBytes ?? 1))
	});
	return { result, progress };
}

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'xlsx', name: 'Excel', bbox: [...GHENT_BBOX] })).orgId;
});
afterAll(() => t?.cleanup());

describe(dbTitle('contacts import from an Excel workbook'), () => {
	it('a dry run counts the rows and names the bad one by its sheet row', async () => {
		const { result: r, progress } = await importWorkbook();
		expect(r.counts).toMatchObject({ records: ex.records, valid: ex.valid, rejected: ex.rejected, emptyLines: ex.emptyLines, imported: 0 });
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject(ex.error);
		expect(r.errors[0]!.message.nl).toMatch(/^Rij 6, kolom ‘Datum’/);
		// the rejected rows as a CSV with the sheet's columns
		const lines = r.rejectedCsv!.trim().split(/\r?\n/);
		expect(lines[0]).toContain('Datum;Uur;Breedte;Lengte');
		expect(lines[1]).toMatch(/^6;31\/02\/2025;10:00;51,0520;3,7250;/);
		expect(progress.at(-1)).toBeLessThanOrEqual(1);
		expect((await t.sql`select count(*)::int as n from contact_moment`)[0]!.n).toBe(0);
	});

	it('commits the valid rows with the wall-clock times of the sheet as Brussels time', async () => {
		const rolledBack = await importWorkbook({ mode: 'commit' });
		expect(rolledBack.result.status).toBe('rolled-back');
		const { result: r } = await importWorkbook({ mode: 'commit', skipInvalid: true });
		expect(r.status).toBe('done');
		expect(r.counts.imported).toBe(ex.valid);
		const rows = await t.sql`
			select occurred_at, persons, referral from contact_moment where org_id = ${orgId} and source = 'excel' order by occurred_at`;
		expect(rows.map((x) => (x.occurred_at as Date).toISOString())).toEqual(ex.occurredAt);
		expect(rows.map((x) => x.persons)).toEqual([2, 1, 3, 1]);
		expect(rows.map((x) => x.referral)).toEqual([true, false, false, true]);
		// the same workbook again: nothing new
		const again = await importWorkbook({ mode: 'commit', skipInvalid: true });
		expect(again.result.counts).toMatchObject({ imported: 0, updated: 0, skipped: ex.valid });
	});
});

/** A CSV export as the workbook it came from: decimal numbers as number cells, the rest as text. */
function asWorkbook(csvBytes: Uint8Array): Uint8Array {
	const rows = splitCsv(decodeBytes(csvBytes).text, ';').map((r) =>
		r.fields.map((f): Cell => (/^-?\d+(,\d+)?$/.test(f) ? Number(f.replace(',', '.')) : f))
	);
	return buildXlsx([{ name: 'Blad1', rows }]);
}

/** What must match between the CSV and its workbook: the counts and every issue's row, column and code. */
const outcome = (r: KindImportResult) => ({
	counts: r.counts,
	errors: r.errors.map((e) => [e.row, e.field, e.code]),
	warnings: r.warnings.map((w) => [w.row, w.field, w.code])
});

describe(dbTitle('services and signals from a workbook: as from the CSV'), () => {
	const dry = (source: string) => ({ ...opts(), source, filename: undefined, mode: 'dry-run' as const, skipInvalid: true });

	it('services', async () => {
		const csv = readFileSync('tests/fixtures/import/services-1252.csv');
		const mapping = {
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
		const fromCsv = await importServices(t.sql, { format: 'csv', chunks: chunks(csv), mapping }, dry('svc'));
		const upload = await openUpload(chunks(asWorkbook(csv)));
		const fromXlsx = await importServices(t.sql, { format: 'csv', chunks: upload.chunks, mapping }, dry('svc'));
		expect(fromCsv.counts.rejected).toBeGreaterThan(0);
		expect(outcome(fromXlsx)).toEqual(outcome(fromCsv));
	});

	it('signals', async () => {
		const csv = readFileSync('tests/fixtures/import/signals.csv');
		const mapping = signalMappingSchema.parse({
			reportedAt: 'Datum',
			time: 'Uur',
			lat: 'Breedte',
			lng: 'Lengte',
			reporterKind: 'Melder',
			description: 'Wat',
			targetGroups: 'Doelgroep',
			status: 'Status',
			externalId: 'Nr'
		});
		const fromCsv = await importSignals(t.sql, chunks(csv), mapping, dry('sig'));
		const upload = await openUpload(chunks(asWorkbook(csv)));
		const fromXlsx = await importSignals(t.sql, upload.chunks, mapping, dry('sig'));
		expect(fromCsv.counts.rejected).toBeGreaterThan(0);
		expect(outcome(fromXlsx)).toEqual(outcome(fromCsv));
	});
});
