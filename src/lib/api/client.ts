// The one way the browser calls the API: typed by the endpoint's declaration (src/lib/api/*),
// JSON in and out, an ApiError for any refusal, and a signed-out session sent to the login page.
import { endpointUrl, type Endpoint, type QueryValue } from './endpoint';
import { ApiError } from './errors';

/** A typed query as the caller writes it: optional parameters may be null (left out). */
export type ClientQuery<Q> = Q extends object ? { [K in keyof Q]: Q[K] | (undefined extends Q[K] ? null : never) } : undefined;

export interface CallOptions {
	signal?: AbortSignal;
	/** Go to the login page on a 401 (default true); false where the page handles it itself. */
	login?: boolean;
	/** Extra fetch options (cache, credentials). */
	init?: Omit<RequestInit, 'method' | 'body' | 'signal'>;
}

/** The session ended (expired, signed out elsewhere, account deactivated): sign in again. */
export function toLogin(): void {
	if (typeof location === 'undefined' || location.pathname === '/login') return;
	location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

/** The URL a GET of this endpoint asks for (also a key for the request). */
export function apiUrl<Q, R>(e: Endpoint<Q, unknown, R>, query?: ClientQuery<Q>): string {
	return endpointUrl(e, query as Record<string, QueryValue> | undefined);
}

/**
 * The answer as it came: its status and JSON body (null when it has none). Throws only when the
 * network fails; for callers that tell statuses apart themselves (the quick log's queue and kit).
 */
export async function apiCall<Q, B, R>(
	e: Endpoint<Q, B, R>,
	o: { query?: ClientQuery<Q>; body?: B; signal?: AbortSignal; init?: CallOptions['init'] } = {}
): Promise<{ status: number; ok: boolean; body: unknown }> {
	const headers: Record<string, string> = { accept: 'application/json' };
	if (o.body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(apiUrl(e, o.query), {
		...o.init,
		method: e.method,
		headers: { ...headers, ...(o.init?.headers as Record<string, string> | undefined) },
		body: o.body === undefined ? undefined : JSON.stringify(o.body),
		signal: o.signal
	});
	let body: unknown = null;
	if (res.headers.get('content-type')?.includes('json')) {
		try {
			body = await res.json();
		} catch {
			/* a broken body is no answer */
		}
	}
	return { status: res.status, ok: res.ok, body };
}

/** A JSON answer, or the ApiError its status and error body make; 401 also goes to the login page. */
async function request<Q, B, R>(e: Endpoint<Q, B, R>, query: ClientQuery<Q> | undefined, body: B | undefined, o: CallOptions): Promise<R> {
	const r = await apiCall(e, { query, body, signal: o.signal, init: o.init });
	if (r.status === 401 && o.login !== false) toLogin();
	if (!r.ok) throw ApiError.from(r.status, r.body);
	return r.body as R;
}

export function apiGet<Q, R>(e: Endpoint<Q, undefined, R>, query?: ClientQuery<Q>, o: CallOptions = {}): Promise<R> {
	return request(e, query, undefined, o);
}

export function apiPost<Q, B, R>(e: Endpoint<Q, B, R>, body: B, query?: ClientQuery<Q>, o: CallOptions = {}): Promise<R> {
	return request(e, query, body, o);
}

/**
 * A POST whose body is a file or bytes, sent as they are (application/octet-stream), answered
 * with JSON (previews, inspections). Uploads with progress read NDJSON themselves (import/upload.ts).
 */
export async function apiUpload<Q, R>(e: Endpoint<Q, unknown, R>, body: Blob, query?: ClientQuery<Q>, o: CallOptions = {}): Promise<R> {
	const res = await fetch(apiUrl(e, query), {
		...o.init,
		method: e.method,
		headers: { 'content-type': 'application/octet-stream', accept: 'application/json' },
		body,
		signal: o.signal
	});
	if (res.status === 401 && o.login !== false) toLogin();
	const json = res.headers.get('content-type')?.includes('json') ? await res.json().catch(() => null) : null;
	if (!res.ok) throw ApiError.from(res.status, json);
	return json as R;
}
