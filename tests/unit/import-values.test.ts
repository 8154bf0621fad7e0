import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { parseBoolean, parseCount, parseDecimal } from '../../src/lib/domain/import/values';
import { buildVocabularyIndex, matchKey, matchMultiVocabulary, matchVocabulary, splitMultiValue } from '../../src/lib/domain/import/vocab-match';

describe('parseDecimal', () => {
	it.each([
		['51,0543', 51.0543],
		['51.0543', 51.0543],
		[' -3,5 ', -3.5],
		['+4', 4],
		['−2,5', -2.5],
		[',5', 0.5],
		['105.234,56', 105234.56],
		['105,234.56', 105234.56],
		['105 234,56', 105234.56],
		['1.234', 1.234]
	])('%s → %d', (raw, value) => {
		expect(parseDecimal(raw)).toEqual({ ok: true, value });
	});
	it.each([
		['1.234.567', 'ambiguous_number'],
		['1,234,5', 'ambiguous_number'],
		['12.34,5', 'ambiguous_number'],
		['1e5', 'invalid_number'],
		['abc', 'invalid_number'],
		['', 'invalid_number'],
		['NaN', 'invalid_number'],
		['12.', 'invalid_number']
	])('%s is rejected as %s', (raw, code) => {
		expect(parseDecimal(raw)).toEqual({ ok: false, code });
	});
});

describe('parseCount', () => {
	// a count is whole, so a single dot or space in 3-digit groups can only group thousands
	it.each([
		['1234', 1234],
		['1.234', 1234],
		['1.234.567', 1234567],
		['1 234', 1234],
		['1\u00a0234', 1234],
		['1.234,0', 1234],
		['1234,00', 1234],
		['1234.0', 1234],
		['1,234,567', 1234567],
		[' 0 ', 0],
		['-12', -12]
	])('%s → %d', (raw, value) => {
		expect(parseCount(raw)).toEqual({ ok: true, value });
	});
	it.each([
		['12,5', 'not_whole'],
		['1.5', 'not_whole'],
		['1.234,5', 'not_whole'],
		['1,234', 'ambiguous_number'],
		['1.23', 'not_whole'],
		['12.34.5', 'ambiguous_number'],
		['abc', 'invalid_number'],
		['', 'invalid_number']
	])('%s is rejected as %s', (raw, code) => {
		expect(parseCount(raw)).toEqual({ ok: false, code });
	});
});

describe('parseBoolean', () => {
	it.each(['ja', 'JA', 'yes', 'Y', '1', 'true', 'x', 'X', 'oui', ' waar '])('%s → true', (raw) => {
		expect(parseBoolean(raw)).toEqual({ ok: true, value: true });
	});
	it.each(['nee', 'no', '0', 'false', '', '  ', 'non', 'N'])('%s → false', (raw) => {
		expect(parseBoolean(raw)).toEqual({ ok: true, value: false });
	});
	it.each(['misschien', '2', 'leeg?'])('%s is an error', (raw) => {
		expect(parseBoolean(raw)).toEqual({ ok: false, code: 'invalid_boolean' });
	});
});

