// Reading imports in unit tests: bytes as an upload's chunks, an opened upload's CSV as text, and
// a contacts CSV parsed to its end (rows, issues, the summary). Shared by the CSV pipeline's tests
// and the Excel workbook tests.
import { parseContactsCsv, type ParseBatch, type ParseContactsOptions } from '../../src/lib/domain/import/stream';
import type { ContactRow } from '../../src/lib/domain/import/contacts';
import type { Upload } from '../../src/lib/server/imports/xlsx';
import { csvSource } from '../../src/lib/server/imports/csv-stream';

export async function* chunksOf(bytes: Uint8Array, size = 1000) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** What an opened upload hands on to the CSV pipeline, decoded as UTF-8. */
export async function uploadText(u: Upload): Promise<string> {
	const d = new TextDecoder();
	let s = '';
	for await (const c of u.chunks) s += d.decode(c, { stream: true });
	return s + d.decode();
}

/** A contacts CSV parsed whole: its batches, valid rows, errors and warnings, and the summary. */
export async function collectContacts(chunks: AsyncIterable<Uint8Array>, opts: ParseContactsOptions) {
	const batches: ParseBatch[] = [];
	const gen = parseContactsCsv(csvSource(chunks), opts);
	for (;;) {
		const r = await gen.next();
		if (r.done) {
			const rows: ContactRow[] = batches.flatMap((b) => b.rows);
			return {
				summary: r.value,
				batches,
				rows,
				errors: batches.flatMap((b) => b.errors),
				warnings: batches.flatMap((b) => b.warnings)
			};
		}
		batches.push(r.value);
	}
}
