// The contacts CSV: the preview for the mapping step, and whole-file parsing with bounded memory:
// the records come from a CsvSource (server/imports/csv-stream.ts decodes the bytes chunk by
// chunk and streams them through csv-parse), and valid rows and issues leave in batches. Only a
// small key per accepted row is kept for the whole file (to find duplicates within it). The
// browser gets previewCsv's result as JSON.
import { detectEncoding, decodeBytes, type TextEncodingName } from './decode';
import { isBlankRecord, sepLine, sniffDialect, splitCsv, type Separator } from './sniff';
import { parseCsvBatches, resolveColumn, toRecord, type CsvSource, type CsvStreamOptions } from './csv-rows';
import type { ParseSummary, RowBatch } from './rows';
import { createContactValidator, type ContactContext, type ContactRow } from './contacts';
import { mappedColumns } from './mapping';
import { SeenIds } from './seen-ids';
import type { IssueCode, RowIssue } from './row-errors';

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
	const { text: decoded, bom } = decodeBytes(firstBytes, guess.encoding);
	// Excel's "sep=;" line names the separator and is no header
	const sep = sepLine(decoded);
	const text = sep ? decoded.slice(sep.length) : decoded;
	const dialect = sniffDialect(text, complete, sep?.separator);
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

/** Valid contact rows and issues of a stretch of the file, with cumulative counts. */
export type ParseBatch = RowBatch<ContactRow>;

export interface ParseContactsOptions extends Omit<ContactContext, 'separator'>, CsvStreamOptions {}

/**
 * Streams a contacts CSV: yields batches of valid rows and issues, with cumulative counts and
 * bytes read. Encoding and separator are detected on the head unless given. A mapped column
 * missing from the header stops the import with 'missing_column' issues on row 1.
 * A duplicate (same externalId and same content as an earlier row) is skipped and reported as a
 * warning; the same file ID with different content is an error ('duplicate_id').
 */
export function parseContactsCsv(source: CsvSource, opts: ParseContactsOptions): AsyncGenerator<ParseBatch, ParseSummary, undefined> {
	return parseCsvBatches<ContactRow>(source, {
		...opts,
		header: (headers, separator) => {
			const missing = resolveMapping(opts, headers);
			if (missing.length > 0) return { missing };
			// with the file's own spelling of each column
			const mapping = remap(opts, headers);
			return { validate: createContactValidator({ ...opts, mapping, separator }), idColumn: mapping.externalId };
		},
		// externalId → first row and content hash: ~20 bytes a row, the one thing that grows with the file.
		seen: new SeenIds()
	});
}

function resolveMapping(opts: ParseContactsOptions, headers: readonly string[]): string[] {
	return mappedColumns(opts.mapping).filter((c) => resolveColumn(c, headers) === undefined);
}

function remap(opts: ParseContactsOptions, headers: readonly string[]): ContactContext['mapping'] {
	const m = { ...opts.mapping };
	for (const key of Object.keys(m) as (keyof typeof m)[]) {
		if (key === 'crs' || key === 'separator' || key === 'values') continue;
		const v = m[key];
		if (typeof v === 'string') (m as unknown as Record<string, string | undefined>)[key] = resolveColumn(v, headers);
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
export async function summariseContactsCsv(source: CsvSource, opts: ParseContactsOptions, maxIssues = 100): Promise<ImportReport> {
	const collector = createReportCollector(maxIssues);
	const gen = parseContactsCsv(source, opts);
	for (;;) {
		const r = await gen.next();
		if (r.done) return collector.result(r.value);
		collector.add(r.value);
	}
}
