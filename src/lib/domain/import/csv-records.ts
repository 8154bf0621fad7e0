// The streaming mechanics every CSV import shares: bytes are decoded chunk by chunk (encoding
// detected on the head unless given), the dialect is sniffed on the first decoded characters
// (or named by Excel's "sep=;" first line), and csv-parse streams the records with their row
// numbers as a spreadsheet shows them: one row per record, blank lines included, so a quoted
// value spanning lines is one row. Blank lines and all-empty records (";;;;" rows Excel leaves
// behind) are counted and skipped; a record csv-parse cannot read (a broken quote) comes out as
// a 'broken' item at its row, in file order.
// parseCsvBatches turns those records into validated batches with the counts and issues every
// CSV import reports. Server-side: csv-parse uses Node streams.
import { Readable, pipeline } from 'node:stream';
import { Parser, type CsvError, type Options } from 'csv-parse';
import { createDecoder, type TextEncodingName } from './decode';
import { isBlankRecord, sepLine, sniffDialect, uniqueHeaders, SEPARATORS, type Separator } from './sniff';
import { matchKey } from './vocab-match';
import { rowIssue, type RowIssue } from './row-errors';
import type { SeenResult } from './seen-ids';

/** Characters of decoded head used to sniff the dialect. */
const SNIFF_CHARS = 16 * 1024;

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

/**
 * Reads enough of the file to sniff the separator, then streams its records. The source is
 * closed when the items end or the caller stops reading them.
 */
export async function openCsvRecords(
	chunks: AsyncIterable<Uint8Array>,
	opts: CsvRecordOptions = {}
): Promise<CsvRecordReader> {
	const source = chunks[Symbol.asyncIterator]();
	const decoder = createDecoder({ encoding: opts.encoding });
	let bytesRead = 0;

	// Head: enough decoded text to sniff the dialect.
	let head = '';
	let ended = false;
	while (head.length < SNIFF_CHARS) {
		const r = await source.next();
		if (r.done) {
			head += decoder.end();
			ended = true;
			break;
		}
		bytesRead += r.value.byteLength;
		head += decoder.write(r.value);
	}
	// Excel's "sep=;" line: the separator unless the user chose one. Excel hides the line, so the
	// header is row 1 as the user sees it there (sep= lines are written for Excel).
	const sep = sepLine(head);
	if (sep) head = head.slice(sep.length);
	const separator = opts.separator ?? sep?.separator ?? sniffDialect(head, ended).separator;

	let lastChar = '';
	async function* text(): AsyncGenerator<string> {
		const out = (s: string) => ((lastChar = s[s.length - 1]!), s);
		if (head) yield out(head);
		if (ended) return;
		for (;;) {
			const r = await source.next();
			if (r.done) break;
			bytesRead += r.value.byteLength;
			const s = decoder.write(r.value);
			if (s) yield out(s);
		}
		const tail = decoder.end();
		if (tail) yield out(tail);
	}
	let parsedAll = false;

	// A record's row is the records and blank lines before it, plus one. csv-parse tags records and
	// skips broken ones synchronously in file order, its empty_lines count then holding the blank
	// lines before the record; the error's own line number would point where the parser gave up,
	// which for an unclosed quote is the file's end.
	let recordsSeen = 0;
	const nextRow = (): number => ++recordsSeen + parser.info.empty_lines;
	let blankRecords = 0;
	let unclosedAtEnd = false;
	type Parsed = Extract<CsvItem, { kind: 'record' }>;
	const options: Options = {
		delimiter: separator,
		relax_column_count: true,
		relax_quotes: true,
		skip_empty_lines: true,
		skip_records_with_error: true,
		on_skip: (err: CsvError | undefined) => {
			if (err?.code === 'CSV_QUOTE_NOT_CLOSED') unclosedAtEnd = true;
			broken.push(nextRow());
			return undefined;
		}
	};
	const parser = new LineTaggingParser(options, (fields) => ({ kind: 'record', fields, line: nextRow() }) satisfies Parsed);
	// Lines of skipped broken records, released in file order.
	const broken: number[] = [];
	// csv-parse counts the "line" after a final line break as empty (unless an unclosed quote ate
	// that break); it is not a blank line of the file.
	const emptyLines = () => {
		const phantom = parsedAll && (lastChar === '\n' || lastChar === '\r') && !unclosedAtEnd ? 1 : 0;
		return blankRecords + Math.max(0, parser.info.empty_lines - phantom);
	};
	pipeline(Readable.from(text()), parser, () => {
		/* errors surface through the parser's async iterator */
	});

	// One record per step of the parser's own iterator: reading ahead (parser.read() in runs) would
	// be no faster here and would move the mid-file emptyLines counts the batches report.
	async function* items(): AsyncGenerator<CsvItem, void, undefined> {
		let header = true;
		try {
			for await (const item of parser as AsyncIterable<Parsed>) {
				const { fields, line } = item;
				while (broken.length > 0 && broken[0]! < line) yield { kind: 'broken', line: broken.shift()! };
				if (isBlankRecord(fields)) {
					blankRecords++;
					continue;
				}
				if (header) {
					header = false;
					yield { kind: 'header', headers: uniqueHeaders(fields), line };
				} else yield item;
			}
		} finally {
			await source.return?.();
		}
		parsedAll = true;
		while (broken.length > 0) yield { kind: 'broken', line: broken.shift()! };
	}

	return {
		separator,
		get encoding() {
			return decoder.encoding ?? 'utf-8';
		},
		get bytesRead() {
			return bytesRead;
		},
		get replacements() {
			return decoder.replacements;
		},
		emptyLines,
		items: items()
	};
}