describe('vocabulary matching', () => {
	const groups = buildVocabularyIndex(DEFAULT_VOCABULARIES.target_group);
	const themes = buildVocabularyIndex(DEFAULT_VOCABULARIES.theme);
	const homeless = DEFAULT_VOCABULARIES.target_group.find((e) => e.code === 'dak_thuisloos')!.id;
	const elderly = DEFAULT_VOCABULARIES.target_group.find((e) => e.code === 'geisoleerde_ouderen')!.id;

	it.each(['dak- en thuisloos', 'DAK_THUISLOOS', 'Homeless', '  Dak-  en   thuisloos ', 'dak thuisloos', 'HOMELESS.'])('%s → homeless', (raw) => {
		expect(matchVocabulary(raw, groups)).toEqual({ ok: true, id: homeless });
	});
	it('accents do not matter', () => {
		expect(matchVocabulary('geisoleerde ouderen', groups)).toEqual({ ok: true, id: elderly });
		expect(matchVocabulary('GEÏSOLEERDE OUDEREN', groups)).toEqual({ ok: true, id: elderly });
		expect(matchKey('Geïsoleerde ouderen')).toBe(matchKey('geisoleerde-ouderen'));
	});
	it('reports unknown values with the value', () => {
		expect(matchVocabulary('Studenten', groups)).toEqual({ ok: false, code: 'unknown_value', value: 'Studenten' });
	});
	it('refuses to guess between two entries sharing a key', () => {
		const idx = buildVocabularyIndex([
			{ id: 1, code: 'a', nl: 'Opvang', en: 'Shelter' },
			{ id: 2, code: 'b', nl: 'opvang', en: 'Reception' }
		]);
		expect(matchVocabulary('OPVANG', idx)).toMatchObject({ ok: false, code: 'ambiguous_value' });
		expect(matchVocabulary('shelter', idx)).toEqual({ ok: true, id: 1 });
	});

	it('splits on | always, on , in ; files and on ; in , files, not inside brackets', () => {
		expect(splitMultiValue('Druggebruik, Sekswerk|Jongeren', ';')).toEqual(['Druggebruik', 'Sekswerk', 'Jongeren']);
		expect(splitMultiValue('Druggebruik;Sekswerk', ',')).toEqual(['Druggebruik', 'Sekswerk']);
		expect(splitMultiValue('Druggebruik, Sekswerk', ',')).toEqual(['Druggebruik, Sekswerk']);
		expect(splitMultiValue('Basisbehoeften (eten, hygiëne), Huisvesting', ';')).toEqual(['Basisbehoeften (eten, hygiëne)', 'Huisvesting']);
		expect(splitMultiValue(' a ;; b ;', ',')).toEqual(['a', 'b']);
	});
	it('multi-valued cells: ids in order, duplicates merged, every unknown reported', () => {
		expect(matchMultiVocabulary('Homeless|dak- en thuisloos|Druggebruik', groups, ';')).toEqual({
			ids: [homeless, 2],
			problems: []
		});
		expect(matchMultiVocabulary('Jongeren, Studenten, Artiesten', groups, ';')).toEqual({
			ids: [4],
			problems: [
				{ code: 'unknown_value', value: 'Studenten' },
				{ code: 'unknown_value', value: 'Artiesten' }
			]
		});
		expect(matchMultiVocabulary('Basisbehoeften (eten, hygiëne)', themes, ',')).toEqual({ ids: [6], problems: [] });
		expect(matchMultiVocabulary('   ', themes, ',')).toEqual({ ids: [], problems: [] });
	});

	// Property (c): case, accents and extra spacing/punctuation of a label never change the match.
	it('property: matching is invariant to case, accents and whitespace', () => {
		const all = Object.entries({ target_group: groups, theme: themes });
		const entries = all.flatMap(([kind, idx]) =>
			DEFAULT_VOCABULARIES[kind as 'target_group' | 'theme'].flatMap((e) => [e.nl, e.en, e.code].map((label) => ({ label, id: e.id, idx })))
		);
		const addAccent: Record<string, string> = { a: 'á', e: 'é', i: 'ï', o: 'ö', u: 'ü', c: 'ç', n: 'ñ' };
		fc.assert(
			fc.property(
				fc.constantFrom(...entries),
				fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 64, maxLength: 64 }),
				({ label, id, idx }, noise) => {
					let k = 0;
					const mangled = [...label]
						.map((ch) => {
							const r = noise[k++ % noise.length]!;
							const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
							if (r === 1) return ch.toUpperCase();
							if (r === 2) return addAccent[base.toLowerCase()] ?? ch;
							if (r === 3) return ch === ' ' ? '   ' : ch;
							if (r === 4) return ch === ' ' ? '_' : ch === '-' ? ' ' : ch;
							if (r === 5) return base;
							return ch;
						})
						.join('');
					expect(matchVocabulary(`  ${mangled}\t`, idx)).toEqual({ ok: true, id });
				}
			)
		);
	});
});
