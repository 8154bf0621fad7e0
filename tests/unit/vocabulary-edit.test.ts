// The vocabulary editor's rules: labels compared without case and accents, stable codes, the
// order after a move, merge checks and the rewriting of saved mappings; and referral cells and
// quick-log payloads that name a referral target.
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import {
	checkLabels,
	checkMerge,
	codeFromLabel,
	labelKey,
	mergeMappingValues,
	moveInOrder,
	type EditableEntry
} from '../../src/lib/domain/vocabulary-edit';
import { UserInputError } from '../../src/lib/domain/errors';
import { DEFAULT_VOCABULARIES } from '../../src/lib/domain/vocabulary';
import { createContactValidator, parseReferral } from '../../src/lib/domain/import/contacts';
import { ValueResolver } from '../../src/lib/domain/import/value-map';
import { checkQuickLog, parseStoredQueue } from '../../src/lib/domain/quick-log';

const entries: EditableEntry[] = [
	{ id: 1, code: 'dak_thuisloos', nl: 'Dak- en thuisloos', en: 'Homeless', active: true },
	{ id: 2, code: 'geisoleerde_ouderen', nl: 'Geïsoleerde ouderen', en: 'Isolated elderly', active: true },
	{ id: 3, code: 'sekswerk', nl: 'Sekswerk', en: 'Sex work', active: false }
];

function refused(f: () => unknown): UserInputError {
	try {
		f();
	} catch (e) {
		expect(e).toBeInstanceOf(UserInputError);
		return e as UserInputError;
	}
	throw new Error('expected a refusal');
}

describe('labelKey', () => {
	it('ignores case, accents (NFD) and spacing, not letters or punctuation', () => {
		expect(labelKey('  Geïsoleerde   OUDEREN ')).toBe('geisoleerde ouderen');
		expect(labelKey('Crèche')).toBe(labelKey('creche'));
		expect(labelKey('Dak- en thuisloos')).not.toBe(labelKey('Dak en thuisloos'));
		// a precomposed and a decomposed ï are one label
		expect(labelKey('Ge\u00efsoleerd')).toBe(labelKey('Gei\u0308soleerd'));
	});
});

describe('codeFromLabel', () => {
	it('makes a lower-case ASCII code and keeps it unique', () => {
		expect(codeFromLabel('Dak- en thuislozen', new Set())).toBe('dak_en_thuislozen');
		expect(codeFromLabel('Wonen / Huisvesting (tijdelijk)', new Set())).toBe('wonen_huisvesting_tijdelijk');
		expect(codeFromLabel('Opvolging', new Set(['opvolging', 'opvolging_2']))).toBe('opvolging_3');
		expect(codeFromLabel('!!!', new Set())).toBe('entry');
		expect(codeFromLabel('x'.repeat(100), new Set()).length).toBeLessThanOrEqual(40);
	});
});

describe('checkLabels', () => {
	it('trims, and gives an empty English label the Dutch one', () => {
		expect(checkLabels({ nl: '  Toeleiding ', en: ' ' }, entries)).toEqual({ nl: 'Toeleiding', en: 'Toeleiding' });
	});

	it('refuses an empty Dutch label with its field', () => {
		expect(refused(() => checkLabels({ nl: ' ', en: 'Referral' }, entries))).toMatchObject({ code: 'vocabularyLabelEmpty', field: 'labelNl' });
	});

	it('refuses a label equal to another once case and accents are ignored, naming the other', () => {
		const e = refused(() => checkLabels({ nl: 'geisoleerde ouderen', en: 'Lonely elderly' }, entries));
		expect(e).toMatchObject({ code: 'vocabularyLabelTaken', field: 'labelNl', values: { label: 'Geïsoleerde ouderen', retired: 0 } });
		const en = refused(() => checkLabels({ nl: 'Daklozen', en: 'HOMELESS' }, entries));
		expect(en).toMatchObject({ code: 'vocabularyLabelTaken', field: 'labelEn' });
		// a retired entry counts too, and the refusal says it is retired
		expect(refused(() => checkLabels({ nl: 'SEKSWERK', en: '' }, entries)).values).toMatchObject({ retired: 1 });
	});

	it('lets an entry keep or recase its own label', () => {
		expect(checkLabels({ nl: 'dak- en THUISLOOS', en: 'Homeless' }, entries, 1)).toEqual({ nl: 'dak- en THUISLOOS', en: 'Homeless' });
	});

	it('refuses a label that is too long', () => {
		expect(refused(() => checkLabels({ nl: 'a'.repeat(81), en: '' }, entries))).toMatchObject({
			code: 'vocabularyLabelTooLong',
			values: { max: 80 }
		});
	});
});

