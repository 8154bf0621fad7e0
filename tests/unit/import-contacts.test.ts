import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { columnMappingSchema } from '../../src/lib/domain/import/mapping';
import { createContactValidator, validateContactRow, type ContactContext } from '../../src/lib/domain/import/contacts';
import { wgs84ToLambert72 } from '../../src/lib/domain/import/coordinates';
import { rowIssue } from '../../src/lib/domain/import/row-errors';

const ctx: ContactContext = {
	mapping: {
		occurredAt: 'Datum',
		lat: 'Lat',
		lng: 'Lon',
		crs: 'auto',
		contactType: 'Type',
		targetGroups: 'Doelgroep',
		themes: 'Thema',
		persons: 'Aantal',
		referral: 'Doorverwezen',
		team: 'Team'
	},
	vocabularies: DEFAULT_VOCABULARIES,
	area: { bbox: [3.5798, 50.9795, 3.8493, 51.1889] },
	resolution: 10,
	now: Date.UTC(2026, 5, 1),
	separator: ';'
};

const good = {
	Datum: '14/03/2026 21:30',
	Lat: '51,0530',
	Lon: '3,7266',
	Type: 'Eerste contact',
	Doelgroep: 'Dak- en thuisloos, Druggebruik',
	Thema: 'Huisvesting',
	Aantal: '2',
	Doorverwezen: 'ja',
	Team: ' Team Zuid '
};

describe('column mapping schema', () => {
	it('accepts a typical mapping and rejects unknown keys', () => {
		expect(columnMappingSchema.safeParse(ctx.mapping).success).toBe(true);
		expect(columnMappingSchema.safeParse({ ...ctx.mapping, colour: 'Kleur' }).success).toBe(false);
	});
	it('needs a complete coordinate pair', () => {
		const { lng: _lng, ...noLng } = ctx.mapping;
		expect(columnMappingSchema.safeParse(noLng).success).toBe(false);
		const { lat: _lat, lng: _lng2, ...none } = ctx.mapping;
		expect(columnMappingSchema.safeParse(none).success).toBe(false);
		expect(columnMappingSchema.safeParse({ ...none, x: 'X', y: 'Y', crs: 'lambert72' }).success).toBe(true);
	});
	it('both pairs only with crs auto', () => {
		expect(columnMappingSchema.safeParse({ ...ctx.mapping, x: 'X', y: 'Y', crs: 'lambert72' }).success).toBe(false);
		expect(columnMappingSchema.safeParse({ ...ctx.mapping, x: 'X', y: 'Y' }).success).toBe(true);
	});
	it('round-trips through JSON (it is stored per source)', () => {
		const parsed = columnMappingSchema.parse(JSON.parse(JSON.stringify(ctx.mapping)));
		expect(parsed).toEqual(ctx.mapping);
	});
});

