import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import {
	assertValueTargets,
	editDistance,
	similarity,
	suggestEntries,
	ValueResolver,
	ValueTally,
	valueSplitter,
	valueSeparatorSchema
} from '../../src/lib/domain/import/value-map';
import { createContactValidator } from '../../src/lib/domain/import/contacts';
import { UserInputError } from '../../src/lib/domain/errors';
import type { ColumnMapping } from '../../src/lib/domain/import/mapping';

const types = DEFAULT_VOCABULARIES.contact_type;
const groups = DEFAULT_VOCABULARIES.target_group;
const themes = DEFAULT_VOCABULARIES.theme;
const id = (list: typeof types, code: string) => list.find((e) => e.code === code)!.id;

describe('ValueResolver: how a file value finds its entry', () => {
	it('says exact for a code or label as written, loose when only case, accents or punctuation differ', () => {
		const r = new ValueResolver(groups);
		expect(r.resolve('Dak- en thuisloos')).toEqual({ how: 'exact', id: id(groups, 'dak_thuisloos') });
		expect(r.resolve('dak_thuisloos')).toEqual({ how: 'exact', id: id(groups, 'dak_thuisloos') });
		expect(r.resolve('DAK- EN THUISLOOS')).toEqual({ how: 'loose', id: id(groups, 'dak_thuisloos') });
		expect(r.resolve('geisoleerde ouderen')).toEqual({ how: 'loose', id: id(groups, 'geisoleerde_ouderen') });
		expect(r.resolve('Dak- en thuislozen')).toEqual({ how: 'none' });
	});

	it("applies the user's map first, as written and ignoring case, and refuses values mapped to null", () => {
		const r = new ValueResolver(themes, { Wonen: 'huisvesting', Toeleiding: null, Huisvesting: 'gezondheid' });
		expect(r.resolve('Wonen')).toEqual({ how: 'mapped', id: id(themes, 'huisvesting') });
		expect(r.resolve(' wonen ')).toEqual({ how: 'mapped', id: id(themes, 'huisvesting') });
		expect(r.resolve('Toeleiding')).toEqual({ how: 'rejected' });
		// the user's word wins over the vocabulary's own label
		expect(r.resolve('Huisvesting')).toEqual({ how: 'mapped', id: id(themes, 'gezondheid') });
		expect(r.unknownTargets).toEqual([]);
		// a map key written as its own comparison key still matches other spellings
		expect(new ValueResolver(themes, { wonen: 'huisvesting' }).resolve('WONEN')).toEqual({ how: 'mapped', id: id(themes, 'huisvesting') });
	});

	it('accepts a label as a target, and lists targets that are no entry', () => {
		const r = new ValueResolver(groups, { Junkies: 'Druggebruik', Daklozen: 'homeless_people' });
		expect(r.resolve('Junkies')).toEqual({ how: 'mapped', id: id(groups, 'druggebruik') });
		expect(r.unknownTargets).toEqual([{ value: 'Daklozen', code: 'homeless_people' }]);
		expect(r.resolve('Daklozen')).toEqual({ how: 'none' });
	});

	it('splits a multi-valued cell on the separator the user chose, the whole cell first', () => {
		const r = new ValueResolver(themes, { Wonen: 'huisvesting' });
		const seen: string[] = [];
		const out = r.resolveMany('Wonen / Inkomen en schulden', valueSplitter(';', '/'), (v) => seen.push(v));
		expect(out.map((o) => o.r)).toEqual([
			{ how: 'mapped', id: id(themes, 'huisvesting') },
			{ how: 'exact', id: id(themes, 'inkomen') }
		]);
		expect(seen).toEqual(['Wonen', 'Inkomen en schulden']);
		// the default separators of a ';' file: '|' and ','
		expect(r.resolveMany('Wonen|Gezondheid', valueSplitter(';')).map((o) => o.value)).toEqual(['Wonen', 'Gezondheid']);
		// a label holding a separator character stays whole
		expect(r.resolveMany('Basisbehoeften (eten, hygiëne)', valueSplitter(';')).map((o) => o.value)).toEqual(['Basisbehoeften (eten, hygiëne)']);
	});

	it('refuses separators that are letters, digits or spaces', () => {
		expect(valueSeparatorSchema.safeParse('|').success).toBe(true);
		expect(valueSeparatorSchema.safeParse('/;').success).toBe(true);
		expect(valueSeparatorSchema.safeParse('en').success).toBe(false);
		expect(valueSeparatorSchema.safeParse(' ').success).toBe(false);
		expect(valueSeparatorSchema.safeParse('').success).toBe(false);
	});
});

