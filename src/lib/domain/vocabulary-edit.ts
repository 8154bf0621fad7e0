// The rules of the vocabulary editor (settings → vocabulary), pure so the page and the server
// agree and the tests need no database: labels that are filled and distinct once case and accents
// are ignored, stable codes made from the label, the order after a move, and what a merge changes
// in a saved import mapping.
import { UserInputError } from './errors';
import type { VocabularyKind } from './vocabulary';

export const MAX_LABEL_LENGTH = 80;
const MAX_CODE_LENGTH = 40;

/** An entry as the editor sees it. */
export interface EditableEntry {
	id: number;
	code: string;
	nl: string;
	en: string;
	active: boolean;
}

/**
 * Two labels are the same when they differ only in case, accents or spacing: "Dak- en
 * thuisloos" and "dak- en THUISLOOS", "Geïsoleerde" and "Geisoleerde" (NFD, marks dropped).
 */
export function labelKey(label: string): string {
	return label.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A code for a new entry, from its Dutch label: lower case ASCII letters, digits and "_"
 * ("Dak- en thuislozen" → "dak_en_thuislozen"), unique among `taken` by a suffix _2, _3, …
 * A code never changes afterwards: imports and saved mappings refer to it.
 */
export function codeFromLabel(label: string, taken: ReadonlySet<string>): string {
	const base =
		labelKey(label)
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^_+|_+$/g, '')
			.slice(0, MAX_CODE_LENGTH)
			.replace(/_+$/, '') || 'entry';
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) {
		const code = `${base}_${n}`;
		if (!taken.has(code)) return code;
	}
}

export interface Labels {
	nl: string;
	en: string;
}

/**
 * Checks the labels of a new or renamed entry against the other entries of its kind (retired ones
 * too: a retired "Wonen" is unretired, not added again). The English label may be left empty and
 * then takes the Dutch one. Returns the trimmed labels; throws a UserInputError naming the field:
 * vocabularyLabelEmpty, vocabularyLabelTooLong {max}, vocabularyLabelTaken {label, retired}.
 */
export function checkLabels(input: Labels, others: readonly EditableEntry[], selfId: number | null = null): Labels {
	const nl = input.nl.trim();
	const en = input.en.trim() || nl;
	if (!nl) throw new UserInputError('vocabularyLabelEmpty', 'labelNl', 'the Dutch label is empty');
	for (const [field, label] of [
		['labelNl', nl],
		['labelEn', en]
	] as const) {
		if (label.length > MAX_LABEL_LENGTH)
			throw new UserInputError('vocabularyLabelTooLong', field, `a label has at most ${MAX_LABEL_LENGTH} characters`, { max: MAX_LABEL_LENGTH });
	}
	const key = (field: 'labelNl' | 'labelEn', label: string) => {
		const k = labelKey(label);
		const clash = others.find((o) => o.id !== selfId && labelKey(field === 'labelNl' ? o.nl : o.en) === k);
		if (clash) {
			const taken = field === 'labelNl' ? clash.nl : clash.en;
			throw new UserInputError('vocabularyLabelTaken', field, `"${label}" is the same label as "${taken}" once case and accents are ignored`, {
				label: taken,
				retired: clash.active ? 0 : 1
			});
		}
	};
	key('labelNl', nl);
	// An English label that only repeats the Dutch one (left empty) is not a clash of its own.
	if (input.en.trim()) key('labelEn', en);
	return { nl, en };
}

/** The entry with this id, or a vocabularyUnknown refusal naming `field`. */
export function entryById<E extends EditableEntry>(entries: readonly E[], id: number, field = 'id'): E {
	const e = entries.find((x) => x.id === id);
	if (!e) throw new UserInputError('vocabularyUnknown', field, `no entry ${id} in this list`, { id });
	return e;
}

/** Checks a merge of `fromId` into `intoId`: both exist, they differ, and the target is in use. */
export function checkMerge<E extends EditableEntry>(entries: readonly E[], fromId: number, intoId: number): { from: E; into: E } {
	const from = entryById(entries, fromId);
	if (fromId === intoId) throw new UserInputError('vocabularyMergeSelf', 'into', 'an entry cannot be merged into itself');
	const into = entryById(entries, intoId, 'into');
	if (!into.active)
		throw new UserInputError('vocabularyMergeRetired', 'into', 'merge into an entry that is in use, not a retired one', { label: into.nl });
	return { from, into };
}

/** The ids in their new order after moving `id` one place up or down; unchanged at either end. */
export function moveInOrder(ids: readonly number[], id: number, direction: 'up' | 'down'): number[] {
	const out = [...ids];
	const i = out.indexOf(id);
	if (i < 0) throw new UserInputError('vocabularyUnknown', 'id', `no entry ${id} in this list`, { id });
	const j = direction === 'up' ? i - 1 : i + 1;
	if (j < 0 || j >= out.length) return out;
	[out[i], out[j]] = [out[j]!, out[i]!];
	return out;
}

/**
 * Where each kind's values sit in a saved import mapping: services keep their `categories` map
 * (and `defaultCategory`); the value maps of contacts and signals sit under `values.<key>`.
 * Values are entry codes, or for older category maps a code or a label.
 */
export const MAPPING_VALUE_KEYS: Record<VocabularyKind, string[]> = {
	contact_type: ['contactType'],
	target_group: ['targetGroups'],
	theme: ['themes'],
	service_category: ['categories'],
	referral_target: ['referral']
};

/**
 * A saved mapping with every value that names `from` (its code, or a label in either language)
 * pointing to `into`'s code instead. Returns null when nothing in it names `from`.
 */
export function mergeMappingValues(mapping: unknown, kind: VocabularyKind, from: Labels & { code: string }, into: { code: string }): unknown {
	if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping)) return null;
	const names = new Set([from.code, from.nl, from.en].map(labelKey));
	const namesFrom = (v: unknown) => typeof v === 'string' && names.has(labelKey(v));
	let changed = false;
	const remap = (map: unknown): unknown => {
		if (!map || typeof map !== 'object' || Array.isArray(map)) return map;
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(map)) {
			if (namesFrom(v)) {
				out[k] = into.code;
				changed = true;
			} else out[k] = v;
		}
		return out;
	};
	const m: Record<string, unknown> = { ...(mapping as Record<string, unknown>) };
	for (const key of MAPPING_VALUE_KEYS[kind]) {
		if (key in m) m[key] = remap(m[key]);
		const values = m.values;
		if (values && typeof values === 'object' && !Array.isArray(values) && key in values)
			m.values = { ...(values as Record<string, unknown>), [key]: remap((values as Record<string, unknown>)[key]) };
	}
	if (kind === 'service_category' && namesFrom(m.defaultCategory)) {
		m.defaultCategory = into.code;
		changed = true;
	}
	return changed ? m : null;
}
