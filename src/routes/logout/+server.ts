import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { endSession, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { crossOriginRefused, isSameOrigin } from '$lib/server/same-origin';

// POST only (a form button): a GET link could be triggered by another site's <img>. And from this
// site only: SvelteKit's CSRF check skips a POST without a form content type.
export async function POST({ cookies, locals, request, url }) {
	if (!isSameOrigin(request, url)) return crossOriginRefused();
	const { sql } = await db();
	await endSession(sql, cookies.get(SESSION_COOKIE));
	cookies.delete(SESSION_COOKIE, { path: '/' });
	if (locals.user) await audit(sql, { orgId: locals.user.orgId, userId: locals.user.userId, action: 'logout' });
	redirect(303, '/login');
}
