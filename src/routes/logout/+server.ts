import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { endSession, SESSION_COOKIE } from '$lib/server/auth/sessions';

// POST only (a form button): a GET link could be triggered by another site's <img>.
export async function POST({ cookies, locals }) {
	const { sql } = await db();
	await endSession(sql, cookies.get(SESSION_COOKIE));
	cookies.delete(SESSION_COOKIE, { path: '/' });
	if (locals.user) await audit(sql, { orgId: locals.user.orgId, userId: locals.user.userId, action: 'logout' });
	redirect(303, '/login');
}
