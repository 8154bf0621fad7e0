// The CSV record stream as a spreadsheet user sees the file: Excel's "sep=;" line, UTF-16BE,
// row numbers that count records (not physical lines), and rows with fewer columns than the header.
import { describe, expect, it } from 'vitest';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { openCsvRecords } from '../../src/lib/server/imports/csv-stream';
import type { CsvItem } from '../../src/lib/domain/import/csv-rows';
import { previewCsv, type ParseContactsOptions } from '../../src/lib/domain/import/stream';
import { rejectedRowsCsv } from '../../src/lib/domain/import/rejected-csv';
import { sepLine, splitCsv } from '../../src/lib/domain/import/sniff';
import { GHENT_BBOX, NOW } from '../fixtures/import/make-nasty';
import { chunksOf, collectContacts } from '../helpers/import-read';

const utf8 = (s: string) => new TextEncoder().encode(s);
const mapping = { occurredAt: 'Datum', lat: 'Breedte', lng: 'Lengte', contactType: 'Type contact' };
const opts = (over: Partial<ParseContactsOptions> = {}): ParseContactsOptions => ({
	mapping,
	vocabularies: DEFAULT_VOCABULARIES,
	area: { bbox: GHENT_BBOX },
	resolution: 10,
	now: NOW,
	...over
});
const GOOD = '14/03/2026;51,05;3,72;Kort contact';
const BAD_DATE = '31/02/2026;51,05;3,72;Kort contact';

async function items(text: string, o: Parameters<typeof openCsvRecords>[1] = {}) {
	const csv = await openCsvRecords(chunksOf(utf8(text), 7), o);
	const out: CsvItem[] = [];
	for await (const it of csv.items) out.push(it);
	return { csv, out };
}

describe('Excel sep= line', () => {
	it.each([
		[';', 'sep=;\r\nDatum;Breedte\r\n1;2\r\n'],
		[',', 'sep=,\nDatum,Breedte\n1,2\n'],
		['\t', 'sep=\t\nDatum\tBreedte\n1\t2\n'],
		['|', 'SEP=|\nDatum|Breedte\n1|2\n']
	])('sets the separator %j and is no row, as in Excel, which hides it', async (sep, text) => {
		expect(sepLine(text)?.separator).toBe(sep);
		const { csv, out } = await items(text);
		expect(csv.separator).toBe(sep);
		expect(out).toEqual([
			{ kind: 'header', headers: ['Datum', 'Breedte'], line: 1 },
			{ kind: 'record', fields: ['1', '2'], line: 2 }
		]);
	});

	it('a separator the user chose wins, and the sep line is still skipped', async () => {
		const { csv, out } = await items('sep=,\nDatum;Breedte\n1;2\n', { separator: ';' });
		expect(csv.separator).toBe(';');
		expect(out[0]).toEqual({ kind: 'header', headers: ['Datum', 'Breedte'], line: 1 });
	});

	it('is only a sep line when it says exactly that', () => {
		expect(sepLine('sep=;x\n')).toBeUndefined();
		expect(sepLine('separator;x\n')).toBeUndefined();
		expect(sepLine('Datum;sep=;\n')).toBeUndefined();
	});

	it('the preview shows the real headers and rows', () => {
		const p = previewCsv(utf8('sep=,\nDatum,Breedte,Lengte\n14/03/2026,"51,05","3,72"\n'), { complete: true });
		expect(p).toMatchObject({ separator: ',', headers: ['Datum', 'Breedte', 'Lengte'] });
		expect(p.rows).toEqual([{ Datum: '14/03/2026', Breedte: '51,05', Lengte: '3,72' }]);
	});

	it('a dry run names the bad row as Excel shows it (Excel hides the sep line)', async () => {
		const text = ['sep=;', 'Datum;Breedte;Lengte;Type contact', GOOD, BAD_DATE, ''].join('\n');
		const r = await collectContacts(chunksOf(utf8(text), 5), opts());
		expect(r.summary.separator).toBe(';');
		expect(r.summary.counts).toMatchObject({ records: 2, valid: 1, rejected: 1 });
		expect(r.errors.map((e) => [e.row, e.code])).toEqual([[3, 'impossible_date']]);
	});
});

describe('UTF-16BE with a BOM', () => {
	it('imports like the same file in UTF-8', async () => {
		const text = ['Datum;Breedte;Lengte;Type contact', GOOD, BAD_DATE, ''].join('\r\n');
		const bytes = new Uint8Array([0xfe, 0xff, ...Buffer.from(text, 'utf16le').swap16()]);
		const r = await collectContacts(chunksOf(bytes, 3), opts());
		expect(r.summary).toMatchObject({ encoding: 'utf-16be', separator: ';', headers: ['Datum', 'Breedte', 'Lengte', 'Type contact'] });
		expect(r.summary.counts).toMatchObject({ records: 2, valid: 1, rejected: 1 });
		expect(r.errors.map((e) => [e.row, e.code])).toEqual([[3, 'impossible_date']]);
		expect(previewCsv(bytes, { complete: true })).toMatchObject({ encoding: 'utf-16be', headers: ['Datum', 'Breedte', 'Lengte', 'Type contact'] });
	});
});

