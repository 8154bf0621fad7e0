// Uploads read whole (a GeoJSON layer, an HSDS package): into text with a size cap, then JSON.
import { decodeBytes } from './decode';
import { rowIssue, type RowIssue } from './row-errors';

/** GeoJSON and HSDS packages are read whole; larger files must be split. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Reads a whole upload (GeoJSON, a package) into text, refusing more than `max` bytes. */
export async function readAllText(
	chunks: AsyncIterable<Uint8Array>,
	max = MAX_JSON_BYTES
): Promise<{ ok: true; text: string; bytes: number } | { ok: false; issue: RowIssue }> {
	const all = await readAllBytes(chunks, max);
	return all.ok ? { ok: true, text: decodeBytes(all.data).text, bytes: all.bytes } : all;
}

/** Reads a whole upload into one array of bytes, refusing more than `max` bytes. */
export async function readAllBytes(
	chunks: AsyncIterable<Uint8Array>,
	max = MAX_JSON_BYTES
): Promise<{ ok: true; data: Uint8Array; bytes: number } | { ok: false; issue: RowIssue }> {
	const parts: Uint8Array[] = [];
	let bytes = 0;
	for await (const c of chunks) {
		bytes += c.byteLength;
		if (bytes > max) return { ok: false, issue: rowIssue(0, '', 'file_too_large', undefined, { max: `${Math.round(max / 1048576)} MB` }) };
		parts.push(c);
	}
	const all = new Uint8Array(bytes);
	let at = 0;
	for (const p of parts) {
		all.set(p, at);
		at += p.byteLength;
	}
	return { ok: true, data: all, bytes };
}

/** A whole upload's bytes → its JSON value, or the issue (an empty file, text that is not JSON). */
export function parseJsonBytes(data: Uint8Array): { ok: true; value: unknown } | { ok: false; issue: RowIssue } {
	const text = decodeBytes(data).text;
	if (text.trim() === '') return { ok: false, issue: rowIssue(0, '', 'empty_file') };
	return parseJson(text);
}

/** JSON.parse with the error as a file-level issue. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; issue: RowIssue } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (e) {
		return { ok: false, issue: rowIssue(0, '', 'invalid_json', undefined, { detail: (e as Error).message.slice(0, 120) }) };
	}
}
