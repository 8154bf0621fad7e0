// Value maps: how another system's words become the organisation's vocabulary. A file says
// "Opvolging", "Dak- en thuislozen" or "Wonen"; the user decides once, per distinct value, which
// entry it means (or that its rows are refused), and the decision is saved with the source's
// mapping. Services write their category map the same way (`categories`), contacts and signals
// under `values`. Pure and browser-safe: the wizard shows the same matching the server applies.
import { z } from 'zod';
import type { VocabularyEntry, VocabularyKind } from '../vocabulary';
import { buildVocabularyIndex, matchKey, matchVocabulary, splitMultiValue, type VocabularyIndex } from './vocab-match';
import type { Separator } from './sniff';
import { rowIssue, type RowIssue } from './row-errors';
import { UserInputError } from '../errors';

/** A file value → an entry's code, or null: "refuse the rows that carry this value". */
export const valueMapSchema = z.record(z.string().trim().min(1).max(200), z.string().trim().min(1).max(200).nullable());
export type ValueMap = z.infer<typeof valueMapSchema>;

/** The characters that split a multi-valued cell ("Wonen, Inkomen", "Wonen|Inkomen"). */
export const valueSeparatorSchema = z
	.string()
	.min(1)
	.max(5)
	.refine((s) => !/[\p{L}\p{N}\s]/u.test(s), 'separator characters cannot be letters, digits or spaces');

/** The vocabulary columns of each import kind, by mapping field, with the list each one draws on. */
export const VALUE_FIELDS = {
	contactType: { vocabulary: 'contact_type', multi: false },
	targetGroups: { vocabulary: 'target_group', multi: true },
	themes: { vocabulary: 'theme', multi: true },
	referral: { vocabulary: 'referral_target', multi: false },
	/** Services: written as the mapping's top-level `categories`, not under `values`. */
	category: { vocabulary: 'service_category', multi: false }
} as const satisfies Record<string, { vocabulary: VocabularyKind; multi: boolean }>;
export type ValueField = keyof typeof VALUE_FIELDS;

export const contactValuesSchema = z
	.object({
		contactType: valueMapSchema.optional(),
		targetGroups: valueMapSchema.optional(),
		themes: valueMapSchema.optional(),
		referral: valueMapSchema.optional()
	})
	.strict();
export const signalValuesSchema = z.object({ targetGroups: valueMapSchema.optional() }).strict();
export type FieldValueMaps = Partial<Record<ValueField, ValueMap>>;

/** How a file value found its entry: as written, ignoring case and accents, by the user's map, or not. */
export type MatchHow = 'exact' | 'loose' | 'mapped' | 'rejected' | 'none' | 'ambiguous';

export type Resolved = { how: 'exact' | 'loose' | 'mapped'; id: number } | { how: 'rejected' | 'none' | 'ambiguous' };

/** A map target that names no entry of the organisation's list. */
export interface UnknownTarget {
	value: string;
	code: string;
}

/**
 * Resolves one column's values: the user's map first (the value as written, then ignoring case,
 * accents and punctuation), then the vocabulary's codes and labels.
 */
export class ValueResolver {
	private readonly index: VocabularyIndex;
	/** No entries and no map: nothing can match. */
	readonly empty: boolean;
	private readonly exact = new Map<string, number>();
	private readonly mapped = new Map<string, number | null>();
	readonly unknownTargets: UnknownTarget[] = [];

	constructor(entries: readonly VocabularyEntry[], map: ValueMap = {}) {
		this.index = buildVocabularyIndex(entries);
		this.empty = entries.length === 0 && Object.keys(map).length === 0;
		for (const e of entries) for (const text of [e.code, e.nl, e.en]) if (!this.exact.has(text)) this.exact.set(text, e.id);
		const byCode = new Map(entries.map((e) => [e.code, e.id]));
		for (const [value, code] of Object.entries(map)) {
			let id: number | null = null;
			if (code !== null) {
				// a code; a label is accepted too (maps written before codes were shown)
				const hit = byCode.get(code) ?? matchVocabulary(code, this.index);
				if (typeof hit === 'number') id = hit;
				else if (hit.ok) id = hit.id;
				else {
					this.unknownTargets.push({ value, code });
					continue;
				}
			}
			this.mapped.set(value.trim(), id);
			const key = matchKey(value);
			// the first value with a key wins (a map key can itself be its key: "wonen")
			if (key && !this.mapped.has(`\u0000${key}`)) this.mapped.set(`\u0000${key}`, id);
		}
	}

