import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latLngToCell } from 'h3-js';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import {
	createReportCollector,
	parseContactsCsv,
	previewCsv,
	summariseContactsCsv,
	type ParseBatch,
	type ParseContactsOptions
} from '../../src/lib/domain/import/stream';
import type { ContactRow } from '../../src/lib/domain/import/contacts';
import { GHENT_BBOX, NOW, makeNasty1252, makeNastyUtf8Bom, type NastyFile } from '../fixtures/import/make-nasty';
import { collectContacts } from '../helpers/import-read';
import { csvSource } from '../../src/lib/server/imports/csv-stream';

const FIX = join(__dirname, '../fixtures/import');

function base(mapping: ParseContactsOptions['mapping']): ParseContactsOptions {
	return {
		mapping,
		vocabularies: DEFAULT_VOCABULARIES,
		area: { bbox: GHENT_BBOX },
		resolution: 10,
		now: NOW
	};
}

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function lineIndex(batches: ParseBatch[]): Map<number, ContactRow> {
	const m = new Map<number, ContactRow>();
	for (const b of batches) b.rows.forEach((row, i) => m.set(b.rowLines[i]!, row));
	return m;
}

const small1252Mapping = {
	occurredAt: 'Datum',
	time: 'Uur',
	lat: 'Breedte',
	lng: 'Lengte',
	contactType: 'Type contact',
	targetGroups: 'Doelgroep',
	themes: 'Thema',
	persons: 'Aantal',
	referral: 'Doorverwezen',
	team: 'Team'
};

describe('previewCsv', () => {
	it('Windows-1252, ; , decimal comma, headers and records', () => {
		const p = previewCsv(readFileSync(join(FIX, 'small-1252-semicolon.csv')), { complete: true });
		expect(p).toMatchObject({ encoding: 'windows-1252', bom: false, separator: ';', decimalComma: true, headerLikely: true });
		expect(p.headers).toEqual(['Datum', 'Uur', 'Breedte', 'Lengte', 'Type contact', 'Doelgroep', 'Thema', 'Aantal', 'Doorverwezen', 'Team']);
		expect(p.rows).toHaveLength(3);
		expect(p.rows[0]).toMatchObject({ Doelgroep: 'Geïsoleerde ouderen', Thema: 'Basisbehoeften (eten, hygiëne)', Team: 'Équipe Brugse Poort' });
	});
	it('UTF-8 with BOM, , separator: the BOM is not part of the first header', () => {
		const p = previewCsv(readFileSync(join(FIX, 'small-utf8bom-comma.csv')), { complete: true });
		expect(p).toMatchObject({ encoding: 'utf-8', bom: true, separator: ',', decimalComma: false });
		expect(p.headers[0]).toBe('id');
		expect(p.rows[0]!.themes).toBe('Basic needs (food, hygiene)');
	});
	it('a cut-off head: 20 rows at most, no half record at the end', () => {
		const big = makeNasty1252(200);
		const head = big.bytes.subarray(0, 4000);
		const p = previewCsv(head);
		expect(p.rows.length).toBeLessThanOrEqual(20);
		expect(p.separator).toBe(';');
		expect(p.encoding).toBe('windows-1252');
		const all = previewCsv(big.bytes, { complete: true, maxRows: 1000 });
		const shown = p.rows.length;
		expect(p.rows).toEqual(all.rows.slice(0, shown));
	});
});

