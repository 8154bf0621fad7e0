// Browser side of the import API: the preview of a file's head, and the upload of a whole file
// whose answer is NDJSON (progress lines while the server reads, then one result or error line).
import type { RowIssue } from '$lib/domain/import/row-errors';
import { MAX_WORKBOOK_BYTES, isWorkbookName, sniffContainer, workbookProblem } from '$lib/domain/import/xlsx-cells';

export interface Preview {
	encoding: string;
	bom: boolean;
	separator: string;
	decimalComma: boolean;
	headers: string[];
	headerLikely: boolean;
	rows: Record<string, string>[];
	/** A GeoJSON file (inspected by the kind's API): its features; headers are property names. */
	geo?: { features: number; geometryTypes: Record<string, number> };
	/** An Excel workbook: the worksheet read as CSV (index from 1) and the workbook's sheets. */
	workbook?: { sheet: string; index: number; sheets?: string[] };
}

export interface Counts {
	records: number;
	valid: number;
	rejected: number;
	duplicates: number;
	emptyLines: number;
}

export interface Progress {
	bytesRead: number;
	totalBytes: number;
	counts: Counts;
	/** 'writing': the server has read every row and is finishing the commit. */
	phase?: 'writing';
}

export interface ImportResult {
	jobId: number;
	mode: 'dry-run' | 'commit';
	status: 'done' | 'rolled-back';
	counts: Counts & { imported: number; updated: number; skipped: number; unchanged?: number; ignored?: number };
	/** Issues of a package (HSDS) also name their file. */
	errors: (RowIssue & { file?: string })[];
	warnings: (RowIssue & { file?: string })[];
	errorCodes: Record<string, number>;
	truncated: boolean;
	rejectedCsv: string | null;
	/** Services: category values that matched no category, with the rows that have them. */
	unmappedCategories?: { value: string; rows: number }[];
	/** Contacts: rows of the file's start stored already under another source (see the server's KindImportResult). */
	elsewhere?: { sampled: number; sources: { source: string; rows: number }[] };
}

/**
 * A refusal or failure with the parameter it concerns (when the server named one), and for a
 * workbook the problem's code (xlsx_…) with the values its message names.
 */
export class ApiError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly param?: string,
		readonly code?: string,
		readonly values?: Record<string, string | number>
	) {
		super(message);
	}
}

type ErrorBody = { error?: { param?: string; message?: string; code?: string; values?: Record<string, string | number> } } | null;

const apiError = (body: ErrorBody, status: number) =>
	new ApiError(body?.error?.message ?? `HTTP ${status}`, status, body?.error?.param, body?.error?.code, body?.error?.values);

/** The first 64 KiB of a file are enough for the preview (the server reads no more). */
export const PREVIEW_BYTES = 64 * 1024;

async function failure(res: Response): Promise<ApiError> {
	return apiError((await res.json().catch(() => null)) as ErrorBody, res.status);
}

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
		throw new ApiError(p.message.en, 400, 'file', `xlsx_${p.code}`, p.values);
	}
	const q = new URLSearchParams();
	if (workbook && sheet) q.set('sheet', String(sheet));
	if (!workbook && file.size <= PREVIEW_BYTES) q.set('complete', 'true');
	const qs = q.toString();
	const res = await fetch(`/api/imports/preview${qs ? `?${qs}` : ''}`, {
		method: 'POST',
		headers: { 'content-type': 'application/octet-stream' },
		body: workbook ? file : file.slice(0, PREVIEW_BYTES),
		signal
	});
	if (!res.ok) throw await failure(res);
	return (await res.json()) as Preview;
}

/**
 * A GeoJSON file inspected by the kind's API (mode=inspect; the server reads it whole): the
 * features' property names and a few samples, shaped as a preview so the same mapping form fits.
 */
