// Resolves the session of every request and enforces the route table before any route code runs.
// API routes answer 401/403 as JSON that says why; pages redirect to the login page or show 403.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { API_ERROR_CODES } from '../../api/errors';
import { mayAccess, ROUTE_ACCESS } from '../../domain/access';
import type { Sql } from '../db';
import { errorResponse } from '../http';
import { compactWhenNeeded } from '../data-version';
import { resolveSessionContext, SESSION_COOKIE } from './sessions';

export async function guard(sql: Sql, event: RequestEvent): Promise<Response | null> {
	const token = event.cookies.get(SESSION_COOKIE);
	const session = await resolveSessionContext(sql, token);
	event.locals.user = session?.user ?? null;
	// The organisation and its data version come with the session: one query for both. Only for
	// reads: a form action may change the organisation, and the page load after it reads it anew.
	const reads = event.request.method === 'GET' || event.request.method === 'HEAD';
	event.locals.org = reads ? (session?.org ?? undefined) : undefined;
	event.locals.dataVersion = session?.dataVersion;
	if (session) compactWhenNeeded(sql, session.user.orgId, session.dataChanges);
	if (token && !event.locals.user) event.cookies.delete(SESSION_COOKIE, { path: '/' });

	const routeId = event.route.id;
	if (routeId === null) return null; // no such route: SvelteKit renders the 404 page
	if (mayAccess(routeId, event.locals.user?.role ?? null)) return null;

	const isApi = routeId.startsWith('/api/');
	if (!event.locals.user) {
		if (isApi) return errorResponse(401, { code: API_ERROR_CODES.signedOut, message: 'sign in first' });
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	const why =
		ROUTE_ACCESS[routeId] === undefined
			? 'this route has no access rule, so it is closed'
			: `your role (${event.locals.user.role}) may not open this page`;
	if (isApi) return errorResponse(403, { code: API_ERROR_CODES.roleRefused, message: why });
	error(403, why);
}