	resolve(raw: string): Resolved {
		const value = raw.trim();
		const user = this.mapped.has(value) ? this.mapped.get(value) : this.mapped.get(`\u0000${matchKey(value)}`);
		if (user !== undefined) return user === null ? { how: 'rejected' } : { how: 'mapped', id: user };
		const exact = this.exact.get(value);
		if (exact !== undefined) return { how: 'exact', id: exact };
		const m = matchVocabulary(value, this.index);
		if (m.ok) return { how: 'loose', id: m.id };
		return { how: m.code === 'ambiguous_value' ? 'ambiguous' : 'none' };
	}

	/**
	 * A multi-valued cell: the whole cell first (a label may itself hold a separator character),
	 * then each part. Every part is tallied.
	 */
	resolveMany(raw: string, split: (s: string) => string[], tally?: (value: string, r: Resolved) => void): { value: string; r: Resolved }[] {
		if (raw.trim() === '') return [];
		const whole = this.resolve(raw);
		if (whole.how !== 'none' && whole.how !== 'ambiguous') {
			tally?.(raw.trim(), whole);
			return [{ value: raw.trim(), r: whole }];
		}
		return split(raw).map((value) => {
			const r = this.resolve(value);
			tally?.(value, r);
			return { value, r };
		});
	}
}

/**
 * A saved or sent value map must name entries the organisation has: the first target that is no
 * code (nor label) of its list is refused, naming the field, the file value and the code.
 */
export function assertValueTargets(values: FieldValueMaps | undefined, lists: Partial<Record<VocabularyKind, readonly VocabularyEntry[]>>) {
	for (const [field, map] of Object.entries(values ?? {}) as [ValueField, ValueMap | undefined][]) {
		if (!map) continue;
		const list = VALUE_FIELDS[field].vocabulary;
		const bad = new ValueResolver(lists[list] ?? [], map).unknownTargets[0];
		const where = field === 'category' ? 'categories' : `values.${field}`;
		if (bad)
			throw new UserInputError(
				'unknownValueCode',
				where,
				`${where} maps ‘${bad.value}’ to ‘${bad.code}’, which is not a code of the organisation's ${list} list`,
				{ field, value: bad.value, code: bad.code }
			);
	}
}

/** The row issue for a value that found no entry. */
export const problemCode = (r: Resolved) => (r.how === 'rejected' ? 'rejected_value' : r.how === 'ambiguous' ? 'ambiguous_value' : 'unknown_value');

/**
 * A multi-valued cell of column `col` → unique ids in cell order; each value that found no entry
 * is reported on the row, naming the list (`listNl`/`listEn`) it was looked up in.
 */
export function matchValues(
	raw: string,
	row: number,
	col: string,
	resolver: ValueResolver,
	split: (s: string) => string[],
	list: { listNl: string; listEn: string },
	errors: RowIssue[],
	tally?: (value: string, r: Resolved) => void
): number[] {
	const ids: number[] = [];
	for (const { value, r } of resolver.resolveMany(raw, split, tally)) {
		if ('id' in r) {
			if (!ids.includes(r.id)) ids.push(r.id);
		} else errors.push(rowIssue(row, col, problemCode(r), value, r.how === 'rejected' ? {} : list));
	}
	return ids;
}

/** The splitter of a column: the user's separator characters, or the file's default ones. */
export function valueSplitter(fileSeparator: Separator, chars?: string): (raw: string) => string[] {
	return (raw) => splitMultiValue(raw, fileSeparator, chars);
}

