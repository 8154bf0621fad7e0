// Shared HTTP plumbing for import endpoints: the upload arrives as a stream (never buffered
// whole, except an Excel workbook, which is read whole and converted to CSV: see xlsx.ts), and
// progress goes back as NDJSON lines while the import runs.
import type { RequestEvent } from '@sveltejs/kit';
import { db } from '../app-db';
import { requireContext } from '../context';
import { badRequest, errorResponse } from '../http';
import { parseQuery } from '../api';
import type { Endpoint } from '../../api/endpoint';
import { API_ERROR_CODES } from '../../api/errors';
import type { ImportLine, ImportQuery } from '../../api/imports';
import type { Sql } from '../db';
import { UserInputError, type ErrorInfo } from '../../domain/errors';
import { openUpload, sheetParam, WorkbookError, type Upload, type UploadOptions } from './xlsx';

/** Uploads come from our own pages only. (Form posts are also checked by SvelteKit.) */
export function sameOrigin(request: Request, url: URL): boolean {
	const origin = request.headers.get('origin');
	return origin === null || origin === url.origin;
}

/** The body as chunks; none for a request without one (the Node adapter passes a 0-byte upload so). */
export function bodyChunks(request: Request): AsyncIterable<Uint8Array> {
	return (request.body ?? noChunks()) as unknown as AsyncIterable<Uint8Array>;
}

async function* noChunks(): AsyncGenerator<Uint8Array, void, undefined> {}

/**
 * The chunks again, or null when they hold no byte at all (an empty file, sent without a body or
 * as an empty stream). Only the first non-empty chunk is read ahead.
 */
export async function nonEmptyChunks(chunks: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array> | null> {
	const it = chunks[Symbol.asyncIterator]();
	for (;;) {
		const r = await it.next();
		if (r.done) return null;
		if (r.value.byteLength > 0) return prepend(r.value, it);
	}
}

async function* prepend(first: Uint8Array, it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
	let done = false;
	try {
		yield first;
		for (;;) {
			const r = await it.next();
			if (r.done) return void (done = true);
			yield r.value;
		}
	} finally {
		if (!done) await it.return?.(); // the reader stopped early: pass that on to the source
	}
}

/**
 * The answer to an empty upload: 400 naming the file, with the code the page translates and the
 * CLI's reason (an empty file has no header row).
 */
export function emptyFileRefusal(): Response {
	return badRequest('empty_file', 'file', 'the file is empty: it has no header row');
}

export function contentLength(request: Request): number | undefined {
	const n = Number(request.headers.get('content-length'));
	return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Runs `work` and streams its progress as NDJSON: {"type":"progress",…} lines at most every
 * 200 ms, then one {"type":"result",…} or {"type":"error","message":…} line.
 */
/**
 * A failure once the answer has started (status 200 is sent): its code travels in the error line.
 * adapter-node refuses a body over BODY_SIZE_LIMIT while the route reads it, with its own message.
 */
function streamErrorInfo(e: unknown): ErrorInfo {
	if (e instanceof UserInputError) return e.info();
	const message = e instanceof Error ? e.message : String(e);
	if (/exceeds limit|BODY_SIZE_LIMIT/i.test(message)) return { code: API_ERROR_CODES.tooLarge, param: 'file', message };
	return { code: 'import_failed', message };
}

export function ndjsonProgress<T>(work: (progress: (p: object) => void) => Promise<T>): Response {
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (o: object) => controller.enqueue(encoder.encode(JSON.stringify(o) + '\n'));
			let last = 0;
			try {
				const result = await work((p) => {
					const now = Date.now();
					// a change of phase always goes out; plain progress at most every 200 ms
					if (now - last < 200 && !('phase' in p)) return;
					last = now;
					send({ type: 'progress', ...p });
				});
				send({ type: 'result', ...(result as object) });
			} catch (e) {
				send({ type: 'error', ...streamErrorInfo(e) });
			} finally {
				controller.close();
			}
		}
	});
	return new Response(stream, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
}

/** The answer to an upload refused for its workbook: 400, naming the file, with the problem's code. */
export function workbookRefusal(e: WorkbookError): Response {
	const p = e.problem;
	return badRequest(`xlsx_${p.code}`, 'file', p.message.en, p.values);
}

/**
 * Opens the request's upload for a CSV import; answers the refusal instead when the file is
 * empty, the query's sheet is bad or the workbook cannot be read.
 */
export async function openRequestUpload(
	chunks: AsyncIterable<Uint8Array>,
	q: URLSearchParams,
	o: Omit<UploadOptions, 'sheet'> = {}
): Promise<{ ok: true; upload: Upload } | { ok: false; response: Response }> {
	const sheet = sheetParam(q);
	if (sheet === null) return { ok: false, response: badRequest(API_ERROR_CODES.invalidParam, 'sheet', 'a worksheet number from 1') };
	const bytes = await nonEmptyChunks(chunks);
	if (!bytes) return { ok: false, response: emptyFileRefusal() };
	try {
		return { ok: true, upload: await openUpload(bytes, { ...o, sheet }) };
	} catch (e) {
		if (e instanceof WorkbookError) return { ok: false, response: workbookRefusal(e) };
		throw e;
	}
}

export function forbiddenOrigin(): Response {
	return errorResponse(403, { code: API_ERROR_CODES.forbiddenOrigin, param: 'origin', message: 'uploads are accepted from this site only' });
}

/** What a streamed import gets: who and where from, the checked query, and progress. */
export interface StreamedImport<M> extends ImportQuery<M> {
	orgId: number;
	userId: number;
	totalBytes: number | undefined;
	onProgress: (p: object) => void;
}

/** The options an import runs with: the checked query, who asks, and where progress goes. */
export function importOptions<M>(
	query: ImportQuery<M>,
	who: { org: { orgId: number }; user: { userId: number } },
	totalBytes: number | undefined,
	onProgress: (p: object) => void
): StreamedImport<M> {
	const { mode, source, mapping, filename, skipInvalid, fixSwapped, acceptOutside, lang } = query;
	return {
		mode,
		source,
		mapping,
		filename,
		skipInvalid,
		fixSwapped,
		acceptOutside,
		lang,
		orgId: who.org.orgId,
		userId: who.user.userId,
		totalBytes,
		onProgress
	};
}

/**
 * The whole endpoint of an import whose file is the request body: role context, same-origin
 * check, the query (the endpoint's declaration; a bad parameter throws the 400 that apiRoute
 * answers), then `run` with the streamed body, answered as NDJSON progress and result.
 */
export async function streamedImport<M>(
	{ request, url, locals }: Pick<RequestEvent, 'request' | 'url' | 'locals'>,
	endpoint: Endpoint<ImportQuery<M>, undefined, ImportLine>,
	run: (sql: Sql, chunks: AsyncIterable<Uint8Array>, o: StreamedImport<M>) => Promise<object>
): Promise<Response> {
	const who = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const query = parseQuery(endpoint, url);
	// an Excel workbook becomes CSV here (read whole); a CSV streams on
	const opened = await openRequestUpload(bodyChunks(request), url.searchParams, { totalBytes: contentLength(request) });
	if (!opened.ok) return opened.response;
	const { upload } = opened;
	const { sql } = await db();
	return ndjsonProgress((onProgress) => run(sql, upload.chunks, importOptions(query, who, upload.totalBytes, onProgress)));
}