describe('validateContactRow', () => {
	it('turns a good record into a row without any coordinates', () => {
		const r = validateContactRow(good, 2, ctx);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.row).toEqual({
			externalId: expect.stringMatching(/^h[0-9a-f]{32}$/),
			occurredAt: '2026-03-14T20:30:00.000Z',
			cell: latLngToCell(51.053, 3.7266, 10),
			contactType: 1,
			targetGroups: [1, 2],
			themes: [1],
			persons: 2,
			referral: true,
			team: 'Team Zuid'
		});
		expect(JSON.stringify(r.row)).not.toMatch(/51[.,]053|3[.,]7266/);
		expect(r.warnings).toEqual([]);
	});

	it('the derived id is stable and ignores formatting; it changes with the content', () => {
		const a = validateContactRow(good, 2, ctx);
		const b = validateContactRow({ ...good, Lat: '51.05300', Type: 'EERSTE_CONTACT', Doelgroep: 'Druggebruik|Homeless' }, 9, ctx);
		const c = validateContactRow({ ...good, Aantal: '3' }, 2, ctx);
		expect(a.ok && b.ok && c.ok).toBe(true);
		if (a.ok && b.ok && c.ok) {
			expect(b.row.externalId).toBe(a.row.externalId);
			expect(c.row.externalId).not.toBe(a.row.externalId);
		}
	});

	it('uses the file ID when mapped and filled', () => {
		const m = { ...ctx, mapping: { ...ctx.mapping, externalId: 'ID' } };
		const r = validateContactRow({ ...good, ID: ' A-17 ' }, 2, m);
		expect(r.ok && r.row.externalId).toBe('A-17');
	});

	it('defaults: no persons column → 1, no referral column → false, empty groups → []', () => {
		const { persons: _p, referral: _r, ...mapping } = ctx.mapping;
		const r = validateContactRow({ ...good, Doelgroep: '', Thema: '' }, 2, { ...ctx, mapping });
		expect(r.ok && [r.row.persons, r.row.referral, r.row.targetGroups, r.row.themes]).toEqual([1, false, [], []]);
	});

	it('reports a non-existing date with row, column and value, in Dutch and English', () => {
		const r = validateContactRow({ ...good, Datum: '31/02/2026' }, 17, ctx);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toEqual([
			{
				row: 17,
				field: 'Datum',
				code: 'impossible_date',
				value: '31/02/2026',
				message: {
					nl: 'Rij 17, kolom ‘Datum’: ‘31/02/2026’ is geen bestaande datum',
					en: 'Row 17, column ‘Datum’: ‘31/02/2026’ is not an existing date'
				}
			}
		]);
	});

	it('collects every problem of a row, unknown vocabulary included, never dropping values', () => {
		const r = validateContactRow(
			{ ...good, Type: 'Huisbezoek', Doelgroep: 'Jongeren, Studenten', Thema: 'Muziek|Gezondheid', Aantal: '0', Doorverwezen: 'misschien' },
			5,
			ctx
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.map((e) => [e.row, e.field, e.code, e.value])).toEqual([
			[5, 'Type', 'unknown_value', 'Huisbezoek'],
			[5, 'Doelgroep', 'unknown_value', 'Studenten'],
			[5, 'Thema', 'unknown_value', 'Muziek'],
			[5, 'Aantal', 'invalid_persons', '0'],
			[5, 'Doorverwezen', 'invalid_referral', 'misschien']
		]);
		expect(r.errors[1]!.message.nl).toBe(
			'Rij 5, kolom ‘Doelgroep’: ‘Studenten’ staat niet in de lijst doelgroepen; voeg het toe aan de woordenlijst of verbeter de waarde'
		);
	});

	it('several contact types in one cell are refused as multiple values', () => {
		const r = validateContactRow({ ...good, Type: 'Eerste contact, Crisis' }, 3, ctx);
		expect(!r.ok && r.errors.map((e) => e.code)).toEqual(['multiple_values']);
	});

	it('swapped coordinates: an error naming both columns, or a fix with a warning when allowed', () => {
		const swapped = { ...good, Lat: '3,7266', Lon: '51,0530' };
		const r = validateContactRow(swapped, 8, ctx);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject({ row: 8, field: 'Lat', code: 'swapped', value: '3,7266 / 51,0530' });
		expect(r.errors[0]!.message.nl).toContain('wissel de kolommen ‘Lat’ en ‘Lon’ om');
		expect(r.errors[0]!.message.en).toMatch(/^Row 8, columns ‘Lat’ and ‘Lon’: /);

		const fixed = validateContactRow(swapped, 8, { ...ctx, fixSwapped: true });
		expect(fixed.ok && fixed.row.cell).toBe(latLngToCell(51.053, 3.7266, 10));
		expect(fixed.warnings.map((w) => w.code)).toEqual(['swapped_fixed']);
	});

	it('outside the area: rejected, or accepted with a warning when the org allows it', () => {
		const antwerp = { ...good, Lat: '51,2194', Lon: '4,4025' };
		const r = validateContactRow(antwerp, 4, ctx);
		expect(!r.ok && r.errors.map((e) => [e.field, e.code])).toEqual([['Lat', 'outside']]);
		const ok = validateContactRow(antwerp, 4, { ...ctx, acceptOutside: true });
		expect(ok.ok && ok.warnings.map((w) => w.code)).toEqual(['outside']);
	});

	it('Lambert 72 in x/y columns, and lat/lng preferred when both are filled', () => {
		const { x, y } = wgs84ToLambert72(51.053, 3.7266);
		const mapping = { ...ctx.mapping, x: 'X', y: 'Y' };
		const lambertOnly = validateContactRow({ ...good, Lat: '', Lon: '', X: x.toFixed(2), Y: y.toFixed(2) }, 2, { ...ctx, mapping });
		expect(lambertOnly.ok && lambertOnly.row.cell).toBe(latLngToCell(51.053, 3.7266, 10));
		const both = validateContactRow({ ...good, X: '1', Y: '1' }, 2, { ...ctx, mapping });
		expect(both.ok).toBe(true);
		const neither = validateContactRow({ ...good, Lat: '', Lon: '', X: '', Y: '' }, 2, { ...ctx, mapping });
		expect(!neither.ok && neither.errors.map((e) => [e.field, e.code])).toEqual([
			['Y', 'required'],
			['X', 'required']
		]);
	});

	it('numbers: comma decimals and rejected ambiguous grouping', () => {
		const r = validateContactRow({ ...good, Lat: '51.053.0', Lon: 'abc' }, 6, ctx);
		expect(!r.ok && r.errors.map((e) => [e.field, e.code])).toEqual([
			['Lat', 'ambiguous_number'],
			['Lon', 'invalid_number']
		]);
	});

	it('a DST gap time is accepted with a warning', () => {
		const r = validateContactRow({ ...good, Datum: '29/03/2026 02:30' }, 2, ctx);
		expect(r.ok && r.row.occurredAt).toBe('2026-03-29T01:30:00.000Z');
		expect(r.warnings.map((w) => w.code)).toEqual(['dst_gap']);
	});

	it('joins a separate time column', () => {
		const v = createContactValidator({ ...ctx, mapping: { ...ctx.mapping, time: 'Uur' } });
		const r = v({ ...good, Datum: '14/03/2026', Uur: '21:30' }, 2);
		expect(r.ok && r.row.occurredAt).toBe('2026-03-14T20:30:00.000Z');
	});

	it('identical rows without an ID are separate contacts, with the same ids on every run', () => {
		const ids = () => {
			const v = createContactValidator(ctx);
			const rows = [2, 3, 4, 5].map((line) => v(line === 4 ? { ...good, Aantal: '3' } : good, line));
			return rows.map((r) => (r.ok ? { id: r.row.externalId, warnings: r.warnings.map((w) => [w.code, w.message.nl]) } : null));
		};
		const first = ids();
		const base = first[0]!.id;
		expect(base).toMatch(/^h[0-9a-f]{32}$/); // the first copy keeps the id earlier imports gave it
		expect(first.map((r) => r!.id)).toEqual([base, `${base}#2`, first[2]!.id, `${base}#3`]);
		expect(first[2]!.id).not.toContain('#');
		expect(first[1]!.warnings).toEqual([['identical_row', 'Rij 3: gelijk aan rij 2; zonder ID-kolom als apart contact geteld']]);
		expect(first[3]!.warnings[0]![1]).toContain('gelijk aan rij 2');
		expect(ids()).toEqual(first);
	});

	it('in a , file, multi values split on ; instead', () => {
		const r = validateContactRow({ ...good, Doelgroep: 'Homeless;Young people' }, 2, { ...ctx, separator: ',' });
		expect(r.ok && r.row.targetGroups).toEqual([1, 4]);
	});
});

describe('rowIssue', () => {
	it('whole-row and file-level prefixes', () => {
		expect(rowIssue(9, '', 'duplicate_row', undefined, { first: '4' }).message).toEqual({
			nl: 'Rij 9: dubbel van rij 4; overgeslagen',
			en: 'Row 9: duplicate of row 4; skipped'
		});
		expect(rowIssue(0, '', 'encoding_replaced', undefined, { n: '2' }).message.nl).toMatch(/^Bestand: 2 teken/);
	});
});
