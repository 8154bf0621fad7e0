// What declares an endpoint of the HTTP API, once, for both sides: the +server.ts parses its
// query or body with the schema (src/lib/server/api.ts), and the browser client
// (src/lib/api/client.ts) serialises a query of the same type and reads the declared response.
import type { z } from 'zod';

export type Method = 'GET' | 'POST';

export interface Endpoint<Q = undefined, B = undefined, R = unknown> {
	readonly method: Method;
	readonly path: string;
	/**
	 * Parses the URL's parameters, each a string (see serialiseQuery for how the client writes a
	 * typed query). A strict object refuses parameters it does not name.
	 */
	readonly query?: z.ZodType<Q>;
	/** Checks the JSON body. */
	readonly body?: z.ZodType<B>;
	/** Type only: what a 2xx answer carries. Never set. */
	readonly response?: R;
}

/**
 * Declares an endpoint answering R: `endpoint<Meta>()({ method: 'GET', path: '/api/meta' })`.
 * (R is given, Q and B are inferred from the schemas.)
 */
export const endpoint =
	<R>() =>
	<Q = undefined, B = undefined>(e: { method: Method; path: string; query?: z.ZodType<Q>; body?: z.ZodType<B> }): Endpoint<Q, B, R> =>
		e;

export type QueryOf<E> = E extends Endpoint<infer Q, unknown, unknown> ? Q : never;
export type BodyOf<E> = E extends Endpoint<unknown, infer B, unknown> ? B : never;
export type ResponseOf<E> = E extends Endpoint<unknown, unknown, infer R> ? R : never;

/** A scalar the URL carries as its text, a list as comma-separated values, an object as JSON. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | object | null | undefined;

/**
 * A typed query in the URL's form: null and undefined are left out, numbers and booleans
 * written as text, lists comma-separated, objects as JSON.
 */
export function serialiseQuery(query: Readonly<Record<string, QueryValue>> | undefined): URLSearchParams {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(query ?? {})) {
		if (v === null || v === undefined) continue;
		if (Array.isArray(v)) p.set(k, v.join(','));
		else if (typeof v === 'object') p.set(k, JSON.stringify(v));
		else p.set(k, String(v));
	}
	return p;
}

/** The endpoint's URL with the query, e.g. /api/hexes?res=9&types=1,2. */
export function endpointUrl(e: { readonly path: string }, query?: Readonly<Record<string, QueryValue>>): string {
	const qs = serialiseQuery(query).toString();
	return qs ? `${e.path}?${qs}` : e.path;
}
