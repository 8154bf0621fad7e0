// The organisation and user a request acts for, from the session that hooks.server.ts resolved.
// Routes only run after the route table allowed them, so a missing user here is a bug: 401.
import { error } from '@sveltejs/kit';
import { db } from './app-db';
import type { SessionUser } from './auth/sessions';
import { getOrganisation, type Organisation } from './organisations';

export interface RequestContext {
	user: SessionUser;
	org: Organisation;
}

export async function requireContext(locals: App.Locals): Promise<RequestContext> {
	if (!locals.user) error(401, 'sign in first');
	// hooks.server.ts read the organisation with the session; only other callers ask again
	const org = locals.org?.orgId === locals.user.orgId ? locals.org : await getOrganisation((await db()).sql, locals.user.orgId);
	if (!org) error(401, 'your organisation no longer exists');
	return { user: locals.user, org };
}