describe('row numbers are spreadsheet rows', () => {
	// Opened in Excel or LibreOffice: header row 1, the two-line record row 2, a blank row 3,
	// the bad date row 4, ";;;" row 5, the broken quote row 6.
	const text = [
		'Datum;Breedte;Lengte;Type contact;Opmerking',
		`${GOOD};"twee`,
		'regels"',
		'',
		`${BAD_DATE};"drie`,
		'',
		'regels"',
		';;;;',
		`${GOOD};"open`,
		''
	].join('\r\n');

	it('count records and blank lines, not the line breaks inside quoted values', async () => {
		const { out } = await items(text);
		expect(out.map((i) => [i.kind, i.line])).toEqual([
			['header', 1],
			['record', 2],
			['record', 4],
			['broken', 6]
		]);
	});

	it('the problems and the rejected rows file use the same numbers', async () => {
		const r = await collectContacts(chunksOf(utf8(text), 11), opts());
		expect(r.errors.map((e) => [e.row, e.code])).toEqual([
			[4, 'impossible_date'],
			[6, 'csv_syntax']
		]);
		expect(r.errors[0]!.message.nl).toMatch(/^Rij 4, kolom ‘Datum’/);
		const rejected = r.batches.flatMap((b) => b.rejected);
		expect(rejected.map((x) => x.row)).toEqual([4]);
		const csv = rejectedRowsCsv(r.summary.headers, rejected, r.errors, ';');
		expect(csv.split('\r\n')[1]).toMatch(/^4;31\/02\/2026;/);
		// the tokenizer of the preview and of HSDS packages counts the same way
		expect(splitCsv(text, ';').map((x) => x.line)).toEqual([1, 2, 3, 4, 5]);
	});

	it('blank lines before the header count as rows', async () => {
		const { out } = await items('\n\nDatum;Breedte\n1;2\n');
		expect(out.map((i) => [i.kind, i.line])).toEqual([
			['header', 3],
			['record', 4]
		]);
	});
});

describe('rows with fewer columns than the header', () => {
	const header = 'Datum;Breedte;Lengte;Type contact;Team';

	it('are filled up with empty values and checked like any row, with a warning naming them', async () => {
		// tools that trim empty trailing fields: row 3 lacks its (required) type and its team, row
		// 5 only its (optional) team
		const text = [header, `${GOOD};`, '14/03/2026;51,05;3,72', `${GOOD};Noord`, GOOD, ''].join('\n');
		const r = await collectContacts(chunksOf(utf8(text), 9), opts());
		expect(r.summary.counts).toMatchObject({ records: 4, valid: 3, rejected: 1 });
		expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([[3, 'Type contact', 'required']]);
		expect(r.warnings.filter((w) => w.code === 'short_row').map((w) => [w.row, w.message.nl])).toEqual([
			[3, 'Rij 3: de rij heeft 3 van de 5 kolommen van de kopregel; de ontbrekende zijn leeg gelaten'],
			[5, 'Rij 5: de rij heeft 4 van de 5 kolommen van de kopregel; de ontbrekende zijn leeg gelaten']
		]);
		expect(r.warnings.find((w) => w.code === 'short_row')!.message.en).toBe(
			'Row 3: the row has 3 of the header’s 5 columns; the missing ones are left empty'
		);
		expect(r.batches.flatMap((b) => b.rejected).map((x) => x.row)).toEqual([3]);
	});

	it('written with the other separator: a hint instead of missing values', async () => {
		const text = [header, `${GOOD};Noord`, '14/03/2026,"51,05","3,72",Kort contact,Noord', ''].join('\n');
		const r = await collectContacts(chunksOf(utf8(text), 9), opts({ mapping: { ...mapping, team: 'Team' } }));
		expect(r.errors.map((e) => [e.row, e.code])).toEqual([[3, 'too_few_columns']]);
		expect(r.errors[0]!.message.nl).toBe(
			'Rij 3: de rij heeft 1 van de 5 kolommen van de kopregel; ze bevat komma’s (,): is ze met een ander scheidingsteken geschreven dan puntkomma (;)?'
		);
		expect(r.errors[0]!.message.en).toBe(
			'Row 3: the row has 1 of the header’s 5 columns; it holds commas (,): was it written with another separator than semicolon (;)?'
		);
	});

	it('decimal commas alone are no sign of another separator', async () => {
		const text = [header, '14/03/2026;51,05;3,72', ''].join('\n');
		const r = await collectContacts(chunksOf(utf8(text), 9), opts());
		expect(r.errors.map((e) => e.code)).toEqual(['required']);
		expect(r.warnings.map((w) => w.code)).toContain('short_row');
	});
});
