import { json } from '@sveltejs/kit';
import type { ErrorBody, ErrorInfo, ErrorValues } from '../domain/errors';

/** A non-2xx answer with the one error body: {error: {code, param, message, values}}. */
export function errorResponse(status: number, info: ErrorInfo): Response {
	return json({ error: info } satisfies ErrorBody, { status });
}

/** 400 with a JSON body that names the offending parameter and a stable code. */
export function badRequest(code: string, param: string, message: string, values?: ErrorValues): Response {
	return errorResponse(400, { code, param, message, ...(values ? { values } : {}) });
}

/** 403 that says why: a request the role may not make, never silently different data. */
export function forbidden(code: string, param: string, message: string): Response {
	return errorResponse(403, { code, param, message });
}
