// The records of an uploaded CSV, streamed: bytes are decoded chunk by chunk (encoding
// detected on the head unless given), the dialect is sniffed on the first decoded characters
// (or named by Excel's "sep=;" first line), and csv-parse streams the records with their row
// numbers as a spreadsheet shows them: one row per record, blank lines included, so a quoted
// value spanning lines is one row. Blank lines and all-empty records (";;;;" rows Excel leaves
// behind) are counted and skipped; a record csv-parse cannot read (a broken quote) comes out as
// a 'broken' item at its row, in file order. Server-side: csv-parse uses Node streams; the
// domain's CSV imports (domain/import/csv-rows.ts) take the records as a CsvSource.
import { Readable, pipeline } from 'node:stream';
import { Parser, type CsvError, type Options } from 'csv-parse';
import { createDecoder } from '../../domain/import/decode';
import { isBlankRecord, sepLine, sniffDialect, uniqueHeaders } from '../../domain/import/sniff';
import type { CsvItem, CsvRecordOptions, CsvRecordReader, CsvSource } from '../../domain/import/csv-rows';
import { yieldToEventLoop } from './run';

/** Characters of decoded head used to sniff the dialect. */
const SNIFF_CHARS = 16 * 1024;

/**
 * Reads enough of the file to sniff the separator, then streams its records. The source is
 * closed when the items end or the caller stops reading them.
 */
export async function openCsvRecords(chunks: AsyncIterable<Uint8Array>, opts: CsvRecordOptions = {}): Promise<CsvRecordReader> {
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
			// A body arriving faster than it is parsed is read from the buffer in promise callbacks
			// only, so parsing ran for a whole 5,000-row batch (0.6-0.9 s under load in a CPU profile
			// of bench:load mix C) before other requests got a turn: one chunk at a time instead.
			await yieldToEventLoop();
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

/** The records of `chunks`, opened when a CSV import starts reading them. */
export function csvSource(chunks: AsyncIterable<Uint8Array>): CsvSource {
	return (opts) => openCsvRecords(chunks, opts);
}
