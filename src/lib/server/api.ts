// The server side of the API's declarations (src/lib/api): a route parses its query or body with
// its endpoint's schema here, and apiRoute turns what a route throws into the one error body:
// UserInputError → 400, ApiRefusal → its status, both with their code and parameter (and
// SvelteKit's error(4xx) → its status, coded).
import { isHttpError, json, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import type { Endpoint } from '../api/endpoint';
import { API_ERROR_CODES } from '../api/errors';
import { UserInputError, type ErrorInfo } from '../domain/errors';
import { errorResponse } from './http';

/** A refusal other than a 400 (403, 415…), thrown by a route's helpers and answered by apiRoute. */
export class ApiRefusal extends Error {
	constructor(
		readonly status: number,
		readonly info: ErrorInfo
	) {
		super(info.message);
		this.name = 'ApiRefusal';
	}
}

/** A request handler whose UserInputError and ApiRefusal become the JSON error answer. */
export function apiRoute(handler: (event: RequestEvent) => Promise<Response>): (event: RequestEvent) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (e) {
			if (e instanceof UserInputError) return errorResponse(400, e.info());
			if (e instanceof ApiRefusal) return errorResponse(e.status, e.info);
			// error(401) from requireContext (a session whose organisation is gone): the same body
			if (isHttpError(e) && e.status < 500) {
				const code = e.status === 401 ? API_ERROR_CODES.signedOut : API_ERROR_CODES.http;
				return errorResponse(e.status, { code, message: e.body.message });
			}
			throw e;
		}
	};
}

/** A 2xx JSON answer of the endpoint's declared type. */
export function reply<R>(_e: { readonly response?: R }, body: NoInfer<R>, init?: ResponseInit): Response {
	return json(body, init);
}

/** A 2xx JSON answer's body of the endpoint's declared type (for cachedAnswer, which sends it). */
export function answer<R>(_e: { readonly response?: R }, body: NoInfer<R>): R {
	return body;
}

/**
 * The first problem zod found, as the API names it: a parameter or field the schema does not
 * know comes first (unknown_param), then the others in the schema's order (invalid_param,
 * named by their path: mapping.lat).
 */
export function issueError(issues: readonly z.core.$ZodIssue[], prefix = ''): UserInputError {
	const unknown = issues.find((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
	if (unknown && unknown.code === 'unrecognized_keys') {
		const key = unknown.keys[0]!;
		return new UserInputError(API_ERROR_CODES.unknownParam, prefix + key, `unknown parameter "${key}"`);
	}
	const issue = issues[0]!;
	const param = issue.path.map(String).join('.');
	return new UserInputError(API_ERROR_CODES.invalidParam, prefix + param || 'query', issue.message);
}

/** The URL's parameters, checked and converted by the endpoint's query schema; throws a UserInputError (400) naming the parameter. */
export function parseQuery<Q>(e: Endpoint<Q, unknown, unknown>, params: URL | URLSearchParams): Q {
	return parseWith(e.query!, Object.fromEntries(params instanceof URL ? params.searchParams : params));
}

/** `value` checked by `schema`; throws a UserInputError (400) naming the first parameter wrong. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
	const r = schema.safeParse(value);
	if (!r.success) throw issueError(r.error.issues);
	return r.data;
}

/**
 * The request's JSON body: refused with 415 unless sent as application/json (so a cross-site
 * form, urlencoded, multipart or text/plain, can never post it), with 400 when it is no JSON.
 * `what` names the body in the 415 message ("send the contact as application/json").
 */
export async function readJson(request: Request, what: string): Promise<unknown> {
	if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
		throw new ApiRefusal(415, { code: API_ERROR_CODES.unsupportedMediaType, param: 'content-type', message: `send ${what} as application/json` });
	}
	try {
		return await request.json();
	} catch {
		throw new UserInputError(API_ERROR_CODES.invalidJson, 'body', 'the request body is not valid JSON');
	}
}
