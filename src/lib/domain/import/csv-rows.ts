// The rows of a CSV import, from the file's records (read by server/imports/csv-stream.ts:
// decoded, sniffed and split by csv-parse) to validated batches with the counts and issues every
// CSV import reports. Pure: the records come from a CsvSource the caller hands in.
import type { TextEncodingName } from './decode';
import { isBlankRecord, SEPARATORS, type Separator } from './sniff';
import { matchKey } from './vocab-match';
import { rowIssue } from './row-errors';
import { exactSeenIds, type SeenResult } from './seen-ids';
import { emptyCounts, type ParseSummary, type RowBatch, type RowValidator } from './rows';

/** `line` is the spreadsheet row (1-based; an Excel "sep=" line is hidden, so not counted), the one every report names. */
export type CsvItem =
	/** The first non-blank record, with duplicate names made unique. */
	| { kind: 'header'; headers: string[]; line: number }
	/** A non-blank data record and its row. */
	| { kind: 'record'; fields: string[]; line: number }
	/** A record csv-parse could not read (reported as 'csv_syntax'); it counts as a record. */
	| { kind: 'broken'; line: number };

export interface CsvRecordReader {
	readonly separator: Separator;
	/** The detected (or given) encoding; 'utf-8' while the bytes are still undecided. */
	readonly encoding: TextEncodingName;
	readonly bytesRead: number;
	/** Characters the decoder replaced by U+FFFD; final once the items are read. */
	readonly replacements: number;
	/** Blank lines and all-empty records so far; final once the items are read. */
	emptyLines(): number;
	/** The file's records in order: header first, broken records where they start. Read once. */
	items: AsyncGenerator<CsvItem, void, undefined>;
}

export interface CsvRecordOptions {
	/** Override detection (e.g. the user corrected it in the preview). */
	encoding?: TextEncodingName;
	separator?: Separator;
}

/** Opens a file's records: server/imports/csv-stream.ts's csvSource over the upload's bytes. */
export type CsvSource = (opts: CsvRecordOptions) => Promise<CsvRecordReader>;

/**
 * The separator a row with fewer fields than the header looks written with: split on that one it
 * would have the header's columns (a decimal comma alone won't). Undefined when none fits.
 */
function otherSeparator(fields: readonly string[], width: number, separator: Separator): Separator | undefined {
	const raw = fields.join(separator);
	return SEPARATORS.find((s) => s !== separator && raw.split(s).length >= width);
}

/** Mapped columns are looked up exactly, then by matchKey (case, accents, spacing). */
export function resolveColumn(col: string, headers: readonly string[]): string | undefined {
	if (headers.includes(col)) return col;
	const k = matchKey(col);
	return headers.find((h) => matchKey(h) === k);
}

/** A record keyed by header; missing trailing fields are ''. */
export function toRecord(headers: readonly string[], fields: readonly string[]): Record<string, string> {
	const rec: Record<string, string> = {};
	for (let i = 0; i < headers.length; i++) rec[headers[i]!] = fields[i] ?? '';
	return rec;
}

/** What every streamed CSV import takes besides its mapping. */
export interface CsvStreamOptions extends CsvRecordOptions {
	/** Rows (or issues) per batch; default 1000. */
	batchSize?: number;
	/** File size, echoed in progress for a percentage. */
	totalBytes?: number;
}

export interface CsvBatchOptions<T> extends CsvStreamOptions {
	/**
	 * Called once with the header: the mapped columns it lacks (each a 'missing_column' issue,
	 * and the import stops), or the row validator and the ID column as the file spells it.
	 */
	header: (headers: string[], separator: Separator) => { missing: string[] } | { validate: RowValidator<T>; idColumn?: string };
	/** The external ids seen so far (first row and content), to tell duplicates from conflicts. */
	seen: { check(id: string, contentKey: string, row: number): SeenResult };
}

/**
 * Streams a CSV through a validator: yields batches of valid rows and issues, with cumulative
 * counts and bytes read. A record with more (non-empty) fields than the header is a
 * 'column_count' error. One with fewer is a 'too_few_columns' error when it looks written with
 * another separator; otherwise (tools that trim empty trailing fields) its missing fields are
 * empty, it is checked like any row (a required one then says so) and a 'short_row' warning
 * names it; an external id
 * seen before is a duplicate (warning, skipped) when the content is the same, else a
 * 'duplicate_id' error.
 */
