// A workbook written by a real spreadsheet program, not by our own writer (src/lib/server/xlsx-write.ts),
// read through the real code path: openUpload turns its sheet into ';' CSV, parseContactsCsv
// validates that CSV as contacts.
//
// tests/fixtures/import/contacts-libreoffice.xlsx was made by LibreOffice Calc 7.4.7 (Debian
// package libreoffice-calc-nogui) from the flat-ODF source next to it, which is plain XML and can
// be edited by hand. To remake it, from the repository root:
//   soffice --headless --convert-to xlsx --outdir tests/fixtures/import tests/fixtures/import/contacts-libreoffice.fods
// The tests only read the committed .xlsx; they never need LibreOffice.
//
// How Calc writes a workbook differs from our synthetic ones: every cell has a style (s="0") and
// an explicit type (t="n" for numbers and dates); number formats carry a locale prefix and escapes
// ("[$-813]dd/mm/yyyy\ hh:mm", 813 = nl-BE); date serials are cut to 15 significant digits, so
// 21:30 is stored as 46036.8958333333 and arrives as 21:29:59.999; booleans are t="b" with a
// WAAR/ONWAAR format; all text is in the shared-strings table (no inline strings); an empty row is
// left out of sheetData; the workbook says date1904="false" outright.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { latLngToCell } from 'h3-js';
import { openUpload } from '../../src/lib/server/imports/xlsx';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import type { ColumnMapping } from '../../src/lib/domain/import/mapping';
import { GHENT_BBOX, NOW } from '../fixtures/import/make-nasty';
import { xlsxFixture } from '../fixtures/import/make-xlsx';
import { chunksOf, collectContacts, uploadText } from '../helpers/import-read';

const bytes = readFileSync(fileURLToPath(new URL('../fixtures/import/contacts-libreoffice.xlsx', import.meta.url)));

/** The synthetic fixture's columns, plus the registration number and the theme. */
const mapping: ColumnMapping = { ...xlsxFixture.mapping, themes: 'Thema', externalId: 'Nr' };

const open = (o: { sheet?: number } = {}) => openUpload(chunksOf(bytes), { totalBytes: bytes.length, sheetNames: true, ...o });

async function parse() {
	const upload = await open();
	return collectContacts(upload.chunks, {
		mapping,
		vocabularies: DEFAULT_VOCABULARIES,
		area: { bbox: GHENT_BBOX },
		resolution: 10,
		now: NOW,
		totalBytes: upload.totalBytes
	});
}

const vocabId = (kind: keyof typeof DEFAULT_VOCABULARIES, code: string) => DEFAULT_VOCABULARIES[kind].find((e) => e.code === code)!.id;