export async function inspectGeoJson(api: string, file: File, params: Readonly<Record<string, string>> = {}, signal?: AbortSignal): Promise<Preview> {
	const q = new URLSearchParams({ ...params, mode: 'inspect' });
	const res = await fetch(`/api/imports/${api}?${q}`, {
		method: 'POST',
		headers: { 'content-type': 'application/octet-stream' },
		body: file,
		signal
	});
	if (!res.ok) throw await failure(res);
	const r = (await res.json()) as { features: number; geometryTypes: Record<string, number>; properties: string[]; sample: Record<string, string>[] };
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

type Line =
	| ({ type: 'progress' } & { bytesRead: number; totalBytes?: number; counts: Counts; phase?: 'writing' })
	| ({ type: 'result' } & ImportResult)
	| { type: 'error'; message: string };

/**
 * Uploads the whole file (the browser streams it from disk) and reads the NDJSON answer as it
 * comes. XMLHttpRequest rather than fetch: browsers hand over a response only once the request
 * body is sent, so for a big file on a slow line the server's lines alone would leave the bar
 * standing still during the upload; XHR also reports the bytes sent meanwhile.
 */
export function uploadFile(o: UploadOptions): Promise<ImportResult> {
	const q = new URLSearchParams({
		mode: o.mode,
		source: o.source,
		mapping: JSON.stringify(o.mapping),
		skipInvalid: String(o.skipInvalid),
		filename: o.filename ?? o.file.name
	});
	for (const [k, v] of Object.entries(o.flags)) q.set(k, String(v));
	for (const [k, v] of Object.entries(o.params ?? {})) q.set(k, v);

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
				failed = new ApiError('unreadable answer from the server', xhr.status);
				return;
			}
			if (msg.type === 'progress') {
				o.onProgress({ bytesRead: msg.bytesRead, totalBytes: msg.totalBytes ?? o.file.size, counts: msg.counts, phase: msg.phase });
			} else if (msg.type === 'result') {
				const { type: _type, ...rest } = msg;
				result = rest as ImportResult;
			} else if (msg.type === 'error') {
				// adapter-node refuses a body over BODY_SIZE_LIMIT while the route reads it
				failed = new ApiError(msg.message, /exceeds limit|BODY_SIZE_LIMIT/i.test(msg.message) ? 413 : 500);
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
			if (xhr.status === 413) return new ApiError('too large', 413, 'file');
			try {
				return apiError(JSON.parse(xhr.responseText) as ErrorBody, xhr.status);
			} catch {
				return new ApiError(`HTTP ${xhr.status}`, xhr.status);
			}
		};

		const onAbort = () => xhr.abort();
		o.signal?.addEventListener('abort', onAbort, { once: true });
		const done = () => o.signal?.removeEventListener('abort', onAbort);

		xhr.open('POST', `/api/imports/${o.api}?${q}`);
		xhr.setRequestHeader('content-type', 'application/octet-stream');
		xhr.upload.onprogress = (e) => o.onSent(e.loaded, e.lengthComputable ? e.total : o.file.size);
		xhr.onprogress = () => drain(false);
		xhr.onload = () => {
			done();
			if (xhr.status !== 200) return reject(errorBody());
			drain(true);
			if (failed) return reject(failed);
			if (!result) return reject(new ApiError('the answer ended without a result', 500));
			resolve(result);
		};
		xhr.onerror = () => {
			done();
			reject(new ApiError('network error', 0));
		};
		xhr.onabort = () => {
			done();
			reject(new DOMException('aborted', 'AbortError'));
		};
		if (o.signal?.aborted) return xhr.abort();
		xhr.send(o.file);
	});
}

export interface SavedMapping {
	source: string;
	mapping: Record<string, unknown>;
}

export async function loadMappings(kind: string): Promise<SavedMapping[]> {
	const res = await fetch(`/api/imports/mappings?kind=${encodeURIComponent(kind)}`);
	if (!res.ok) throw await failure(res);
	return ((await res.json()) as { mappings: SavedMapping[] }).mappings;
}

export async function saveMapping(kind: string, source: string, mapping: Record<string, unknown>): Promise<void> {
	const res = await fetch('/api/imports/mappings', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ kind, source, mapping })
	});
	if (!res.ok) throw await failure(res);
}

export interface Job {
	job_id: number;
	kind: string;
	source: string;
	filename: string | null;
	mode: 'dry-run' | 'commit';
	status: string;
	counts: Partial<Counts & { imported: number; updated: number; skipped: number }> | null;
	created_at: string;
	finished_at: string | null;
	display_name: string | null;
}

export async function loadJobs(): Promise<Job[]> {
	const res = await fetch('/api/imports/jobs');
	if (!res.ok) throw await failure(res);
	return ((await res.json()) as { jobs: Job[] }).jobs;
}