export async function* parseCsvBatches<T extends { externalId: string }>(
	source: CsvSource,
	opts: CsvBatchOptions<T>
): AsyncGenerator<RowBatch<T>, ParseSummary, undefined> {
	const batchSize = opts.batchSize ?? 1000;
	const csv = await source(opts);
	const { separator } = csv;
	const counts = emptyCounts();

	let headers: string[] | undefined;
	const newBatch = (): RowBatch<T> => ({
		rows: [],
		rowLines: [],
		errors: [],
		warnings: [],
		rejected: [],
		headers: headers ?? [],
		progress: { bytesRead: csv.bytesRead, totalBytes: opts.totalBytes },
		counts
	});
	let batch = newBatch();
	const flush = (): RowBatch<T> => {
		counts.emptyLines = csv.emptyLines();
		const out = batch;
		out.progress = { bytesRead: csv.bytesRead, totalBytes: opts.totalBytes };
		out.counts = { ...counts };
		batch = newBatch();
		return out;
	};

	let validate: RowValidator<T> | undefined;
	let idColumn: string | undefined;
	for await (const item of csv.items) {
		if (item.kind === 'broken') {
			counts.records++;
			counts.rejected++;
			batch.errors.push(rowIssue(item.line, '', 'csv_syntax'));
			continue;
		}
		const line = item.line;
		if (item.kind === 'header') {
			headers = item.headers;
			batch.headers = headers;
			const h = opts.header(headers, separator);
			if ('missing' in h) {
				batch.errors.push(...h.missing.map((c) => rowIssue(line, c, 'missing_column')));
				yield flush();
				return { encoding: csv.encoding, separator, headers, counts: { ...counts } };
			}
			validate = h.validate;
			idColumn = h.idColumn;
			continue;
		}
		const fields = item.fields;
		const short = fields.length < headers!.length;
		const other = short ? otherSeparator(fields, headers!.length, separator) : undefined;
		counts.records++;
		if (fields.length > headers!.length && !isBlankRecord(fields.slice(headers!.length))) {
			counts.rejected++;
			batch.rejected.push({ row: line, fields });
			batch.errors.push(rowIssue(line, '', 'column_count', undefined, { n: String(fields.length), m: String(headers!.length) }));
		} else if (other) {
			counts.rejected++;
			batch.rejected.push({ row: line, fields });
			const extra = { n: String(fields.length), m: String(headers!.length), sep: separator, other };
			batch.errors.push(rowIssue(line, '', 'too_few_columns', undefined, extra));
		} else {
			if (short) {
				batch.warnings.push(rowIssue(line, '', 'short_row', undefined, { n: String(fields.length), m: String(headers!.length) }));
			}
			const res = validate!(toRecord(headers!, fields), line);
			if (res.warnings.length > 0) batch.warnings.push(...res.warnings);
			if (!res.ok) {
				counts.rejected++;
				batch.rejected.push({ row: line, fields });
				batch.errors.push(...res.errors);
			} else {
				const id = res.row.externalId;
				const first = opts.seen.check(id, res.contentKey, line);
				if (first.kind === 'new') {
					counts.valid++;
					batch.rows.push(res.row);
					batch.rowLines.push(line);
				} else if (first.kind === 'same') {
					counts.duplicates++;
					batch.warnings.push(rowIssue(line, '', 'duplicate_row', undefined, { first: String(first.first) }));
				} else {
					counts.rejected++;
					batch.rejected.push({ row: line, fields });
					batch.errors.push(rowIssue(line, idColumn ?? '', 'duplicate_id', id, { first: String(first.first) }));
				}
			}
		}
		if (batch.rows.length >= batchSize || batch.errors.length + batch.warnings.length >= batchSize) yield flush();
	}

	if (!headers) batch.errors.push(rowIssue(1, '', 'empty_file'));
	if (csv.replacements > 0) batch.warnings.push(rowIssue(0, '', 'encoding_replaced', undefined, { n: String(csv.replacements) }));
	yield flush();
	return { encoding: csv.encoding, separator, headers: headers ?? [], counts: { ...counts } };
}

export interface CsvRowsOptions<T> extends CsvStreamOptions {
	/** Every column the mapping names (checked against the header). */
	columns: readonly string[];
	/**
	 * Builds the row validator once the header is read. `resolve` turns a mapped column into the
	 * file's own spelling of it (every mapped column exists by then).
	 */
	validator: (ctx: { resolve: (col: string) => string; headers: readonly string[]; separator: Separator }) => RowValidator<T>;
	/** The ID column (resolved), named by 'duplicate_id' errors. */
	idColumn?: string;
}

/**
 * Streams a CSV through a validator: batches of valid rows and issues, cumulative counts and
 * bytes read, exactly like the contacts import (encoding and separator sniffed on the head;
 * blank and ';;;;' lines skipped; broken quotes reported per record; a mapped column missing
 * from the header stops with 'missing_column'; an external id seen before is a duplicate when
 * the content is the same, else a 'duplicate_id' error).
 */
export function parseCsvRows<T extends { externalId: string }>(
	source: CsvSource,
	opts: CsvRowsOptions<T>
): AsyncGenerator<RowBatch<T>, ParseSummary, undefined> {
	return parseCsvBatches<T>(source, {
		...opts,
		header: (headers, separator) => {
			const missing = opts.columns.filter((c) => resolveColumn(c, headers) === undefined);
			if (missing.length > 0) return { missing: [...new Set(missing)] };
			const idColumn = opts.idColumn === undefined ? undefined : resolveColumn(opts.idColumn, headers);
			const validate = opts.validator({ resolve: (c) => resolveColumn(c, headers) ?? c, headers, separator });
			return { validate, idColumn };
		},
		seen: exactSeenIds()
	});
}