describe('parseContactsCsv: small fixtures', () => {
	it('Windows-1252 ; file: valid row, bad date, blank lines, swapped + unknown value', async () => {
		const bytes = readFileSync(join(FIX, 'small-1252-semicolon.csv'));
		const r = await collectContacts(pieces(bytes, 7), base(small1252Mapping));
		expect(r.summary).toMatchObject({ encoding: 'windows-1252', separator: ';' });
		expect(r.summary.counts).toEqual({ records: 3, valid: 1, rejected: 2, duplicates: 0, emptyLines: 2 });
		expect(r.rows).toEqual([
			{
				externalId: expect.stringMatching(/^h/),
				occurredAt: '2026-03-14T20:30:00.000Z',
				cell: latLngToCell(51.053, 3.7266, 10),
				contactType: 1,
				targetGroups: [6],
				themes: [6],
				persons: 1,
				referral: true,
				team: 'Équipe Brugse Poort'
			}
		]);
		expect(r.errors.map((e) => [e.row, e.field, e.code, e.value])).toEqual([
			[3, 'Datum', 'impossible_date', '31/02/2026 10:00'],
			[5, 'Breedte', 'swapped', '3,7266 / 51,0530'],
			[5, 'Doelgroep', 'unknown_value', 'Studenten']
		]);
	});

	it('UTF-8 BOM , file with Lambert 72 and Lambert 2008 in x/y columns', async () => {
		const bytes = readFileSync(join(FIX, 'small-utf8bom-comma.csv'));
		const mapping = {
			externalId: 'id',
			occurredAt: 'timestamp',
			x: 'x',
			y: 'y',
			contactType: 'type',
			targetGroups: 'target_groups',
			themes: 'themes',
			persons: 'people',
			referral: 'referred'
		};
		const r = await collectContacts(pieces(bytes, 5), base(mapping));
		expect(r.summary.counts).toEqual({ records: 2, valid: 2, rejected: 0, duplicates: 0, emptyLines: 0 });
		const cell = latLngToCell(51.05306, 3.72667, 10);
		expect(r.rows.map((x) => [x.externalId, x.occurredAt, x.cell, x.targetGroups, x.themes])).toEqual([
			['A1', '2026-03-14T20:30:00.000Z', cell, [1, 2], [6]],
			['A2', '2026-03-14T21:00:00.000Z', cell, [], [1]]
		]);
	});

	it('a mapped column missing from the header stops the import on row 1', async () => {
		const bytes = readFileSync(join(FIX, 'small-1252-semicolon.csv'));
		const r = await collectContacts(pieces(bytes, 64), base({ ...small1252Mapping, externalId: 'Nummer' }));
		expect(r.rows).toEqual([]);
		expect(r.errors.map((e) => [e.row, e.field, e.code])).toEqual([[1, 'Nummer', 'missing_column']]);
		expect(r.summary.counts.records).toBe(0);
	});

	it('mapping names match headers regardless of case and spacing', async () => {
		const bytes = readFileSync(join(FIX, 'small-1252-semicolon.csv'));
		const r = await collectContacts(pieces(bytes, 64), base({ ...small1252Mapping, contactType: 'type  CONTACT' }));
		expect(r.summary.counts.valid).toBe(1);
	});

	it('column-count and quote errors are reported per row, the rest still parses', async () => {
		const text = [
			'Datum;Breedte;Lengte;Type contact',
			'14/03/2026;51,05;3,72;Kort contact',
			'14/03/2026;51,05;3,72;Kort contact;extra;waarde',
			'14/03/2026;51,05;3,72;"Kort contact"x',
			'14/03/2026;51,05;3,72',
			'',
			'15/03/2026;51,06;3,73;Crisis',
			'16/03/2026;51,06;3,73;"Crisis',
			'17/03/2026;51,06;3,73;Crisis',
			''
		].join('\n');
		const mapping = { occurredAt: 'Datum', lat: 'Breedte', lng: 'Lengte', contactType: 'Type contact' };
		const r = await collectContacts(pieces(new TextEncoder().encode(text), 1024), base(mapping));
		// A quote closed mid-field is kept literally (relax_quotes) and then fails as a value; an
		// unclosed quote swallows the rest of the file and is reported where its record starts.
		expect(r.errors.map((e) => [e.row, e.field, e.code, e.value])).toEqual([
			[3, '', 'column_count', undefined],
			[4, 'Type contact', 'unknown_value', '"Kort contact"x'],
			[5, 'Type contact', 'required', undefined], // a short row, filled up (short_row warning)
			[8, '', 'csv_syntax', undefined]
		]);
		expect(r.summary.counts).toEqual({ records: 6, valid: 2, rejected: 4, duplicates: 0, emptyLines: 1 });
	});

	it('an empty file reports the missing header', async () => {
		const r = await collectContacts(pieces(new Uint8Array(0), 10), base(small1252Mapping));
		expect(r.errors.map((e) => e.code)).toEqual(['empty_file']);
	});
});

