import { json } from '@sveltejs/kit';

/** 400 with a JSON body that names the offending parameter. */
export function badRequest(param: string, message: string): Response {
	return json({ error: { param, message } }, { status: 400 });
}
