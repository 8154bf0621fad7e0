// Excel workbooks in the CSV imports: an upload whose first bytes are a zip is read whole (at
// most MAX_WORKBOOK_BYTES), one worksheet is read with read-excel-file and written as ';'
// separated UTF-8 CSV (domain/import/xlsx-cells), and those bytes go into the CSV pipeline
// unchanged: preview, mapping, dry run, commit, progress, rejected rows and row numbers work as
// for a CSV. Any other upload streams through untouched. A workbook that cannot be read is a
// WorkbookError, with its message in Dutch and English, never a stack trace.
import readXlsxFile, { readSheet } from 'read-excel-file/node';
import { unzipSync } from 'fflate';
import {
	MAX_UNPACKED_BYTES,
	MAX_WORKBOOK_BYTES,
	sheetToCsvLines,
	sniffContainer,
	workbookProblem,
	type WorkbookProblem
} from '../../domain/import/xlsx-cells';

export class WorkbookError extends Error {
	constructor(readonly problem: WorkbookProblem) {
		super(problem.message.en);
		this.name = 'WorkbookError';
	}
}

export interface Upload {
	/** The CSV bytes: the upload itself, or the worksheet written as CSV. */
	chunks: AsyncIterable<Uint8Array>;
	/** For progress: the upload's length, or the CSV's for a workbook. */
	totalBytes: number | undefined;
	/** Set when the upload was a workbook. */
	workbook?: { sheet: string; index: number; sheets?: string[] };
}

export interface UploadOptions {
	totalBytes?: number;
	/** The worksheet to read, from 1 (default: the first). */
	sheet?: number;
	/** Also list the workbook's sheets (the preview; it then reads every sheet). */
	sheetNames?: boolean;
}

const concat = (parts: Uint8Array[]) => (parts.length === 1 ? parts[0]! : Buffer.concat(parts));

/**
 * The upload as CSV bytes. A text upload streams on as it came (only its first chunk is
 * looked at); a workbook is read whole, up to MAX_WORKBOOK_BYTES, and converted. Throws a
 * WorkbookError for a workbook that is too large, encrypted, damaged or empty, and for a legacy
 * .xls (an OLE file: no CSV either).
 */
export async function openUpload(chunks: AsyncIterable<Uint8Array>, o: UploadOptions = {}): Promise<Upload> {
	const it = chunks[Symbol.asyncIterator]();
	const head: Uint8Array[] = [];
	let size = 0;
	while (size < 8) {
		const r = await it.next();
		if (r.done) break;
		head.push(r.value);
		size += r.value.byteLength;
	}
	const container = sniffContainer(head.length ? concat(head) : new Uint8Array());
	if (container === null) return { chunks: replay(head, it), totalBytes: o.totalBytes };
	const refuse = async (p: WorkbookProblem, unread = MAX_WORKBOOK_BYTES): Promise<never> => {
		await letGo(it, unread);
		throw new WorkbookError(p);
	};
	if (container === 'ole') return refuse(workbookProblem('encrypted_or_xls'));
	if ((o.totalBytes ?? 0) > MAX_WORKBOOK_BYTES) return refuse(workbookProblem('too_large'), 0);
	const parts = head;
	for (;;) {
		const r = await it.next();
		if (r.done) break;
		size += r.value.byteLength;
		if (size > MAX_WORKBOOK_BYTES) return refuse(workbookProblem('too_large'), 0);
		parts.push(r.value);
	}
	return workbookToCsv(Buffer.from(concat(parts)), o);
}

async function* replay(head: Uint8Array[], it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
	let done = false;
	try {
		yield* head;
		for (;;) {
			const r = await it.next();
			if (r.done) return void (done = true);
			yield r.value;
		}
	} finally {
		// the reader stopped early (the preview reads only the head): let the source go
		if (!done) await letGo(it, REST_TO_READ);
	}
}

/** What is read (and dropped) of an upload nobody reads further, before it is cancelled. */
const REST_TO_READ = 1024 * 1024;