describe('parseContactsCsv: streaming behaviour', () => {
	it('yields batches before the input is exhausted and reports byte progress', async () => {
		const file = makeNasty1252(6000);
		let pulled = 0;
		const total = Math.ceil(file.bytes.length / 1024);
		async function* source() {
			for (let i = 0; i < file.bytes.length; i += 1024) {
				pulled++;
				yield file.bytes.subarray(i, i + 1024);
			}
		}
		const gen = parseContactsCsv(csvSource(source()), { ...base(file.mapping), batchSize: 500, totalBytes: file.bytes.length });
		const first = await gen.next();
		expect(first.done).toBe(false);
		if (first.done) return;
		expect(first.value.rows.length).toBeLessThanOrEqual(500);
		expect(pulled).toBeLessThan(total / 2);
		let last = first.value;
		let prev = first.value.progress.bytesRead;
		for await (const b of gen) {
			expect(b.progress.bytesRead).toBeGreaterThanOrEqual(prev);
			expect(b.rows.length).toBeLessThanOrEqual(500);
			prev = b.progress.bytesRead;
			last = b;
		}
		expect(last.progress).toEqual({ bytesRead: file.bytes.length, totalBytes: file.bytes.length });
		expect(last.counts).toMatchObject({ valid: file.expected.valid, rejected: file.expected.rejected });
	});

	it('a failing source surfaces as a rejected iteration, not a hang', async () => {
		const file = makeNasty1252(500);
		async function* failing() {
			yield file.bytes.subarray(0, 70_000);
			throw new Error('upload aborted');
		}
		const run = async () => {
			for await (const _ of parseContactsCsv(csvSource(failing()), base(file.mapping))) void _;
		};
		await expect(run()).rejects.toThrow('upload aborted');
	});

	it('stopping early releases the source', async () => {
		const file = makeNasty1252(3000);
		let returned = false;
		const source: AsyncIterable<Uint8Array> = {
			[Symbol.asyncIterator]() {
				let i = 0;
				return {
					next: async () => (i < file.bytes.length ? { done: false, value: file.bytes.subarray(i, (i += 2048)) } : { done: true, value: undefined }),
					return: async () => {
						returned = true;
						return { done: true, value: undefined };
					}
				};
			}
		};
		for await (const b of parseContactsCsv(csvSource(source), { ...base(file.mapping), batchSize: 100 })) {
			expect(b.rows.length).toBeGreaterThan(0);
			break;
		}
		expect(returned).toBe(true);
	});
});

