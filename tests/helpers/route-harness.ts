// Calls SvelteKit routes in-process the way the server does: the guard from hooks.server.ts
// first, then the route's layout and page loads, form action or endpoint handler. Lets the
// access tests run every route as every role without a browser.
import { readdirSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isHttpError, isRedirect, isActionFailure } from '@sveltejs/kit';
import type { Sql } from '../../src/lib/server/db';
import { guard } from '../../src/lib/server/auth/guard';

const ROUTES_DIR = join(process.cwd(), 'src', 'routes');
const ROUTE_FILES = ['+page.svelte', '+page.server.ts', '+server.ts'];

/** Every route id in src/routes (route groups "(x)" removed), e.g. "/api/hexes", "/reset/[token]". */
export function discoverRoutes(dir = ROUTES_DIR): string[] {
	const found: string[] = [];
	const walk = (d: string) => {
		const entries = readdirSync(d, { withFileTypes: true });
		if (entries.some((e) => e.isFile() && ROUTE_FILES.includes(e.name))) {
			const rel = relative(ROUTES_DIR, d)
				.split(sep)
				.filter((p) => !/^\(.*\)$/.test(p));
			found.push('/' + rel.join('/'));
		}
		for (const e of entries) if (e.isDirectory()) walk(join(d, e.name));
	};
	walk(dir);
	return found.sort();
}

export interface Outcome {
	status: number;
	/** JSON body, page data or action data; a redirect's location is in `location`. */
	body: unknown;
	location?: string;
	/** The endpoint's response headers (endpoints only). */
	headers?: Headers;
}

interface CallOptions {
	method?: 'GET' | 'POST';
	token?: string;
	form?: Record<string, string>;
	/** A raw request body (e.g. an uploaded CSV), sent as text/csv. */
	raw?: string;
	params?: Record<string, string>;
	/** More request headers (If-None-Match, Accept-Encoding…). */
	headers?: Record<string, string>;
}

function fakeCookies(initial: Record<string, string>) {
	const jar = new Map(Object.entries(initial));
	return {
		get: (name: string) => jar.get(name),
		getAll: () => [...jar].map(([name, value]) => ({ name, value })),
		set: (name: string, value: string) => void jar.set(name, value),
		delete: (name: string) => void jar.delete(name),
		serialize: () => ''
	};
}

async function routeModule(routeId: string, file: string): Promise<Record<string, unknown> | null> {
	const path = join(ROUTES_DIR, ...routeId.split('/').filter(Boolean), file);
	return existsSync(path) ? ((await import(/* @vite-ignore */ path)) as Record<string, unknown>) : null;
}

/** Layout loads from the root down to the route's folder. */
async function layoutLoads(routeId: string): Promise<((e: unknown) => unknown)[]> {
	const parts = routeId.split('/').filter(Boolean);
	const loads: ((e: unknown) => unknown)[] = [];
	for (let i = 0; i <= parts.length; i++) {
		const mod = await routeModule('/' + parts.slice(0, i).join('/'), '+layout.server.ts');
		if (typeof mod?.load === 'function') loads.push(mod.load as (e: unknown) => unknown);
	}
	return loads;
}

export async function callRoute(sql: Sql, routeId: string, path: string, opts: CallOptions = {}): Promise<Outcome> {
	const method = opts.method ?? 'GET';
	const url = new URL('http://localhost' + path);
	const body = opts.form ? new URLSearchParams(opts.form) : opts.raw;
	const contentType = opts.form ? 'application/x-www-form-urlencoded' : 'text/csv';
	const request = new Request(url, {
		method,
		body,
		// a browser sends Origin with every POST
		headers: {
			...(body !== undefined ? { 'content-type': contentType } : {}),
			...(method === 'POST' ? { origin: 'http://localhost' } : {}),
			...opts.headers
		}
	});
	const event = {
		url,
		request,
		route: { id: routeId },
		params: opts.params ?? {},
		locals: {} as App.Locals,
		cookies: fakeCookies(opts.token ? { atlas_session: opts.token } : {}),
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => {},
		depends: () => {},
		untrack: <T>(fn: () => T) => fn(),
		parent: async () => ({})
	};
	try {
		const refused = await guard(sql, event as never);
		if (refused) return { status: refused.status, body: await refused.json() };

		const endpoint = await routeModule(routeId, '+server.ts');
		const handler = endpoint?.[method];
		if (typeof handler === 'function') {
			const res = (await handler(event)) as Response;
			// a compressed answer or a workbook is handed back as its bytes
			if (res.headers.get('content-encoding') || res.headers.get('content-type')?.includes('spreadsheetml'))
				return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
			const text = await res.text();
			const type = res.headers.get('content-type') ?? '';
			const parsed = !text
				? text
				: type.includes('ndjson')
					? text
							.trim()
							.split('\n')
							.map((l) => JSON.parse(l))
					: type.includes('json')
						? JSON.parse(text)
						: text;
			return { status: res.status, body: parsed, headers: res.headers };
		}
		const page = await routeModule(routeId, '+page.server.ts');
		if (method === 'POST') {
			const actions = page?.actions as Record<string, (e: unknown) => unknown> | undefined;
			const action = actions?.[url.search.startsWith('?/') ? url.search.slice(2) : 'default'];
			if (!action) return { status: 405, body: null };
			const result = await action(event);
			return isActionFailure(result) ? { status: result.status, body: result.data } : { status: 200, body: result };
		}
		const data: Record<string, unknown> = {};
		for (const load of await layoutLoads(routeId)) Object.assign(data, await load(event));
		if (typeof page?.load === 'function') Object.assign(data, await (page.load as (e: unknown) => unknown)(event));
		if (!page && !existsSync(join(ROUTES_DIR, ...routeId.split('/').filter(Boolean), '+page.svelte'))) {
			return { status: 405, body: null };
		}
		return { status: 200, body: data };
	} catch (e) {
		if (isRedirect(e)) return { status: e.status, body: null, location: e.location };
		if (isHttpError(e)) return { status: e.status, body: e.body };
		throw e;
	}
}
