// Browser side of the import API: the preview of a file's head, and the upload of a whole file
// whose answer is NDJSON (progress lines while the server reads, then one result or error line).
import { MAX_WORKBOOK_BYTES, isWorkbookName, sniffContainer, workbookProblem } from '$lib/domain/import/xlsx-cells';
import { apiGet, apiPost, apiUpload, type CallOptions } from '$lib/api/client';
import { endpointUrl } from '$lib/api/endpoint';
import { currentLocale } from '$lib/i18n';
import { API_ERROR_CODES, ApiError } from '$lib/api/errors';
import {
	areasInspect,
	IMPORT_ENDPOINTS,
	jobs,
	mappings,
	preview,
	saveMapping as saveMappingEndpoint,
	servicesInspect,
	type GeoJsonInspection,
	type ImportKind,
	type ImportLine,
	type ImportResult,
	type Job,
	type Preview,
	type Progress,
	type SavedMapping
} from '$lib/api/imports';

/** The import page tells a signed-out session itself (import.errors.signedOut): no redirect. */
const PAGE: CallOptions = { login: false };

/** The first 64 KiB of a file are enough for the preview (the server reads no more). */
export const PREVIEW_BYTES = 64 * 1024;

/** An Excel workbook, by its name or its first bytes (a zip). */
export async function isWorkbook(file: File): Promise<boolean> {
	if (isWorkbookName(file.name)) return true;
	return sniffContainer(new Uint8Array(await file.slice(0, 8).arrayBuffer())) === 'zip';
}

/**
 * The preview: the server reads the head of a CSV; a workbook goes whole (the server reads it
 * whole anyway), its worksheet `sheet` (from 1, default the first) previewed as CSV.
 */
export async function previewFile(file: File, signal?: AbortSignal, sheet?: number): Promise<Preview> {
	const workbook = await isWorkbook(file);
	if (workbook && file.size > MAX_WORKBOOK_BYTES) {
		const p = workbookProblem('too_large');
		throw new ApiError(400, { code: `xlsx_${p.code}`, param: 'file', message: p.message.en, values: p.values });
	}
	const query = { sheet: workbook && sheet ? String(sheet) : undefined, complete: !workbook && file.size <= PREVIEW_BYTES };
	return apiUpload(preview, workbook ? file : file.slice(0, PREVIEW_BYTES), query, { ...PAGE, signal });
}

/**
 * A GeoJSON file inspected by the kind's API (mode=inspect; the server reads it whole): the
 * features' property names and a few samples, shaped as a preview so the same mapping form fits.
 */
export async function inspectGeoJson(api: string, file: File, params: Readonly<Record<string, string>> = {}, signal?: AbortSignal): Promise<Preview> {
	const e = api === 'services' ? servicesInspect : areasInspect;
	const r = (await apiUpload(e, file, { ...params, mode: 'inspect' } as never, { ...PAGE, signal })) as GeoJsonInspection;
	return {
		encoding: 'utf-8',
		bom: false,
		separator: '',
		decimalComma: false,
		headers: r.properties,
		headerLikely: true,
		rows: r.sample,
		geo: { features: r.features, geometryTypes: r.geometryTypes }
	};
}

export interface UploadOptions {
	api: string;
	/** Extra query parameters of the kind (e.g. format=csv). */
	params?: Readonly<Record<string, string>>;
	mode: 'dry-run' | 'commit';
	file: File;
	/** The name the import log shows (default: the file's name). */
	filename?: string;
	source: string;
	mapping: Record<string, unknown>;
	skipInvalid: boolean;
	flags: Record<string, boolean>;
	/** Bytes handed to the network so far (the browser's upload progress). */
	onSent: (sent: number, total: number) => void;
	/** The server's own progress lines: bytes it has read and the rows counted so far. */
	onProgress: (p: Progress) => void;
	signal?: AbortSignal;
}

type Line = ImportLine;

/**
 * Uploads the whole file (the browser streams it from disk) and reads the NDJSON answer as it
 * comes. XMLHttpRequest rather than fetch: browsers hand over a response only once the request
 * body is sent, so for a big file on a slow line the server's lines alone would leave the bar
 * standing still during the upload; XHR also reports the bytes sent meanwhile.
 */
