// Dialect sniffing on the head of a file: separator, decimal comma, header row. Belgian Excel
// writes ';' with decimal commas (Dutch/French locale); tools and English locales write ','.
// The head may be cut anywhere, so the tokenizer only trusts complete records.

/** '|' only when a "sep=|" line asks for it; the sniffer weighs the other three. */
export type Separator = ',' | ';' | '\t' | '|';
export const SEPARATORS: readonly Separator[] = [';', ',', '\t'];

export interface CsvRecord {
	fields: string[];
	/**
	 * 1-based row as a spreadsheet shows it: one per record, blank lines included, so a quoted
	 * field spanning lines does not shift the rows after it.
	 */
	line: number;
}

const SEP_LINE = /^sep=([;,\t|])[ \t]*(?:\r\n|\n|\r|$)/i;

/**
 * Excel's first line "sep=;" (also , tab |) names the separator. It is no record, and Excel does
 * not show it, so the header after it is row 1. `length` is what to skip, line break included.
 */
export function sepLine(text: string): { separator: Separator; length: number } | undefined {
	const m = SEP_LINE.exec(text);
	return m ? { separator: m[1] as Separator, length: m[0].length } : undefined;
}

/**
 * Quote-aware split (RFC 4180: "" escapes a quote; CRLF, LF or CR end a record). Returns at most
 * `max` records. Unless `complete`, the last record is dropped when the text does not end with a
 * line break or stops inside quotes: it may be cut off.
 */
export function splitCsv(text: string, sep: string, max = Infinity, complete = true): CsvRecord[] {
	const out: CsvRecord[] = [];
	let fields: string[] = [];
	let field = '';
	let quoted = false;
	let i = 0;
	const n = text.length;
	const endRecord = () => {
		fields.push(field);
		out.push({ fields, line: out.length + 1 });
		fields = [];
		field = '';
	};
	while (i < n && out.length < max) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
			} else field += c;
			i++;
			continue;
		}
		if (c === '"' && field === '') quoted = true;
		else if (c === sep) {
			fields.push(field);
			field = '';
		} else if (c === '\r' || c === '\n') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			endRecord();
		} else field += c;
		i++;
	}
	if (out.length < max && i >= n && (field !== '' || fields.length > 0) && complete && !quoted) endRecord();
	return out;
}

export const isBlankRecord = (fields: readonly string[]): boolean => fields.every((f) => f.trim() === '');

const COMMA_DECIMAL = /^[+-]?\d+,\d+$/;
const DOT_DECIMAL = /^[+-]?\d+\.\d+$/;
const LOOKS_NUMERIC = /^[+-]?\d+([.,]\d+)?$|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/;

export interface Dialect {
	separator: Separator;
	decimalComma: boolean;
	headers: string[];
	/** false when the first row looks like data (numbers, dates): the UI should warn. */
	headerLikely: boolean;
}

/**
 * Picks the separator whose first row splits into ≥ 2 columns and whose other rows agree best
 * with that count; ties go to ';' (the Belgian Excel default), then tab, then ','. Decimal comma:
 * more numeric cells with a comma than with a dot. A `known` separator (a sep= line, the user's
 * choice) is the only candidate.
 */
export function sniffDialect(head: string, complete = false, known?: Separator): Dialect {
	let best: { sep: Separator; score: number; records: string[][] } | undefined;
	for (const sep of known ? [known] : SEPARATORS) {
		const records = splitCsv(head, sep, 50, complete)
			.map((r) => r.fields)
			.filter((f) => !isBlankRecord(f));
		const width = records[0]?.length ?? 0;
		if (width < 2) continue;
		const rest = records.slice(1);
		const agree = rest.length === 0 ? 1 : rest.filter((r) => r.length === width).length / rest.length;
		const score = agree * 1000 + Math.min(width, 999);
		if (!best || score > best.score) best = { sep, score, records };
	}
	const separator = best?.sep ?? known ?? ',';
	const records = best?.records ?? splitCsv(head, separator, 50, complete).map((r) => r.fields);
	let commas = 0;
	let dots = 0;
	for (const r of records.slice(1))
		for (const f of r) {
			const v = f.trim();
			if (COMMA_DECIMAL.test(v)) commas++;
			else if (DOT_DECIMAL.test(v)) dots++;
		}
	const first = records[0] ?? [];
	return {
		separator,
		decimalComma: commas > dots,
		headers: uniqueHeaders(first),
		headerLikely: first.length > 0 && !first.some((f) => LOOKS_NUMERIC.test(f.trim()))
	};
}

/**
 * Header names as the mapping will refer to them: trimmed; an empty name becomes "Kolom N";
 * a repeated name gets " (2)", " (3)"… so every record key is unique.
 */
export function uniqueHeaders(fields: readonly string[]): string[] {
	const seen = new Map<string, number>();
	return fields.map((raw, i) => {
		const base = raw.trim() || `Kolom ${i + 1}`;
		const n = (seen.get(base) ?? 0) + 1;
		seen.set(base, n);
		return n === 1 ? base : `${base} (${n})`;
	});
}
