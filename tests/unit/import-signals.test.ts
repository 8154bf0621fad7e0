// Signals from a CSV (with bad rows) and from the /signals form.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import {
	createSignalValidator,
	parseReporterKind,
	parseSignalStatus,
	parseSignalsCsv,
	personalDataIn,
	validateSignalForm,
	type SignalContext,
	type SignalRow
} from '../../src/lib/domain/import/signals';
import { signalMappingSchema } from '../../src/lib/domain/import/mapping';
import { ValueTally } from '../../src/lib/domain/import/value-map';
import type { RowBatch } from '../../src/lib/domain/import/rows';
import { csvSource } from '../../src/lib/server/imports/csv-stream';
import { GHENT_BBOX, NOW } from '../fixtures/import/make-nasty';

const FIX = 'tests/fixtures/import/';
const ctx: SignalContext = { area: { bbox: GHENT_BBOX }, targetGroups: DEFAULT_VOCABULARIES.target_group, resolution: 10, now: NOW };
const group = (code: string) => DEFAULT_VOCABULARIES.target_group.find((e) => e.code === code)!.id;
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
const brief = (issues: { row: number; field: string; code: string }[]) => issues.map((i) => [i.row, i.field, i.code]);

async function* once(b: Uint8Array) {
	yield b;
}
async function drain(gen: AsyncGenerator<RowBatch<SignalRow>, unknown>) {
	const out = {
		rows: [] as SignalRow[],
		errors: [] as RowBatch<SignalRow>['errors'],
		warnings: [] as RowBatch<SignalRow>['warnings'],
		counts: undefined as unknown
	};
	for await (const b of gen) {
		out.rows.push(...b.rows);
		out.errors.push(...b.errors);
		out.warnings.push(...b.warnings);
		out.counts = b.counts;
	}
	return out;
}

describe('signals CSV', () => {
	it('imports the good rows and names row and column of each bad one', async () => {
		const r = await drain(parseSignalsCsv(csvSource(once(readFileSync(FIX + 'signals.csv'))), mapping, ctx));
		expect(r.counts).toEqual({ records: 9, valid: 3, rejected: 5, duplicates: 1, emptyLines: 0 });
		expect(r.rows).toEqual<SignalRow[]>([
			{
				externalId: 'P-1',
				reportedAt: '2026-03-14T20:30:00.000Z',
				cell: latLngToCell(51.0543, 3.7174, 10),
				reporterKind: 'partner',
				description: 'Groep jongeren slaapt onder de brug',
				targetGroups: [group('jongeren')],
				status: 'open',
				handledAt: null
			},
			{
				externalId: 'P-2',
				reportedAt: '2026-03-15T07:00:00.000Z',
				cell: latLngToCell(51.0575, 3.7405, 10),
				reporterKind: 'citizen',
				description: 'Tentje in het park',
				targetGroups: [group('dak_thuisloos')],
				status: 'handled',
				handledAt: null
			},
			{
				externalId: 'P-8',
				reportedAt: '2026-03-21T10:00:00.000Z',
				cell: latLngToCell(51.052, 3.725, 10),
				reporterKind: 'worker',
				description: 'Matras in portiek, mail naar x@y.be',
				targetGroups: [group('dak_thuisloos'), group('druggebruik')],
				status: 'handled',
				handledAt: null
			}
		]);
		expect(brief(r.errors)).toEqual([
			[4, 'Datum', 'two_digit_year'],
			[5, 'Melder', 'invalid_reporter'],
			[6, 'Wat', 'required'],
			[7, 'Breedte', 'outside'],
			[8, 'Doelgroep', 'unknown_value']
		]);
		expect(r.errors[1]!.message).toEqual({
			nl: 'Rij 5, kolom ‘Melder’: ‘voorbijganger’ is geen gekende melder (partner, burger of werker)',
			en: 'Row 5, column ‘Melder’: ‘voorbijganger’ is not a known reporter (partner, citizen or worker)'
		});
		expect(brief(r.warnings)).toEqual([
			[8, 'Wat', 'personal_data'],
			[9, 'Wat', 'personal_data'],
			[10, '', 'duplicate_row']
		]);
	});

	it('without an ID column the id is derived, and does not change when the status does', () => {
		const { externalId: _, status: __, ...m } = mapping;
		const v = createSignalValidator({ ...m, status: 'Status' }, ctx);
		const rec = {
			Datum: '14/03/2026',
			Uur: '21:30',
			Breedte: '51,0543',
			Lengte: '3,7174',
			Melder: 'partner',
			Wat: 'Tent',
			Doelgroep: '',
			Status: 'open'
		};
		const a = v(rec, 2);
		const b = v({ ...rec, Status: 'afgehandeld' }, 2);
		expect(a.ok && b.ok).toBe(true);
		if (a.ok && b.ok) {
			expect(a.row.externalId).toMatch(/^s[0-9a-f]{32}$/);
			expect(b.row.externalId).toBe(a.row.externalId);
			expect(b.contentKey).not.toBe(a.contentKey);
		}
	});

	it('a default reporter kind serves files from one kind of reporter', () => {
		expect(signalMappingSchema.safeParse({ reportedAt: 'd', lat: 'a', lng: 'b', description: 'w' }).success).toBe(false);
		const m = signalMappingSchema.parse({ reportedAt: 'd', lat: 'a', lng: 'b', description: 'w', defaultReporterKind: 'partner' });
		const r = createSignalValidator(m, ctx)({ d: '2026-03-14', a: '51.05', b: '3.72', w: 'x' }, 2);
		expect(r.ok && r.row.reporterKind).toBe('partner');
	});
});