export function uploadFile(o: UploadOptions): Promise<ImportResult> {
	const endpoint = IMPORT_ENDPOINTS[o.api as keyof typeof IMPORT_ENDPOINTS] ?? { path: `/api/imports/${o.api}` };
	const url = endpointUrl(endpoint, {
		mode: o.mode,
		source: o.source,
		mapping: o.mapping,
		skipInvalid: o.skipInvalid,
		filename: o.filename ?? o.file.name,
		// the rejected-rows file comes back in the page's language
		lang: currentLocale(),
		...o.flags,
		...o.params
	});

	return new Promise<ImportResult>((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		let offset = 0;
		let result: ImportResult | null = null;
		let failed: ApiError | null = null;

		const handle = (line: string) => {
			if (!line.trim() || failed) return;
			let msg: Line;
			try {
				msg = JSON.parse(line) as Line;
			} catch {
				failed = new ApiError(xhr.status, { code: API_ERROR_CODES.http, message: 'unreadable answer from the server' });
				return;
			}
			if (msg.type === 'progress') {
				o.onProgress({ bytesRead: msg.bytesRead, totalBytes: msg.totalBytes ?? o.file.size, counts: msg.counts, phase: msg.phase });
			} else if (msg.type === 'result') {
				const { type: _type, ...rest } = msg;
				result = rest as ImportResult;
			} else if (msg.type === 'error') {
				const { type: _type, ...info } = msg;
				failed = new ApiError(info.code === API_ERROR_CODES.tooLarge ? 413 : 500, info);
			}
		};
		/** Complete lines received so far (the last, unfinished one waits for more). */
		const drain = (final: boolean) => {
			if (xhr.status !== 200) return;
			const text = xhr.responseText;
			let nl: number;
			while ((nl = text.indexOf('\n', offset)) >= 0) {
				handle(text.slice(offset, nl));
				offset = nl + 1;
			}
			if (final) {
				handle(text.slice(offset));
				offset = text.length;
			}
		};
		const errorBody = (): ApiError => {
			if (xhr.status === 413) return new ApiError(413, { code: API_ERROR_CODES.tooLarge, param: 'file', message: 'too large' });
			try {
				return ApiError.from(xhr.status, JSON.parse(xhr.responseText));
			} catch {
				return ApiError.from(xhr.status, null);
			}
		};

		const onAbort = () => xhr.abort();
		o.signal?.addEventListener('abort', onAbort, { once: true });
		const done = () => o.signal?.removeEventListener('abort', onAbort);

		xhr.open('POST', url);
		xhr.setRequestHeader('content-type', 'application/octet-stream');
		xhr.upload.onprogress = (e) => o.onSent(e.loaded, e.lengthComputable ? e.total : o.file.size);
		xhr.onprogress = () => drain(false);
		xhr.onload = () => {
			done();
			if (xhr.status !== 200) return reject(errorBody());
			drain(true);
			if (failed) return reject(failed);
			if (!result) return reject(new ApiError(500, { code: API_ERROR_CODES.http, message: 'the answer ended without a result' }));
			resolve(result);
		};
		xhr.onerror = () => {
			done();
			reject(new ApiError(0, { code: API_ERROR_CODES.network, message: 'network error' }));
		};
		xhr.onabort = () => {
			done();
			reject(new DOMException('aborted', 'AbortError'));
		};
		if (o.signal?.aborted) return xhr.abort();
		xhr.send(o.file);
	});
}

export async function loadMappings(kind: string): Promise<SavedMapping[]> {
	return (await apiGet(mappings, { kind: kind as ImportKind }, PAGE)).mappings;
}

export async function saveMapping(kind: string, source: string, mapping: Record<string, unknown>): Promise<void> {
	await apiPost(saveMappingEndpoint, { kind: kind as ImportKind, source, mapping }, undefined, PAGE);
}

export async function loadJobs(): Promise<Job[]> {
	return (await apiGet(jobs, undefined, PAGE)).jobs;
}