describe('checkMerge and moveInOrder', () => {
	it('refuses a merge into itself, into a retired entry, or of an unknown entry', () => {
		expect(refused(() => checkMerge(entries, 1, 1))).toMatchObject({ code: 'vocabularyMergeSelf', field: 'into' });
		expect(refused(() => checkMerge(entries, 1, 3))).toMatchObject({ code: 'vocabularyMergeRetired', field: 'into' });
		expect(refused(() => checkMerge(entries, 9, 1))).toMatchObject({ code: 'vocabularyUnknown', field: 'id' });
		expect(checkMerge(entries, 3, 1).into.id).toBe(1);
	});

	it('moves one place, and not past either end', () => {
		expect(moveInOrder([1, 2, 3], 3, 'up')).toEqual([1, 3, 2]);
		expect(moveInOrder([1, 2, 3], 1, 'down')).toEqual([2, 1, 3]);
		expect(moveInOrder([1, 2, 3], 1, 'up')).toEqual([1, 2, 3]);
		expect(moveInOrder([1, 2, 3], 3, 'down')).toEqual([1, 2, 3]);
		expect(refused(() => moveInOrder([1, 2], 7, 'up')).code).toBe('vocabularyUnknown');
	});
});

describe('mergeMappingValues', () => {
	const from = { code: 'caw', nl: 'CAW', en: 'CAW (general welfare centre)' };
	it("rewrites a services mapping's categories and default, by code or label", () => {
		expect(
			mergeMappingValues({ name: 'Naam', categories: { Welzijn: 'Caw', Nacht: 'nachtopvang' }, defaultCategory: 'CAW' }, 'service_category', from, {
				code: 'ocmw'
			})
		).toEqual({
			name: 'Naam',
			categories: { Welzijn: 'ocmw', Nacht: 'nachtopvang' },
			defaultCategory: 'ocmw'
		});
	});

	it('rewrites the value map of its own kind only, and answers null when nothing names the entry', () => {
		const m = { values: { referral: { 'Doorverwezen CAW': 'caw' }, themes: { CAW: 'caw' } } };
		expect(mergeMappingValues(m, 'referral_target', from, { code: 'ocmw' })).toEqual({
			values: { referral: { 'Doorverwezen CAW': 'ocmw' }, themes: { CAW: 'caw' } }
		});
		expect(mergeMappingValues({ values: { referral: { x: 'ocmw' } } }, 'referral_target', from, { code: 'ocmw' })).toBeNull();
		expect(mergeMappingValues(null, 'theme', from, { code: 'x' })).toBeNull();
	});
});

