// Matching free-typed cell values to an organisation's vocabulary (contact types, target groups,
// themes). Sheets are typed by hand: "dak- en thuisloos", "DAK_THUISLOOS" and "Homeless" all mean
// the same entry, and "geisoleerde ouderen" is "Geïsoleerde ouderen" without the trema.
import type { VocabularyEntry } from '../vocabulary';
import type { Separator } from './sniff';

/**
 * The comparison key: accents removed (NFKD, combining marks dropped), lower case, and every
 * character that is not a letter or digit dropped, so spaces, '-', '_', '/', '.' and brackets
 * do not matter. "Dak- en thuisloos" → "dakenthuisloos", "DAK_THUISLOOS" → "dakthuisloos".
 */
// Imports match the same few labels millions of times; remember the keys of short values.
const keyCache = new Map<string, string>();

export function matchKey(raw: string): string {
	let key = keyCache.get(raw);
	if (key === undefined) {
		key = raw
			.normalize('NFKD')
			.replace(/\p{M}/gu, '')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}]+/gu, '');
		if (raw.length <= 80) {
			if (keyCache.size > 50_000) keyCache.clear();
			keyCache.set(raw, key);
		}
	}
	return key;
}

export interface VocabularyIndex {
	/** key → id, or null when two different entries share the key (never guess between them). */
	keys: Map<string, number | null>;
}

/** Indexes each entry under its code, Dutch label and English label. */
export function buildVocabularyIndex(entries: readonly VocabularyEntry[]): VocabularyIndex {
	const keys = new Map<string, number | null>();
	for (const e of entries)
		for (const text of [e.code, e.nl, e.en]) {
			const k = matchKey(text);
			if (!k) continue;
			const prev = keys.get(k);
			keys.set(k, prev === undefined || prev === e.id ? e.id : null);
		}
	return { keys };
}

export type VocabMatch = { ok: true; id: number } | { ok: false; code: 'unknown_value' | 'ambiguous_value'; value: string };

export function matchVocabulary(raw: string, index: VocabularyIndex): VocabMatch {
	const hit = index.keys.get(matchKey(raw));
	if (hit === undefined) return { ok: false, code: 'unknown_value', value: raw.trim() };
	if (hit === null) return { ok: false, code: 'ambiguous_value', value: raw.trim() };
	return { ok: true, id: hit };
}

/**
 * Characters that separate several values in one cell. '|' always; besides that the list
 * separator that is NOT the file's column separator: ',' in ';' files (Dutch Excel habit:
 * "Druggebruik, Sekswerk") and ';' in ',' files. Tab files accept both.
 */
export function valueSeparators(fileSeparator: Separator): string {
	return fileSeparator === ';' ? '|,' : fileSeparator === ',' ? '|;' : '|;,';
}

/**
 * Splits on the value separators outside brackets: "Basisbehoeften (eten, hygiëne)" stays whole.
 * `chars`, when given, are the separators the user chose instead of the file's default ones.
 */
export function splitMultiValue(raw: string, fileSeparator: Separator, chars?: string): string[] {
	const seps = chars || valueSeparators(fileSeparator);
	const parts: string[] = [];
	let depth = 0;
	let cur = '';
	for (const c of raw) {
		if (c === '(' || c === '[') depth++;
		else if ((c === ')' || c === ']') && depth > 0) depth--;
		if (depth === 0 && seps.includes(c)) {
			parts.push(cur);
			cur = '';
		} else cur += c;
	}
	parts.push(cur);
	return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export interface MultiMatch {
	ids: number[];
	/** Values that matched nothing or more than one entry; each must be reported. */
	problems: { code: 'unknown_value' | 'ambiguous_value'; value: string }[];
}

/**
 * A multi-valued cell → unique ids in cell order. The whole cell is tried first, so a label that
 * itself contains a separator character still matches; then each part.
 */
export function matchMultiVocabulary(raw: string, index: VocabularyIndex, fileSeparator: Separator): MultiMatch {
	if (raw.trim() === '') return { ids: [], problems: [] };
	const whole = matchVocabulary(raw, index);
	if (whole.ok) return { ids: [whole.id], problems: [] };
	const ids: number[] = [];
	const problems: MultiMatch['problems'] = [];
	for (const part of splitMultiValue(raw, fileSeparator)) {
		const m = matchVocabulary(part, index);
		if (!m.ok) problems.push({ code: m.code, value: m.value });
		else if (!ids.includes(m.id)) ids.push(m.id);
	}
	return { ids, problems };
}