describe('suggestions: the closest entries, never applied', () => {
	it('finds the entry a foreign label was meant to be', () => {
		expect(suggestEntries('Druggebruikers', groups)[0]!.code).toBe('druggebruik');
		expect(suggestEntries('Dak- en thuislozen', groups)[0]!.code).toBe('dak_thuisloos');
		expect(suggestEntries('Opvolgcontacten', types)[0]!.code).toBe('opvolging');
		expect(suggestEntries('Crisis', types)[0]!.code).toBe('crisis');
	});

	it('suggests nothing when nothing is close', () => {
		// "toeleiding" and "begeleiding" share most letters (0.73) but not their meaning
		expect(suggestEntries('Toeleiding', types)).toEqual([]);
		expect(suggestEntries('Wonen', themes)).toEqual([]);
		expect(suggestEntries('', groups)).toEqual([]);
	});

	it('edit distance and similarity on hand-computed cases', () => {
		expect(editDistance('kitten', 'sitting')).toBe(3);
		expect(editDistance('', 'abc')).toBe(3);
		expect(similarity('Dak- en thuislozen', 'Dak- en thuisloos')).toBeCloseTo(1 - 3 / 15, 5);
		expect(similarity('Druggebruikers', 'Druggebruik')).toBeCloseTo(11 / 14, 5);
	});

	it('similarity is symmetric, 1 for equal keys, within [0, 1]', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
				const s = similarity(a, b);
				expect(s).toBeGreaterThanOrEqual(0);
				expect(s).toBeLessThanOrEqual(1);
				expect(similarity(b, a)).toBeCloseTo(s, 10);
			})
		);
		fc.assert(
			fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (a) => {
				expect(similarity(a, a.toUpperCase())).toBe(1);
			})
		);
	});
});

describe('assertValueTargets: a map naming a code the organisation lacks is refused', () => {
	it('names the field, the value and the code', () => {
		expect(() => assertValueTargets({ themes: { Wonen: 'huisvesting' }, targetGroups: { Daklozen: null } }, DEFAULT_VOCABULARIES)).not.toThrow();
		try {
			assertValueTargets({ targetGroups: { Daklozen: 'homeless_people' } }, DEFAULT_VOCABULARIES);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(UserInputError);
			const info = (e as UserInputError).info();
			expect(info).toMatchObject({ code: 'unknownValueCode', param: 'values.targetGroups', values: { value: 'Daklozen', code: 'homeless_people' } });
			expect(info.message).toContain('Daklozen');
			expect(info.message).toContain('homeless_people');
		}
	});
});

describe('the contacts validator with a value map', () => {
	const mapping: ColumnMapping = {
		occurredAt: 'Datum',
		lat: 'lat',
		lng: 'lng',
		contactType: 'Soort',
		targetGroups: 'Doelgroep',
		themes: 'Thema',
		values: {
			contactType: { Opvolging: 'opvolging', Toeleiding: null },
			targetGroups: { 'Dak- en thuislozen': 'dak_thuisloos' },
			themes: { Wonen: 'huisvesting' }
		},
		separator: '/'
	};
	const make = (tally?: ValueTally) =>
		createContactValidator({
			mapping,
			vocabularies: DEFAULT_VOCABULARIES,
			area: { bbox: [3.6, 51.0, 3.8, 51.1] },
			resolution: 10,
			now: new Date('2026-06-01T12:00:00Z'),
			tally
		});
	const record = (soort: string, groep: string, thema: string) => ({
		Datum: '2026-03-02 10:00',
		lat: '51.05',
		lng: '3.72',
		Soort: soort,
		Doelgroep: groep,
		Thema: thema
	});

	it('maps foreign labels to entries and splits on the chosen separator', () => {
		const r = make()(record('Opvolging', 'Dak- en thuislozen/Druggebruik', 'Wonen / Gezondheid'), 2);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.row.contactType).toBe(id(types, 'opvolging'));
		expect(r.row.targetGroups).toEqual([id(groups, 'dak_thuisloos'), id(groups, 'druggebruik')]);
		expect(r.row.themes).toEqual([id(themes, 'huisvesting'), id(themes, 'gezondheid')]);
	});

	it('refuses the rows of a value set to "reject these rows", naming row, column and value', () => {
		const r = make()(record('Toeleiding', '', ''), 7);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toHaveLength(1);
		expect(r.errors[0]).toMatchObject({ row: 7, field: 'Soort', code: 'rejected_value', value: 'Toeleiding' });
		expect(r.errors[0]!.message.en).toContain('reject these rows');
	});

	it('tallies each distinct value with its rows, how it matched and suggestions for the unmatched', () => {
		const tally = new ValueTally();
		const v = make(tally);
		v(record('Opvolging', 'Druggebruikers', 'Wonen'), 2);
		v(record('Opvolging', 'druggebruik', 'Huisvesting'), 3);
		v(record('Toeleiding', 'Druggebruikers', ''), 4);
		const s = tally.summary(DEFAULT_VOCABULARIES);
		const find = (field: string, value: string) => s.values.find((x) => x.field === field && x.value === value);
		expect(find('contactType', 'Opvolging')).toMatchObject({ rows: 2, how: 'mapped', code: 'opvolging' });
		expect(find('contactType', 'Toeleiding')).toMatchObject({ rows: 1, how: 'rejected' });
		expect(find('targetGroups', 'Druggebruikers')).toMatchObject({ rows: 2, how: 'none', suggestions: ['druggebruik'] });
		expect(find('targetGroups', 'druggebruik')).toMatchObject({ rows: 1, how: 'exact', code: 'druggebruik' });
		expect(find('themes', 'Huisvesting')).toMatchObject({ rows: 1, how: 'exact' });
		// unmatched values come first
		expect(s.values[0]).toMatchObject({ how: 'none' });
	});
});
