// Whole-file parsing with bounded memory: bytes are decoded chunk by chunk, csv-parse streams
// the records, and valid rows and issues leave in batches. Only a small key per accepted row is
// kept for the whole file (to find duplicates within it). Server-side: csv-parse and iconv-lite
// use Node streams and Buffer; the browser gets previewCsv's result as JSON.
import { Readable, pipeline } from 'node:stream';
import { parse, type CsvError, type InfoRecord, type Options } from 'csv-parse';
import { createDecoder, detectEncoding, decodeBytes, type TextEncodingName } from './decode';
import { isBlankRecord, sniffDialect, splitCsv, uniqueHeaders, type Separator } from './sniff';
import { createContactValidator, type ContactContext, type ContactRow } from './contacts';
import { mappedColumns } from './mapping';
import { matchKey } from './vocab-match';
import { SeenIds } from './seen-ids';
import { rowIssue, type IssueCode, type RowIssue } from './row-errors';

/** Characters of decoded head used to sniff the dialect. */
const SNIFF_CHARS = 16 * 1024;

export interface CsvPreview {
	encoding: TextEncodingName;
	bom: boolean;
	separator: Separator;
	decimalComma: boolean;
	headers: string[];
	headerLikely: boolean;
	/** First records keyed by header (blank lines skipped). */
	rows: Record<string, string>[];
}

/**
 * Preview for the column-mapping step from the first bytes of a file (e.g. 64 KiB). Unless
 * `complete`, the bytes may end mid-record or mid-character: the last partial record is dropped.
 */
export function previewCsv(firstBytes: Uint8Array, opts: { maxRows?: number; complete?: boolean } = {}): CsvPreview {
	const complete = opts.complete ?? false;
	const guess = detectEncoding(firstBytes, complete);
	const { text, bom } = decodeBytes(firstBytes, guess.encoding);
	const dialect = sniffDialect(text, complete);
	const records = splitCsv(text, dialect.separator, (opts.maxRows ?? 20) * 2 + 50, complete)
		.map((r) => r.fields)
		.filter((f) => !isBlankRecord(f));
	const rows = records.slice(1, 1 + (opts.maxRows ?? 20)).map((f) => toRecord(dialect.headers, f));
	return {
		encoding: guess.encoding,
		bom,
		separator: dialect.separator,
		decimalComma: dialect.decimalComma,
		headers: dialect.headers,
		headerLikely: dialect.headerLikely,
		rows
	};
}