/**
 * csv-parse with each record tagged, as it leaves the parser, with its row (from the parser's
 * running counts). csv-parse's own on_record hook would do the same but builds a fresh info
 * object of some fifteen fields per record: a tenth of an import's time.
 */
class LineTaggingParser<T> extends Parser {
	constructor(
		options: Options,
		private readonly tag: (fields: string[]) => T
	) {
		super(options);
	}
	override push(chunk: unknown, encoding?: BufferEncoding): boolean {
		return super.push(chunk === null ? null : this.tag(chunk as string[]), encoding);
	}
}

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

export interface ImportCounts {
	/** Non-blank data records (header excluded). */
	records: number;
	valid: number;
	rejected: number;
	/** Later copies of an earlier row (same external id, same content): skipped, not errors. */
	duplicates: number;
	/** Blank lines and all-empty records (";;;;" rows Excel leaves behind): skipped silently. */
	emptyLines: number;
}

export const emptyCounts = (): ImportCounts => ({ records: 0, valid: 0, rejected: 0, duplicates: 0, emptyLines: 0 });

export interface ParseSummary {
	encoding: TextEncodingName;
	separator: Separator;
	headers: string[];
	counts: ImportCounts;
}

export type Validated<T> =
	| { ok: true; row: T; warnings: RowIssue[]; /** the canonical content (or a hash of it), to compare rows */ contentKey: string }
	| { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

export type RowValidator<T> = (record: Record<string, string>, row: number) => Validated<T>;

export interface RowBatch<T> {
	rows: T[];
	/** rowLines[i] is the row (or feature number) of rows[i], to point at a row the database refuses. */
	rowLines: number[];
	errors: RowIssue[];
	warnings: RowIssue[];
	/** Raw fields of rejected records (CSV only; empty for GeoJSON and packages), to hand back as a file. */
	rejected: { row: number; fields: readonly string[] }[];
	/** The file's header row, once read. */
	headers: readonly string[];
	progress: { bytesRead: number; totalBytes?: number };
	/** Cumulative, so the last batch carries the final counts. */
	counts: ImportCounts;
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
	chunks: AsyncIterable<Uint8Array>,
	opts: CsvBatchOptions<T>
): AsyncGenerator<RowBatch<T>, ParseSummary, undefined> {
	const batchSize = opts.batchSize ?? 1000;
	const csv = await openCsvRecords(chunks, opts);
	const { separator } = csv;
	const counts = emptyCounts();

	let headers: string[] | undefined;
	const newBatch = (): RowBatch<T> => ({
		rows: [], rowLines: [], errors: [], warnings: [], rejected: [], headers: headers ?? [],
		progress: { bytesRead: csv.bytesRead, totalBytes: opts.totalBytes }, counts
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
			batch.errors.push(
				rowIssue(line, '', 'column_count', undefined, { n: String(fields.length), m: String(headers!.length) })
			);
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
	if (csv.replacements > 0)
		batch.warnings.push(rowIssue(0, '', 'encoding_replaced', undefined, { n: String(csv.replacements) }));
	yield flush();
	return { encoding: csv.encoding, separator, headers: headers ?? [], counts: { ...counts } };
}
