// Excel workbooks as CSV: the cell formatting (pure), what read-excel-file really hands over for
// date cells, and the server's conversion of an upload (passthrough for CSV, problems named).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { zipSync, strToU8 } from 'fflate';
import { readSheet } from 'read-excel-file/node';
import {
	MAX_WORKBOOK_BYTES,
	csvField,
	formatCell,
	formatExcelDate,
	isWorkbookName,
	plainNumber,
	sheetToCsvLines,
	sniffContainer,
	workbookProblem
} from '../../src/lib/domain/import/xlsx-cells';
import { openUpload, sheetParam, WorkbookError } from '../../src/lib/server/imports/xlsx';
import { parseDateTime } from '../../src/lib/domain/import/dates';
import { previewCsv } from '../../src/lib/domain/import/stream';
import { splitCsv } from '../../src/lib/domain/import/sniff';
import { buildXlsx, type Cell } from '../../src/lib/server/xlsx-write';
import { XLSX_FIXTURE, makeXlsxFixture } from '../fixtures/import/make-xlsx';
import { chunksOf, uploadText } from '../helpers/import-read';

async function problem(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (e) {
		if (e instanceof WorkbookError) return e.problem.code;
		throw e;
	}
	throw new Error('no WorkbookError');
}

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));

describe('cell formatting', () => {
	it('writes numbers as plain decimals with a point, at Excel’s 15 digits', () => {
		expect(plainNumber(50.8503)).toBe('50.8503');
		expect(plainNumber(3)).toBe('3');
		expect(plainNumber(-4.25)).toBe('-4.25');
		expect(plainNumber(0.1 + 0.2)).toBe('0.3');
		expect(plainNumber(1e-7)).toBe('0.0000001');
		expect(plainNumber(-1.5e-10)).toBe('-0.00000000015');
		expect(plainNumber(1e21)).toBe('1000000000000000000000');
		expect(plainNumber(1.25e22)).toBe('12500000000000000000000');
		expect(plainNumber(-0)).toBe('0');
		expect(plainNumber(153056.78)).toBe('153056.78');
		expect(plainNumber(Number.NaN)).toBe('');
	});

	it('writes dates day first from their UTC fields, rounded to the second', () => {
		expect(formatExcelDate(utc(2024, 3, 15, 14, 29, 59, 999))).toBe('15/03/2024 14:30');
		expect(formatExcelDate(utc(2024, 3, 15, 14, 30, 15))).toBe('15/03/2024 14:30:15');
		expect(formatExcelDate(utc(2024, 12, 1, 8, 5))).toBe('01/12/2024 08:05');
		// midnight: the date alone (still joins a separate time column)
		expect(formatExcelDate(utc(2024, 3, 15))).toBe('15/03/2024');
		expect(formatExcelDate(utc(2024, 3, 14, 23, 59, 59, 999.6))).toBe('15/03/2024');
		// a time-only cell (serial below 1)
		expect(formatExcelDate(utc(1899, 12, 30, 9, 15))).toBe('09:15');
		expect(formatExcelDate(utc(1899, 12, 30, 0, 0))).toBe('00:00');
		expect(formatExcelDate(new Date(Number.NaN))).toBe('');
	});

	it('formats every kind of cell', () => {
		expect(formatCell(null)).toBe('');
		expect(formatCell(undefined)).toBe('');
		expect(formatCell(true)).toBe('ja');
		expect(formatCell(false)).toBe('nee');
		expect(formatCell(51.05)).toBe('51.05');
		expect(formatCell('51,05')).toBe('51,05');
		expect(formatCell(utc(2025, 1, 2, 3, 4))).toBe('02/01/2025 03:04');
		// line breaks become spaces: one row stays one line
		expect(formatCell('eerste\r\ntweede\nderde\rvierde')).toBe('eerste tweede derde vierde');
	});

	it('quotes a field with a quote or any separator, and nothing else', () => {
		expect(csvField('gewoon')).toBe('gewoon');
		expect(csvField('a;b')).toBe('"a;b"');
		expect(csvField('51,05')).toBe('"51,05"');
		expect(csvField('a\tb')).toBe('"a\tb"');
		expect(csvField('zei "ja"')).toBe('"zei ""ja"""');
		expect(csvField('')).toBe('');
	});

	it('keeps one line per sheet row, drops empty columns on the left', () => {
		const rows = [[null, 'A', 'B'], [], [null, 'x;y', 2, null], [null, null, null]];
		const lines = [...sheetToCsvLines(rows)];
		expect(lines).toEqual(['A;B\n', ';\n', '"x;y";2\n', ';\n']);
		// every line splits into the same columns
		expect(splitCsv(lines.join(''), ';').map((r) => r.fields.length)).toEqual([2, 2, 2, 2]);
		expect([...sheetToCsvLines([[], [null, '  ']])]).toEqual([]);
	});

	it('recognises a workbook by its first bytes or its name', () => {
		expect(sniffContainer(strToU8('PK\x03\x04rest'))).toBe('zip');
		expect(sniffContainer(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toBe('ole');
		expect(sniffContainer(strToU8('Datum;Uur\n'))).toBeNull();
		expect(sniffContainer(new Uint8Array())).toBeNull();
		expect(isWorkbookName('Registratie 2025.XLSX')).toBe(true);
		expect(isWorkbookName('x.xlsm')).toBe(true);
		expect(isWorkbookName('x.xls')).toBe(false);
		expect(isWorkbookName('x.csv')).toBe(false);
	});

	it('names the limit in both languages', () => {
		const p = workbookProblem('too_large');
		expect(p.message.nl).toContain('50 MB');
		expect(p.message.en).toContain('50 MB');
		expect(workbookProblem('empty', { sheet: 'Blad1' }).message.nl).toContain('‘Blad1’');
	});
});

describe('read-excel-file date cells', () => {
	it('hands over a Date whose UTC fields are the wall-clock time; every minute of a day comes out exact', async () => {
		const minutes = Array.from({ length: 24 * 60 }, (_, m) => m);
		const rows: Cell[][] = minutes.map((m) => [{ date: utc(2025, 3, 30, Math.floor(m / 60), m % 60) }]);
		const data = await readSheet(Buffer.from(buildXlsx([{ name: 'S', rows }])));
		expect(data[0]![0]).toBeInstanceOf(Date);
		// the serial's float error shows: some minutes arrive a millisecond early…
		const early = data.filter((r) => (r[0] as unknown as Date).getUTCSeconds() === 59).length;
		expect(early).toBeGreaterThan(0);
		// …and are rounded back
		const texts = data.map((r) => formatCell(r[0]));
		expect(texts[0]).toBe('30/03/2025');
		expect(texts[14 * 60 + 30]).toBe('30/03/2025 14:30');
		for (const m of minutes.slice(1)) {
			const hh = String(Math.floor(m / 60)).padStart(2, '0');
			const mm = String(m % 60).padStart(2, '0');
			expect(texts[m]).toBe(`30/03/2025 ${hh}:${mm}`);
		}
	});

	it('date-only, time-only and datetime cells read back as Brussels local time by the pipeline', async () => {
		const data = await readSheet(
			Buffer.from(
				buildXlsx([
					{
						name: 'S',
						rows: [
							[{ date: utc(2025, 3, 16), format: 'date' }, { date: utc(1899, 12, 30, 9, 15), format: 'time' }, { date: utc(2025, 7, 1, 22, 45) }]
						]
					}
				])
			)
		);
		const [date, time, both] = data[0]!.map((v) => formatCell(v));
		expect([date, time, both]).toEqual(['16/03/2025', '09:15', '01/07/2025 22:45']);
		const now = Date.UTC(2026, 0, 1);
		const read = (s: string) => {
			const r = parseDateTime(s, { now });
			return r.ok ? r.value.iso : r.code;
		};
		expect(read(`${date} ${time}`)).toBe('2025-03-16T08:15:00.000Z'); // CET
		expect(read(both!)).toBe('2025-07-01T20:45:00.000Z'); // CEST
	});
});

describe('uploads as CSV', () => {
	it('lets a CSV through untouched, chunk for chunk', async () => {
		const csv = strToU8('Datum;Uur\n14/03/2026;21:30\n'.repeat(50));
		const u = await openUpload(chunksOf(csv, 7), { totalBytes: csv.length });
		expect(u.workbook).toBeUndefined();
		expect(u.totalBytes).toBe(csv.length);
		expect(await uploadText(u)).toBe(new TextDecoder().decode(csv));
	});

	it('reads the first sheet of a workbook (or the one asked for) as ; CSV', async () => {
		const bytes = makeXlsxFixture();
		const u = await openUpload(chunksOf(bytes), { totalBytes: bytes.length, sheetNames: true });
		expect(u.workbook).toEqual({ sheet: 'Contacten', index: 1, sheets: ['Contacten', 'Toelichting'] });
		const csv = await uploadText(u);
		expect(u.totalBytes).toBe(new TextEncoder().encode(csv).length);
		const lines = csv.split('\n');
		expect(lines[0]).toBe('Datum;Uur;Breedte;Lengte;Type contact;Doelgroep;Aantal;Doorverwezen;Opmerking');
		expect(lines[1]).toBe('15/03/2025 14:30;;51.0543;3.7174;Eerste contact;Dak- en thuisloos;2;ja;"Aan het station; komt morgen terug"');
		expect(lines[2]).toBe('16/03/2025;09:15;"51,0500";"3,7300";kort_contact;Jongeren;1;nee;');
		expect(lines[4]).toBe(';;;;;;;;'); // the empty row 5 keeps its line
		expect(lines[5]!.startsWith('31/02/2025;')).toBe(true);
		const p = previewCsv(new TextEncoder().encode(csv), { complete: true });
		expect(p).toMatchObject({ separator: ';', encoding: 'utf-8', headerLikely: true });
		expect(p.rows).toHaveLength(5);

		const second = await openUpload(chunksOf(bytes), { sheet: 2 });
		expect(await uploadText(second)).toBe('Registratie straathoekwerk\n"Eén rij per contact; coördinaten in WGS84."\n');
	});

	it('the committed fixture is what make-xlsx.ts makes', () => {
		expect(Buffer.from(readFileSync(XLSX_FIXTURE)).equals(Buffer.from(makeXlsxFixture()))).toBe(true);
	});

	it('names what is wrong with a workbook instead of throwing a stack trace', async () => {
		const ole = new Uint8Array(4096);
		ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		expect(await problem(openUpload(chunksOf(ole)))).toBe('encrypted_or_xls');
		const cut = makeXlsxFixture().subarray(0, 1500);
		expect(await problem(openUpload(chunksOf(cut)))).toBe('corrupt');
		expect(await problem(openUpload(chunksOf(strToU8('PK\x03\x04 and then nothing a zip has'))))).toBe('corrupt');
		const docx = zipSync({ 'word/document.xml': strToU8('<w:document/>') });
		expect(await problem(openUpload(chunksOf(docx)))).toBe('not_a_workbook');
		expect(await problem(openUpload(chunksOf(makeXlsxFixture()), { sheet: 3 }))).toBe('no_sheet');
		expect(await problem(openUpload(chunksOf(makeXlsxFixture()), { sheet: 3, sheetNames: true }))).toBe('no_sheet');
		const empty = buildXlsx([{ name: 'Leeg', rows: [] }]);
		expect(await problem(openUpload(chunksOf(empty), { sheetNames: true }))).toBe('empty');
	});

	it('refuses a workbook over the limit: by its announced length, or once it has sent more', async () => {
		const head = makeXlsxFixture();
		expect(await problem(openUpload(chunksOf(head), { totalBytes: MAX_WORKBOOK_BYTES + 1 }))).toBe('too_large');
		let sent = 0;
		let stopped = false;
		async function* endless() {
			try {
				yield head;
				const mb = new Uint8Array(1024 * 1024);
				for (;;) {
					sent += mb.length;
					yield mb;
				}
			} finally {
				stopped = true;
			}
		}
		expect(await problem(openUpload(endless()))).toBe('too_large');
		expect(sent).toBeLessThanOrEqual(MAX_WORKBOOK_BYTES + 1024 * 1024);
		expect(stopped).toBe(true);
	});

	// Cancelling a request body makes the Node adapter destroy the socket before the answer is
	// sent, so a refused or half-read upload is read to its end (up to a bound) instead.
	it('reads a refused or half-read upload to its end instead of cancelling it', async () => {
		const log: string[] = [];
		async function* source(first: Uint8Array, restChunks: number) {
			try {
				yield first;
				for (let i = 0; i < restChunks; i++) yield new Uint8Array(64 * 1024);
				log.push('end');
			} finally {
				log.push('finally');
			}
		}
		const ole = new Uint8Array(4096);
		ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		expect(await problem(openUpload(source(ole, 30)))).toBe('encrypted_or_xls');
		expect(log).toEqual(['end', 'finally']);

		// a CSV whose reader stops after its head (the preview): a small rest is read…
		log.length = 0;
		const up = await openUpload(source(strToU8('a;b\n1;2\n'), 4));
		for await (const _ of up.chunks) break;
		expect(log).toEqual(['end', 'finally']);
		// …a rest of more than 1 MiB is cancelled
		log.length = 0;
		const big = await openUpload(source(strToU8('a;b\n1;2\n'), 1000));
		for await (const _ of big.chunks) break;
		expect(log).toEqual(['finally']);
	});

	it('reads the sheet parameter', () => {
		expect(sheetParam(new URLSearchParams(''))).toBeUndefined();
		expect(sheetParam(new URLSearchParams('sheet=2'))).toBe(2);
		expect(sheetParam(new URLSearchParams('sheet=0'))).toBeNull();
		expect(sheetParam(new URLSearchParams('sheet=x'))).toBeNull();
	});
});