function toRecord(headers: readonly string[], fields: readonly string[]): Record<string, string> {
	const rec: Record<string, string> = {};
	headers.forEach((h, i) => (rec[h] = fields[i] ?? ''));
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

export interface ParseBatch {
	rows: ContactRow[];
	/** rowLines[i] is the file line of rows[i], to point at a row the database refuses. */
	rowLines: number[];
	errors: RowIssue[];
	warnings: RowIssue[];
	/** Raw fields of this batch's rejected records, so a caller can hand them back as a file. */
	rejected: { row: number; fields: readonly string[] }[];
	/** The file's header row, once read. */
	headers: readonly string[];
	progress: { bytesRead: number; totalBytes?: number };
	/** Cumulative, so the last batch carries the final counts. */
	counts: ImportCounts;
}

export interface ParseContactsOptions extends Omit<ContactContext, 'separator'> {
	/** Override detection (e.g. the user corrected it in the preview). */
	encoding?: TextEncodingName;
	separator?: Separator;
	/** Rows (or issues) per batch; default 1000. */
	batchSize?: number;
	/** File size, echoed in progress for a percentage. */
	totalBytes?: number;
}

export interface ParseSummary {
	encoding: TextEncodingName;
	separator: Separator;
	headers: string[];
	counts: ImportCounts;
}

const newlines = (fields: readonly string[]) => {
	let n = 0;
	for (const f of fields) {
		if (!f.includes('\n') && !f.includes('\r')) continue; // nearly every field: skip the scan
		for (let i = 0; i < f.length; i++) if (f[i] === '\n' || (f[i] === '\r' && f[i + 1] !== '\n')) n++;
	}
	return n;
};

/**
 * Streams a contacts CSV: yields batches of valid rows and issues, with cumulative counts and
 * bytes read. Encoding and separator are detected on the head unless given. A mapped column
 * missing from the header stops the import with 'missing_column' issues on row 1.
 * A duplicate (same externalId and same content as an earlier row) is skipped and reported as a
 * warning; the same file ID with different content is an error ('duplicate_id').
 */
export async function* parseContactsCsv(
	chunks: AsyncIterable<Uint8Array>,
	opts: ParseContactsOptions
): AsyncGenerator<ParseBatch, ParseSummary, undefined> {
	const batchSize = opts.batchSize ?? 1000;
	const source = chunks[Symbol.asyncIterator]();
	const decoder = createDecoder({ encoding: opts.encoding });
	let bytesRead = 0;
	const counts: ImportCounts = { records: 0, valid: 0, rejected: 0, duplicates: 0, emptyLines: 0 };

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
	const separator = opts.separator ?? sniffDialect(head, ended).separator;

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

	let headers: string[] | undefined;
	let batch: ParseBatch = newBatch();
	function newBatch(): ParseBatch {
		return {
			rows: [], rowLines: [], errors: [], warnings: [], rejected: [], headers: headers ?? [],
			progress: { bytesRead, totalBytes: opts.totalBytes }, counts
		};
	}
	const flush = (): ParseBatch => {
		counts.emptyLines = emptyLines();
		const out = batch;
		out.progress = { bytesRead, totalBytes: opts.totalBytes };
		out.counts = { ...counts };
		batch = newBatch();
		return out;
	};

	// csv-parse calls on_record/on_skip synchronously in file order, so the line after the last
	// good record (plus skipped blank lines) is where a broken record starts; the error's own
	// line number points where the parser gave up, which for an unclosed quote is the file's end.
	let lastEnd = 0;
	let blanksAtLastEnd = 0;
	let blankRecords = 0;
	let unclosedAtEnd = false;
	type Parsed = { record: string[]; lines: number };
	const options: Options<Parsed, string[]> = {
		delimiter: separator,
		// no `info: true`: on_record already receives the context, and building it twice per
		// record was a tenth of the import's time; on_record passes the line count along instead
		relax_column_count: true,
		relax_quotes: true,
		skip_empty_lines: true,
		skip_records_with_error: true,
		on_record: (rec: string[], ctx: InfoRecord) => {
			lastEnd = ctx.lines;
			blanksAtLastEnd = ctx.empty_lines;
			return { record: rec, lines: ctx.lines };
		},
		on_skip: (err: CsvError | undefined) => {
			if (err?.code === 'CSV_QUOTE_NOT_CLOSED') unclosedAtEnd = true;
			const line = lastEnd + 1 + (parser.info.empty_lines - blanksAtLastEnd);
			lastEnd = line;
			blanksAtLastEnd = parser.info.empty_lines;
			broken.push(line);
			return undefined;
		}
	};
	// csv-parse's overloads only type on_record for the `columns` form; the cast keeps ours checked above
	const parser = parse(options as unknown as Options);
	// Lines of skipped broken records, released into the batches in file order.
	const broken: number[] = [];
	const releaseBroken = (before: number) => {
		while (broken.length > 0 && broken[0]! < before) {
			counts.records++;
			counts.rejected++;
			batch.errors.push(rowIssue(broken.shift()!, '', 'csv_syntax'));
		}
	};
	// csv-parse counts the "line" after a final line break as empty (unless an unclosed quote ate
	// that break); it is not a blank line of the file.
	const emptyLines = () => {
		const phantom = parsedAll && (lastChar === '\n' || lastChar === '\r') && !unclosedAtEnd ? 1 : 0;
		return blankRecords + Math.max(0, parser.info.empty_lines - phantom);
	};
	pipeline(Readable.from(text()), parser, () => {
		/* errors surface through the parser's async iterator */
	});

	let validate: ReturnType<typeof createContactValidator> | undefined;
	let mapping = opts.mapping; // with the file's own spelling of each column once the header is read
	// externalId → first row and content hash: ~20 bytes a row, the one thing that grows with the file.
	const seen = new SeenIds();

	try {
		for await (const item of parser as AsyncIterable<Parsed>) {
			const fields = item.record;
			const line = item.lines - newlines(fields);
			releaseBroken(line);
			if (isBlankRecord(fields)) {
				blankRecords++;
				continue;
			}
			if (!headers) {
				headers = uniqueHeaders(fields);
				batch.headers = headers;
				const missing = resolveMapping(opts, headers);
				if (missing.length > 0) {
					batch.errors.push(...missing.map((c) => rowIssue(line, c, 'missing_column')));
					yield flush();
					return { encoding: decoder.encoding ?? 'utf-8', separator, headers, counts: { ...counts } };
				}
				mapping = remap(opts, headers);
				validate = createContactValidator({ ...opts, mapping, separator });
				continue;
			}
			counts.records++;
			if (fields.length > headers.length && !isBlankRecord(fields.slice(headers.length))) {
				counts.rejected++;
				batch.rejected.push({ row: line, fields });
				batch.errors.push(
					rowIssue(line, '', 'column_count', undefined, { n: String(fields.length), m: String(headers.length) })
				);
			} else {
				const res = validate!(toRecord(headers, fields), line);
				batch.warnings.push(...res.warnings);
				if (!res.ok) {
					counts.rejected++;
					batch.rejected.push({ row: line, fields });
					batch.errors.push(...res.errors);
				} else {
					const id = res.row.externalId;
					const first = seen.check(id, res.contentKey, line);
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
						batch.errors.push(
							rowIssue(line, mapping.externalId ?? '', 'duplicate_id', id, { first: String(first.first) })
						);
					}
				}
			}
			if (batch.rows.length >= batchSize || batch.errors.length + batch.warnings.length >= batchSize) yield flush();
		}
	} finally {
		await source.return?.();
	}

	parsedAll = true;
	releaseBroken(Infinity);
	if (!headers) batch.errors.push(rowIssue(1, '', 'empty_file'));
	if (decoder.replacements > 0)
		batch.warnings.push(rowIssue(0, '', 'encoding_replaced', undefined, { n: String(decoder.replacements) }));
	yield flush();
	return { encoding: decoder.encoding ?? 'utf-8', separator, headers: headers ?? [], counts: { ...counts } };
}

