// Zod pieces for query parameters, which arrive as text: each checks and converts one, with the
// message the API has always answered for it.
import { z } from 'zod';

/** A parameter read by `parse`, which gives the value, or null or a message when it is wrong. */
export function textParam<T>(parse: (raw: string) => { ok: true; value: T } | { ok: false; message: string }) {
	return z.string().transform((raw, ctx): T => {
		const r = parse(raw);
		if (r.ok) return r.value;
		ctx.addIssue({ code: 'custom', message: r.message });
		return z.NEVER;
	});
}

/** A parameter the endpoint refuses, with why (e.g. a bbox where the whole organisation is meant). */
export const refusedParam = (message: string) => z.undefined({ error: message });

/** A flag: true only as the text "true". */
export const flagParam = z
	.string()
	.optional()
	.transform((v) => v === 'true');