/**
 * An upload read no further. Its rest, up to `limit` bytes, is read and dropped, so the answer
 * can still be sent: cancelling a request body makes the Node adapter destroy the socket, and the
 * client then gets no answer at all, only a reset connection. A larger rest is cancelled.
 */
async function letGo(it: AsyncIterator<Uint8Array>, limit: number): Promise<void> {
	let read = 0;
	while (read < limit) {
		const r = await it.next();
		if (r.done) return;
		read += r.value.byteLength;
	}
	await it.return?.();
}

/** One worksheet of a workbook (in memory) as CSV chunks. */
export async function workbookToCsv(buffer: Buffer, o: Pick<UploadOptions, 'sheet' | 'sheetNames'> = {}): Promise<Upload> {
	const index = o.sheet ?? 1;
	checkUnpackedSize(buffer);
	let rows: readonly (readonly unknown[])[];
	let sheet = String(index);
	let sheets: string[] | undefined;
	try {
		if (o.sheetNames) {
			const all = await readXlsxFile(buffer);
			sheets = all.map((s) => s.sheet);
			const chosen = all[index - 1];
			if (!chosen) throw new WorkbookError(workbookProblem('no_sheet', { sheet: index }));
			rows = chosen.data as readonly (readonly unknown[])[];
			sheet = chosen.sheet;
		} else rows = (await readSheet(buffer, index)) as readonly (readonly unknown[])[];
	} catch (e) {
		throw e instanceof WorkbookError ? e : new WorkbookError(problemOf(e, index));
	}
	const encoder = new TextEncoder();
	const out: Uint8Array[] = [];
	let bytes = 0;
	let text = '';
	const flush = () => {
		const b = encoder.encode(text);
		out.push(b);
		bytes += b.byteLength;
		text = '';
	};
	for (const line of sheetToCsvLines(rows)) {
		text += line;
		if (text.length >= 256 * 1024) flush();
	}
	if (text) flush();
	if (bytes === 0) throw new WorkbookError(workbookProblem('empty', { sheet }));
	return {
		chunks: (async function* () {
			yield* out;
		})(),
		totalBytes: bytes,
		workbook: { sheet, index, ...(sheets ? { sheets } : {}) }
	};
}

/** What the zip says its parts unpack to (its central directory; nothing is inflated). */
function checkUnpackedSize(buffer: Uint8Array) {
	let total = 0;
	try {
		unzipSync(buffer, {
			filter: (f) => {
				total += f.originalSize;
				return false;
			}
		});
	} catch {
		throw new WorkbookError(workbookProblem('corrupt'));
	}
	if (total > MAX_UNPACKED_BYTES) throw new WorkbookError(workbookProblem('unpacked_too_large'));
}

/** read-excel-file's errors (by name and code, as its README documents them) as our problems. */
function problemOf(e: unknown, index: number): WorkbookProblem {
	const err = e as { name?: string; code?: string; message?: string };
	if (err?.name === 'InvalidInputError') {
		if (err.code === 'XLS_FILE_NOT_SUPPORTED') return workbookProblem('encrypted_or_xls');
		if (err.code === 'FILE_NOT_SUPPORTED') return workbookProblem('not_a_workbook');
		return workbookProblem('corrupt');
	}
	if (err?.name === 'SheetNotFoundError') return workbookProblem('no_sheet', { sheet: index });
	// a zip without the workbook's parts (a .docx, a zip of CSV files…)
	if (err?.name === 'InvalidSpreadsheetError' && /not found/i.test(err.message ?? '')) return workbookProblem('not_a_workbook');
	if (e instanceof RangeError) return workbookProblem('unpacked_too_large');
	return workbookProblem('corrupt');
}

/** The `sheet` query parameter: a worksheet number from 1; undefined when absent, null when bad. */
export function sheetParam(q: URLSearchParams): number | undefined | null {
	const raw = q.get('sheet');
	if (raw === null || raw === '') return undefined;
	return /^\d{1,4}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : null;
}