/** Mapped columns are looked up exactly, then by matchKey (case, accents, spacing). */
function resolveColumn(col: string, headers: readonly string[]): string | undefined {
	if (headers.includes(col)) return col;
	const k = matchKey(col);
	return headers.find((h) => matchKey(h) === k);
}

function resolveMapping(opts: ParseContactsOptions, headers: readonly string[]): string[] {
	return mappedColumns(opts.mapping).filter((c) => resolveColumn(c, headers) === undefined);
}

function remap(opts: ParseContactsOptions, headers: readonly string[]): ContactContext['mapping'] {
	const m = { ...opts.mapping };
	for (const key of Object.keys(m) as (keyof typeof m)[]) {
		if (key === 'crs') continue;
		const v = m[key];
		if (typeof v === 'string') (m as Record<string, string | undefined>)[key] = resolveColumn(v, headers);
	}
	return m;
}

export interface ImportReport extends ParseSummary {
	/** First `maxIssues` errors and warnings, in file order. */
	errors: RowIssue[];
	warnings: RowIssue[];
	/** All errors by code, including those past the cut-off. */
	errorCodes: Partial<Record<IssueCode, number>>;
	truncated: boolean;
}

/** Accumulates batches into a report; lets a server insert rows and report in one pass. */
export function createReportCollector(maxIssues = 100) {
	const errors: RowIssue[] = [];
	const warnings: RowIssue[] = [];
	const errorCodes: Partial<Record<IssueCode, number>> = {};
	let truncated = false;
	return {
		add(batch: ParseBatch) {
			for (const e of batch.errors) {
				errorCodes[e.code] = (errorCodes[e.code] ?? 0) + 1;
				if (errors.length < maxIssues) errors.push(e);
				else truncated = true;
			}
			for (const w of batch.warnings) {
				if (warnings.length < maxIssues) warnings.push(w);
				else truncated = true;
			}
		},
		result(summary: ParseSummary): ImportReport {
			return { ...summary, errors, warnings, errorCodes, truncated };
		}
	};
}

/** Dry run over a whole file: counts and the first issues, rows discarded. */
export async function summariseContactsCsv(
	chunks: AsyncIterable<Uint8Array>,
	opts: ParseContactsOptions,
	maxIssues = 100
): Promise<ImportReport> {
	const collector = createReportCollector(maxIssues);
	const gen = parseContactsCsv(chunks, opts);
	for (;;) {
		const r = await gen.next();
		if (r.done) return collector.result(r.value);
		collector.add(r.value);
	}
}