describe('referral cells and payloads that name a target', () => {
	const targets = new ValueResolver(DEFAULT_VOCABULARIES.referral_target);
	it('reads yes/no, and a target by code or label ignoring case and accents', () => {
		expect(parseReferral('ja', targets)).toEqual({ ok: true, referral: true });
		expect(parseReferral('', targets)).toEqual({ ok: true, referral: false });
		expect(parseReferral('CAW', targets)).toEqual({ ok: true, referral: true, target: 3 });
		expect(parseReferral('ocmw / sociale DIENST', targets)).toEqual({ ok: true, referral: true, target: 2 });
		expect(parseReferral('Nachtopvang', targets)).toEqual({ ok: true, referral: true, target: 1 });
		expect(parseReferral('Huisarts', targets)).toEqual({ ok: false, code: 'invalid_referral' });
		expect(parseReferral('Huisarts', new ValueResolver([]))).toEqual({ ok: false, code: 'invalid_boolean' });
	});

	it('gives an imported row its target, and keeps the derived id of a yes/no row', () => {
		const validate = createContactValidator({
			mapping: { occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type', referral: 'Doorverwezen naar' },
			vocabularies: DEFAULT_VOCABULARIES,
			area: { bbox: [3.5798, 50.9795, 3.8493, 51.1889] },
			resolution: 10,
			now: Date.UTC(2026, 5, 1)
		});
		const base = { Datum: '14/03/2026 21:30', Lat: '51.053', Lon: '3.7266', Type: 'Opvolgcontact' };
		const caw = validate({ ...base, 'Doorverwezen naar': 'CAW' }, 2);
		const yes = validate({ ...base, 'Doorverwezen naar': 'ja' }, 3);
		const plain = createContactValidator({
			mapping: { occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type', referral: 'Doorverwezen naar' },
			vocabularies: { contact_type: DEFAULT_VOCABULARIES.contact_type, target_group: [], theme: [] },
			area: { bbox: [3.5798, 50.9795, 3.8493, 51.1889] },
			resolution: 10,
			now: Date.UTC(2026, 5, 1)
		})({ ...base, 'Doorverwezen naar': 'ja' }, 3);
		expect(caw.ok && caw.row).toMatchObject({ referral: true, referralTarget: 3 });
		expect(yes.ok && yes.row.referral).toBe(true);
		expect(yes.ok && 'referralTarget' in yes.row).toBe(false);
		// the target list does not change the id of a row without a target
		expect(yes.ok && plain.ok && yes.row.externalId === plain.row.externalId).toBe(true);
		expect(caw.ok && yes.ok && caw.row.externalId !== yes.row.externalId).toBe(true);
	});

	it('a quick-log payload may name a target only with referral: true', () => {
		const cell = latLngToCell(51.05, 3.72, 10);
		const payload = {
			externalId: '3f0b8c1e-8a5d-4c1e-9f7a-2b6d4e8f0a11',
			occurredAt: '2026-03-10T12:30:00+01:00',
			cell,
			contactType: 1,
			targetGroups: [],
			themes: [],
			persons: 1,
			referral: true,
			referralTarget: 'caw'
		};
		const rules = { storageRes: 10, now: new Date('2026-03-10T12:00:00Z') };
		const ok = checkQuickLog(payload, rules);
		expect(ok.ok && ok.value.referralTarget).toBe('caw');
		const bad = checkQuickLog({ ...payload, referral: false }, rules);
		expect(bad).toMatchObject({ ok: false, error: { code: 'referralWithoutReferral', param: 'referralTarget' } });
		const none = checkQuickLog({ ...payload, referralTarget: null }, rules);
		expect(none.ok && 'referralTarget' in none.value).toBe(false);
	});

	it('a queued entry keeps its referral target across a reload of the queue', () => {
		const entry = {
			payload: {
				externalId: '3f0b8c1e-8a5d-4c1e-9f7a-2b6d4e8f0a11',
				occurredAt: '2026-03-10T11:30:00.000Z',
				cell: latLngToCell(51.05, 3.72, 10),
				contactType: 1,
				targetGroups: [],
				themes: [],
				persons: 1,
				referral: true,
				referralServiceId: null,
				referralTarget: 'caw',
				roundId: null
			},
			status: 'pending',
			queuedAt: 1,
			attempts: 0,
			lastAttemptAt: null,
			error: null
		};
		expect(parseStoredQueue(JSON.stringify([entry])).queue[0]!.payload.referralTarget).toBe('caw');
	});
});
