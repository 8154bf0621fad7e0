// Cell values: numbers and yes/no. Dates (dates.ts) and vocabulary matching (vocab-match.ts)
// live in their own modules.

export type Parsed<T, C extends string = string> = { ok: true; value: T } | { ok: false; code: C };

const SIMPLE = /^-?\d+(?:[.,]\d+)?$/;
const PLAIN = /^-?\d+$/;
const DECIMAL = /^-?\d*[.,]\d+$/;
const GROUPED_DOT = /^-?\d{1,3}(?:\.\d{3})+,\d+$/; // 1.234,5 (Dutch/French locale)
const GROUPED_COMMA = /^-?\d{1,3}(?:,\d{3})+\.\d+$/; // 1,234.5 (English locale)
const GROUPED_SPACE = /^-?\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?:[.,]\d+)?$/; // 1 234,5

/**
 * A decimal number written with a dot or a comma. Choices (spreadsheet exports rarely group
 * digits, and a wrong guess silently moves a point by kilometres):
 * - one '.' or ',' is always the decimal mark: "51,0543" = "51.0543" = 51.0543, "1.234" = 1.234;
 * - grouping is accepted only when it cannot be misread: both marks present in proper 3-digit
 *   groups ("105.234,56", "105,234.56") or spaces as group marks ("105 234,56");
 * - anything else with several marks ("1.234.567", "1,2.3") is rejected as ambiguous.
 * No exponents, no NaN/Infinity.
 */
export function parseDecimal(raw: string): Parsed<number, 'invalid_number' | 'ambiguous_number'> {
	if (SIMPLE.test(raw)) return { ok: true, value: Number(raw.replace(',', '.')) }; // nearly every cell
	const s = raw
		.trim()
		.replace(/^\+/, '')
		.replace(/^[\u2212\u2013]/, '-');
	let norm: string | undefined;
	if (PLAIN.test(s)) norm = s;
	else if (DECIMAL.test(s)) norm = s.replace(',', '.');
	else if (GROUPED_DOT.test(s)) norm = s.replace(/\./g, '').replace(',', '.');
	else if (GROUPED_COMMA.test(s)) norm = s.replace(/,/g, '');
	else if (GROUPED_SPACE.test(s)) norm = s.replace(/[ \u00a0\u202f']/g, '').replace(',', '.');
	if (norm === undefined) {
		const marks = (s.match(/[.,]/g) ?? []).length;
		return { ok: false, code: /^-?[\d.,]+$/.test(s) && marks > 1 ? 'ambiguous_number' : 'invalid_number' };
	}
	const value = Number(norm);
	return Number.isFinite(value) ? { ok: true, value } : { ok: false, code: 'invalid_number' };
}

const DOT_THOUSANDS = /^-?\d{1,3}(?:\.\d{3})+$/; // 1.234, 1.234.567 (Belgian)
const COMMA_THOUSANDS = /^-?\d{1,3}(?:,\d{3}){2,}$/; // 1,234,567: two commas cannot be a decimal
const ONE_COMMA_GROUP = /^-?\d{1,3},\d{3}$/; // 1,234: 1234 in English, 1.234 in Dutch

/**
 * A whole number (inhabitants, people): what parseDecimal reads, plus thousands written with dots
 * ("1.234", "1.234.567"), since a count cannot be 1.234 — but "1,234" stays ambiguous, and a
 * fraction ("12,5") is 'not_whole'. Zero decimals ("1.234,0") are fine. The sign is the caller's.
 */
export function parseCount(raw: string): Parsed<number, 'invalid_number' | 'ambiguous_number' | 'not_whole'> {
	const s = raw.trim();
	if (DOT_THOUSANDS.test(s)) return { ok: true, value: Number(s.replace(/\./g, '')) };
	if (COMMA_THOUSANDS.test(s)) return { ok: true, value: Number(s.replace(/,/g, '')) };
	if (ONE_COMMA_GROUP.test(s)) return { ok: false, code: 'ambiguous_number' };
	const d = parseDecimal(raw);
	if (!d.ok) return d;
	return Number.isInteger(d.value) ? d : { ok: false, code: 'not_whole' };
}

const TRUE_WORDS = new Set(['ja', 'j', 'yes', 'y', '1', 'true', 'waar', 'x', 'oui', 'vrai', 'ok', '✓', '✔']);
const FALSE_WORDS = new Set(['', 'nee', 'n', 'no', '0', 'false', 'onwaar', 'non', 'faux', '-']);

/**
 * Yes/no cells as Flemish and Brussels sheets fill them: ja/nee, yes/no, 1/0, true/false, oui/non,
 * a tick ("x") or an empty cell (= no). Anything else is an error rather than a silent "no".
 */
export function parseBoolean(raw: string): Parsed<boolean, 'invalid_boolean'> {
	const s = raw.trim().toLowerCase();
	if (TRUE_WORDS.has(s)) return { ok: true, value: true };
	if (FALSE_WORDS.has(s)) return { ok: true, value: false };
	return { ok: false, code: 'invalid_boolean' };
}