describe('value mapping in the signals import', () => {
	it('maps another system’s target groups, splits a multi-valued cell, refuses a value set to null, tallies each', () => {
		const tally = new ValueTally();
		const m = signalMappingSchema.parse({
			...mapping,
			values: { targetGroups: { 'Dak- en thuislozen': 'dak_thuisloos', Druggebruikers: 'druggebruik', '=HYPERLINK("x")': null } }
		});
		const v = createSignalValidator(m, { ...ctx, tally });
		const rec = { Nr: 'S1', Datum: '14/03/2026', Uur: '21:30', Breedte: '51,0543', Lengte: '3,7174', Melder: 'partner', Wat: 'Tent', Status: 'open' };
		const a = v({ ...rec, Doelgroep: 'Dak- en thuislozen|Druggebruikers' }, 2);
		expect(a.ok && a.row.targetGroups).toEqual([group('dak_thuisloos'), group('druggebruik')]);
		const b = v({ ...rec, Nr: 'S2', Doelgroep: '=HYPERLINK("x")' }, 3);
		expect(b.ok).toBe(false);
		expect(!b.ok && brief(b.errors)).toEqual([[3, 'Doelgroep', 'rejected_value']]);
		const c = v({ ...rec, Nr: 'S3', Doelgroep: 'Druggebruikers' }, 4);
		expect(c.ok).toBe(true);
		const summary = tally.summary({ target_group: DEFAULT_VOCABULARIES.target_group });
		expect(summary.values.map((x) => [x.value, x.rows, x.how])).toEqual([
			['Druggebruikers', 2, 'mapped'],
			['=HYPERLINK("x")', 1, 'rejected'],
			['Dak- en thuislozen', 1, 'mapped']
		]);
	});
});

describe('words', () => {
	it.each([
		['partner', 'partner'],
		['Burger', 'citizen'],
		['buurtbewoner', 'citizen'],
		['werker', 'worker'],
		['Outreachwerker', 'worker'],
		['straathoekwerker', 'worker'],
		['politie', null]
	])('reporter %s → %s', (raw, kind) => expect(parseReporterKind(raw)).toBe(kind));

	it.each([
		['', 'open'],
		['Open', 'open'],
		['afgehandeld', 'handled'],
		['Behandeld', 'handled'],
		['handled', 'handled'],
		['misschien', null]
	])('status %s → %s', (raw, status) => expect(parseSignalStatus(raw)).toBe(status));

	it('flags obvious personal data', () => {
		expect(personalDataIn('bel 0470 12 34 56')?.en).toBe('a phone number');
		expect(personalDataIn('mail jan@example.be')?.en).toBe('an e-mail address');
		expect(personalDataIn('rijksregister 85.07.30-033.28')?.en).toBe('a national register number');
		expect(personalDataIn('twee mannen op de bank, rond 22 uur')).toBeNull();
	});
});

describe('the /signals form', () => {
	const f = { area: { bbox: GHENT_BBOX }, resolution: 10, targetGroups: DEFAULT_VOCABULARIES.target_group, now: NOW };
	const cell = latLngToCell(51.05, 3.72, 10);

	it('takes a picked cell, or snaps typed coordinates (never keeping them)', () => {
		const a = validateSignalForm({ cell, reporterKind: 'citizen', description: ' Tent  aan de Leie ', targetGroups: [String(group('jongeren'))] }, f);
		expect(a).toEqual({
			ok: true,
			value: {
				reportedAt: new Date(NOW).toISOString(),
				cell,
				reporterKind: 'citizen',
				description: 'Tent aan de Leie',
				targetGroups: [group('jongeren')]
			},
			warning: null
		});
		const b = validateSignalForm({ lat: '51,05', lng: '3,72', reportedAt: '2026-05-30T22:15', reporterKind: 'worker', description: 'x' }, f);
		expect(b.ok && b.value).toMatchObject({ cell, reportedAt: '2026-05-30T20:15:00.000Z' });
	});

	it.each([
		[{}, 'where', 'whereRequired'],
		[{ cell: '8a194db1369ffff'.replace('8a', '89') }, 'where', 'cellInvalid'],
		[{ lat: '50.85', lng: '4.35' }, 'where', 'coordinatesOutside'],
		[{ lat: '3.72', lng: '51.05' }, 'where', 'coordinatesSwapped'],
		[{ cell, reportedAt: '2027-01-01T10:00' }, 'reportedAt', 'dateFuture'],
		[{ cell, reporterKind: 'police' }, 'reporterKind', 'reporterRequired'],
		[{ cell, description: '   ' }, 'description', 'descriptionRequired'],
		[{ cell, targetGroups: ['99'] }, 'targetGroups', 'targetGroupInvalid']
	])('%j → %s %s', (patch, field, code) => {
		const r = validateSignalForm({ reporterKind: 'partner', description: 'iets', ...patch }, f);
		expect(r).toMatchObject({ ok: false, field, code });
	});
});