describe('a workbook written by LibreOffice Calc', () => {
	it('is the real thing: Calc’s own styles, 15-digit serials, shared strings, the 1900 date system', () => {
		expect(bytes.length).toBeLessThan(30 * 1024);
		const parts = unzipSync(bytes);
		const workbook = strFromU8(parts['xl/workbook.xml']!);
		expect(workbook).toContain('<fileVersion appName="Calc"/>');
		expect(workbook).toContain('date1904="false"');
		const styles = strFromU8(parts['xl/styles.xml']!);
		expect(styles).toContain('formatCode="[$-813]dd/mm/yyyy\\ hh:mm"');
		const sheet = strFromU8(parts['xl/worksheets/sheet1.xml']!);
		// 14/01/2026 21:30 as a date cell, a coordinate as a number cell, text as a shared string
		expect(sheet).toMatch(/<c r="B2" s="\d+" t="n"><v>46036\.8958333333<\/v><\/c>/);
		expect(sheet).toMatch(/<c r="D2" s="\d+" t="n"><v>51\.054633<\/v><\/c>/);
		expect(sheet).toMatch(/<c r="F2" s="\d+" t="s"><v>\d+<\/v><\/c>/);
		expect(sheet).not.toContain('t="inlineStr"');
		// the empty row 12 is not written at all
		expect(sheet).toContain('<row r="11"');
		expect(sheet).not.toContain('<row r="12"');
		expect(sheet).toContain('<row r="13"');
	});

	it('opens as CSV: the sheet names, the header, dates as wall-clock text, numbers in full, text intact', async () => {
		const u = await open();
		expect(u.workbook).toEqual({ sheet: 'Contacten', index: 1, sheets: ['Contacten', 'Toelichting – 2026'] });
		const csv = await uploadText(u);
		expect(u.totalBytes).toBe(new TextEncoder().encode(csv).length);
		const line = csv.split('\n');
		expect(line).toHaveLength(24 + 1); // 24 sheet rows, each ending in "\n"
		expect(line[0]).toBe('Nr;Datum;Uur;Breedte;Lengte;Type contact;Doelgroep;Thema;Aantal;Doorverwezen;Opmerking');
		// row 2: a date-time cell (stored as 21:29:59.999), number cells in full (shown as 51,0546), a boolean cell
		expect(line[1]).toBe('1001;14/01/2026 21:30;;51.054633;3.721479;Eerste contact;Dak- en thuisloos;Huisvesting;2;ja;"Korenmarkt, onder de luifel"');
		// row 3: a date cell beside a time cell
		expect(line[2]).toBe('1002;14/01/2026;22:10;51.057247;3.726014;Kort contact;Druggebruik;Verslaving;1;nee;');
		// row 4: accents, an en dash, a theme with a comma inside brackets
		expect(line[3]).toBe(
			'1003;27/01/2026 07:45;;51.035863;3.710288;Opvolgcontact;Geïsoleerde ouderen;"Basisbehoeften (eten, hygiëne)";1;ja;Sint-Pietersstation – café'
		);
		expect(line[4]).toContain(';Ergün: ambulance gebeld');
		// row 10: the number, the date and the coordinates typed as text stay text
		expect(line[9]).toBe(
			'1009;12/03/2026 19:40;;"51,0610";"3,7265";Opvolgcontact;"Druggebruik, Dak- en thuisloos";Verslaving;1;ja;Datum en coördinaten als tekst'
		);
		// row 12, absent from the sheet's XML, still has its line
		expect(line[11]).toBe(';'.repeat(10));
		// row 14: the impossible date, typed as text, beside a time cell
		expect(line[13]).toBe('1012;31/02/2026;10:00;51.0475;3.692046;Eerste contact;Jongeren;;1;nee;Datum onmogelijk');
		// row 22: 17:25, stored as 17:24:59.999
		expect(line[21]).toMatch(/^1020;13\/05\/2026 17:25;;/);
		expect(line[24]).toBe('');
	});

	it('reads the second sheet by its number, with its own name', async () => {
		const u = await open({ sheet: 2 });
		expect(u.workbook).toMatchObject({ sheet: 'Toelichting – 2026', index: 2 });
		expect(await uploadText(u)).toBe(
			[
				'Registratie straathoekwerk Gent – toelichting;',
				'"Eén rij per contact; coördinaten in WGS84 (graden, komma als decimaalteken).";',
				'Laatst bijgewerkt;28/05/2026 17:00',
				'Aantal medewerkers;4',
				'Gemiddelde breedte;51.052114',
				''
			].join('\n')
		);
	});

	it('imports as contacts: counts, the bad date by its sheet row and column, no warnings', async () => {
		const r = await parse();
		expect(r.summary.headers).toEqual([
			'Nr',
			'Datum',
			'Uur',
			'Breedte',
			'Lengte',
			'Type contact',
			'Doelgroep',
			'Thema',
			'Aantal',
			'Doorverwezen',
			'Opmerking'
		]);
		expect(r.summary).toMatchObject({ encoding: 'utf-8', separator: ';' });
		expect(r.summary.counts).toEqual({ records: 22, valid: 21, rejected: 1, duplicates: 0, emptyLines: 1 });
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject({ row: 14, field: 'Datum', code: 'impossible_date', value: '31/02/2026 10:00' });
		expect(r.errors[0]!.message.nl).toMatch(/^Rij 14, kolom ‘Datum’/);
		expect(r.warnings).toEqual([]);
		expect(r.rows.map((c) => c.externalId)).not.toContain('1012');
	});

	it('stores the sheet’s wall-clock times as Brussels time: +01:00 in winter, +02:00 from 29/03/2026', async () => {
		const { rows } = await parse();
		const at = Object.fromEntries(rows.map((c) => [c.externalId, c.occurredAt]));
		expect(at).toEqual({
			// winter time, UTC+1
			'1001': '2026-01-14T20:30:00.000Z', // 21:30, stored as 21:29:59.999
			'1002': '2026-01-14T21:10:00.000Z', // date cell + time cell
			'1003': '2026-01-27T06:45:00.000Z',
			'1004': '2026-02-03T18:05:00.000Z',
			'1005': '2026-02-10T13:00:00.000Z',
			'1006': '2026-02-18T22:50:00.000Z',
			'1007': '2026-02-25T09:20:00.000Z',
			'1008': '2026-03-04T15:35:00.000Z', // 16:35, stored as 16:34:59.999
			'1009': '2026-03-12T18:40:00.000Z', // typed as text
			'1010': '2026-03-18T07:15:00.000Z',
			'1011': '2026-03-21T12:00:00.000Z',
			'1013': '2026-03-28T22:30:00.000Z', // the last night of winter time
			// summer time, UTC+2
			'1014': '2026-03-29T19:00:00.000Z', // the first evening of summer time
			'1015': '2026-04-04T23:15:00.000Z', // 05/04 01:15: the day before in UTC
			'1016': '2026-04-14T09:30:00.000Z',
			'1017': '2026-04-22T13:45:00.000Z',
			'1018': '2026-04-30T18:10:00.000Z',
			'1019': '2026-05-06T07:00:00.000Z',
			'1020': '2026-05-13T15:25:00.000Z', // 17:25, stored as 17:24:59.999
			'1021': '2026-05-20T10:05:00.000Z',
			'1022': '2026-05-27T20:40:00.000Z'
		});
	});

	it('places, matches and counts the rows as the sheet says', async () => {
		const byId = new Map((await parse()).rows.map((c) => [c.externalId, c]));
		const row = (id: string) => byId.get(id)!;
		// the stored coordinates in full (the cells show four decimals), and comma-decimal text
		expect(row('1001').cell).toBe(latLngToCell(51.054633, 3.721479, 10));
		expect(row('1018').cell).toBe(latLngToCell(51.047019, 3.683055, 10));
		expect(row('1009').cell).toBe(latLngToCell(51.061, 3.7265, 10));
		// Dutch labels, accents included, against the vocabulary
		expect(row('1003')).toMatchObject({
			contactType: vocabId('contact_type', 'opvolging'),
			targetGroups: [vocabId('target_group', 'geisoleerde_ouderen')],
			themes: [vocabId('theme', 'basisbehoeften')],
			referral: true // 'ja' typed as text
		});
		expect(row('1009').targetGroups).toEqual([vocabId('target_group', 'druggebruik'), vocabId('target_group', 'dak_thuisloos')]);
		expect(row('1007').contactType).toBe(vocabId('contact_type', 'begeleiding'));
		// a boolean cell, 'nee' typed as text, a number cell
		expect(row('1004').referral).toBe(true);
		expect(row('1006').referral).toBe(false);
		expect(row('1005').persons).toBe(6);
	});
});
