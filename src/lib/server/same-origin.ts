// Whether a state-changing request comes from a page of this site. SvelteKit's own CSRF check
// covers form content types only; a cross-site fetch() without a content type (or with another
// one) passes it. Browsers send Origin on every POST, so a missing or foreign Origin is refused.
import { json } from '@sveltejs/kit';
import type { ErrorBody } from '../domain/errors';

export function isSameOrigin(request: Request, url: URL): boolean {
	const origin = request.headers.get('origin');
	if (origin) return origin === url.origin;
	// No Origin: only a browser that says the request is same-origin.
	return request.headers.get('sec-fetch-site') === 'same-origin';
}

export function crossOriginRefused(): Response {
	const body: ErrorBody = { error: { code: 'cross_origin', message: 'this request must come from a page of this site' } };
	return json(body, { status: 403 });
}