// ---- the dry run's list of values ----------------------------------------------------------------

/** At most this many distinct values are listed per column; the rest are counted. */
export const MAX_LISTED_VALUES = 500;

export interface ValueCount {
	field: ValueField;
	value: string;
	rows: number;
	how: MatchHow;
	/** The entry the value resolved to. */
	code?: string;
	/** For a value that matched nothing: the closest entries, best first (never applied by themselves). */
	suggestions?: string[];
}

export interface ValueSummary {
	values: ValueCount[];
	/** Distinct values past MAX_LISTED_VALUES, per field. */
	unlisted: Partial<Record<ValueField, number>>;
}

/** Counts each distinct value of each vocabulary column while rows are read. */
export class ValueTally {
	private readonly seen = new Map<ValueField, Map<string, { rows: number; r: Resolved }>>();
	private readonly unlisted: Partial<Record<ValueField, number>> = {};

	add(field: ValueField, value: string, r: Resolved) {
		let values = this.seen.get(field);
		if (!values) this.seen.set(field, (values = new Map()));
		const hit = values.get(value);
		if (hit) hit.rows++;
		else if (values.size < MAX_LISTED_VALUES) values.set(value, { rows: 1, r });
		else this.unlisted[field] = (this.unlisted[field] ?? 0) + 1;
	}

	summary(lists: Partial<Record<VocabularyKind, readonly VocabularyEntry[]>>): ValueSummary {
		const values: ValueCount[] = [];
		for (const [field, seen] of this.seen) {
			const entries = lists[VALUE_FIELDS[field].vocabulary] ?? [];
			const codeOf = new Map(entries.map((e) => [e.id, e.code]));
			for (const [value, { rows, r }] of seen) {
				const v: ValueCount = { field, value, rows, how: r.how };
				if ('id' in r) v.code = codeOf.get(r.id);
				else if (r.how === 'none' || r.how === 'ambiguous') v.suggestions = suggestEntries(value, entries).map((e) => e.code);
				values.push(v);
			}
		}
		// unmatched first, then the most frequent
		const rank = (h: MatchHow) => (h === 'none' || h === 'ambiguous' ? 0 : 1);
		values.sort((a, b) => rank(a.how) - rank(b.how) || b.rows - a.rows || a.value.localeCompare(b.value));
		return { values, unlisted: { ...this.unlisted } };
	}
}

// ---- suggestions ---------------------------------------------------------------------------------

/** Edit distance between two short strings (keys of labels: tens of characters). */
export function editDistance(a: string, b: string): number {
	if (a === b) return 0;
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++)
			cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
		prev = cur;
	}
	return prev[b.length]!;
}

/**
 * How alike a file value and a label are, 0..1, on their comparison keys: one starting with the
 * other ("druggebruikers" / "druggebruik") scores by the share they have in common, otherwise one
 * minus the edit distance relative to the longer key ("dakenthuislozen" / "dakenthuisloos": 0.8).
 */
export function similarity(a: string, b: string): number {
	const ka = matchKey(a);
	const kb = matchKey(b);
	if (!ka || !kb) return 0;
	const [short, long] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
	if (short.length >= 4 && long.startsWith(short)) return Math.max(0.75, short.length / long.length);
	return 1 - editDistance(ka, kb) / long.length;
}

/** Below this, an entry is no suggestion. */
export const SUGGESTION_THRESHOLD = 0.75;

/** The closest entries to a value (by code, Dutch and English label), best first, at most `max`. */
export function suggestEntries(value: string, entries: readonly VocabularyEntry[], max = 3): VocabularyEntry[] {
	return entries
		.map((e) => ({ e, s: Math.max(similarity(value, e.code), similarity(value, e.nl), similarity(value, e.en)) }))
		.filter((x) => x.s >= SUGGESTION_THRESHOLD)
		.sort((a, b) => b.s - a.s || a.e.id - b.e.id)
		.slice(0, max)
		.map((x) => x.e);
}
