import { json } from '@sveltejs/kit';

/** 400 with a JSON body that names the offending parameter. */
export function badRequest(param: string, message: string): Response {
	return json({ error: { param, message } }, { status: 400 });
}

/** 403 that says why: a request the role may not make, never silently different data. */
export function forbidden(param: string, message: string): Response {
	return json({ error: { param, message } }, { status: 403 });
}
