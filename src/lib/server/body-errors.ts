// A request body that cannot be read as what it claims to be (a truncated multipart upload, JSON
// that does not parse, a form of the wrong type) is the client's fault: 400 malformed_body, not
// 500. Recognised by the errors Node's fetch Request raises in formData() and json(), wherever
// a route calls them (handleError marks the request; handle answers).
import type { RequestEvent } from '@sveltejs/kit';
import type { ErrorBody } from '../domain/errors';

export const MALFORMED_BODY = 'malformed_body';

export function isMalformedBody(err: unknown): boolean {
	if (err instanceof TypeError) return /^(Failed to parse body as FormData|Content-Type was not one of)/.test(err.message);
	if (err instanceof SyntaxError) return /parseJSONFromBytes|Request\.json|Body\.json/.test(err.stack ?? '');
	return false;
}

const MESSAGE = 'the request body is truncated or malformed';

export function malformedBodyError(): App.Error {
	return { message: MESSAGE, code: MALFORMED_BODY };
}

export function malformedBodyResponse(event: Pick<RequestEvent, 'url' | 'request'>): Response {
	const api = event.url.pathname.startsWith('/api/');
	const body = api
		? ({ error: { code: MALFORMED_BODY, message: MESSAGE } } satisfies ErrorBody)
		: event.request.headers.has('x-sveltekit-action')
			? { type: 'error', error: malformedBodyError() }
			: malformedBodyError();
	return new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