describe('nasty fixtures (generated at test time)', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'atlas-import-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const key = (i: { row: number; field: string; code: string }) => `${i.row}|${i.field}|${i.code}`;

	async function run(file: NastyFile) {
		const path = join(dir, file.name);
		writeFileSync(path, file.bytes);
		// 4093-byte chunks (prime): characters and records are cut at odd places.
		const stream = createReadStream(path, { highWaterMark: 4093 });
		const r = await collectContacts(stream, { ...base(file.mapping), totalBytes: statSync(path).size });
		return { ...r, size: statSync(path).size };
	}

	it('Windows-1252 ; file, 10,500 rows: exact counts, errors and warnings', async () => {
		const file = makeNasty1252();
		const r = await run(file);
		expect(r.summary).toMatchObject({ encoding: 'windows-1252', separator: ';' });
		const e = file.expected;
		expect(r.summary.counts).toEqual({
			records: e.records,
			valid: e.valid,
			rejected: e.rejected,
			duplicates: e.duplicates,
			emptyLines: e.emptyLines
		});
		expect(e.records).toBeGreaterThan(10_000);
		expect(r.rows).toHaveLength(e.valid);
		expect(r.errors.map(key).sort()).toEqual(e.errors.map(key).sort());
		expect(r.warnings.map(key).sort()).toEqual(e.warnings.map(key).sort());
		expect(r.batches.length).toBeGreaterThan(5);
		expect(r.batches.at(-1)!.progress.bytesRead).toBe(r.size);
		// Spot checks by line: decoding (É, ï, ë), bracket-aware splitting, CET conversion.
		const byLine = lineIndex(r.batches);
		expect(Object.keys(e.spot).length).toBeGreaterThan(0);
		for (const [line, want] of Object.entries(e.spot)) {
			const row = byLine.get(Number(line));
			expect(row, `line ${line}`).toBeDefined();
			for (const [k, v] of Object.entries(want)) expect(row![k as keyof ContactRow], `line ${line} ${k}`).toEqual(v);
		}
		expect(r.rows.filter((x) => x.team === 'Équipe Brugse Poort').length).toBeGreaterThan(1000);
		// One specific error, with its message.
		const first31Feb = r.errors.find((x) => x.code === 'impossible_date' && x.value?.startsWith('31/02/2026'))!;
		expect(first31Feb.message.nl).toBe(`Rij ${first31Feb.row}, kolom ‘Datum’: ‘${first31Feb.value}’ is geen bestaande datum`);
		expect(first31Feb.row).toBe(13); // header + 11 data rows before it
	});

	it('UTF-8 BOM , file: exact counts, multi-line records keep row numbers right', async () => {
		const file = makeNastyUtf8Bom();
		const r = await run(file);
		expect(r.summary).toMatchObject({ encoding: 'utf-8', separator: ',' });
		const e = file.expected;
		expect(r.summary.counts).toEqual({
			records: e.records,
			valid: e.valid,
			rejected: e.rejected,
			duplicates: e.duplicates,
			emptyLines: 0
		});
		expect(r.errors.map(key).sort()).toEqual(e.errors.map(key).sort());
		expect(r.warnings.map(key).sort()).toEqual(e.warnings.map(key).sort());
		const byLine = lineIndex(r.batches);
		for (const [line, want] of Object.entries(e.spot))
			for (const [k, v] of Object.entries(want)) expect(byLine.get(Number(line))![k as keyof ContactRow]).toEqual(v);
		const byId = new Map(r.rows.map((x) => [x.externalId, x]));
		expect(byId.get('C-00010')!.targetGroups).toEqual([1, 2]);
		expect(byId.get('C-00000')!.occurredAt).toBe('2024-12-01T07:00:00.000Z');
		// The three timestamp spellings (local, Z, +01:00) give the same wall-clock instants.
		expect(byId.get('C-00001')!.occurredAt).toBe('2024-12-01T07:37:00.000Z');
		expect(byId.get('C-00002')!.occurredAt).toBe('2024-12-01T08:14:00.000Z');
	});

	it('summariseContactsCsv: counts, the first N errors and all error codes', async () => {
		const file = makeNasty1252();
		const report = await summariseContactsCsv(csvSource(pieces(file.bytes, 65_536)), base(file.mapping), 25);
		expect(report.counts.valid).toBe(file.expected.valid);
		expect(report.errors).toHaveLength(25);
		expect(report.truncated).toBe(true);
		expect(report.errors[0]!.row).toBe(Math.min(...file.expected.errors.map((x) => x.row)));
		const codes = file.expected.errors.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x.code]: (acc[x.code] ?? 0) + 1 }), {});
		expect(report.errorCodes).toEqual(codes);
	});

	it('the report collector can run alongside row inserts', async () => {
		const file = makeNastyUtf8Bom(300);
		const collector = createReportCollector(5);
		let inserted = 0;
		const gen = parseContactsCsv(csvSource(pieces(file.bytes, 999)), base(file.mapping));
		for (;;) {
			const r = await gen.next();
			if (r.done) {
				const report = collector.result(r.value);
				expect(report.counts.valid).toBe(inserted);
				expect(report.errors.length).toBeLessThanOrEqual(5);
				break;
			}
			inserted += r.value.rows.length;
			collector.add(r.value);
		}
	});
});
