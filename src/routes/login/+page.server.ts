import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { createSession, sessionCookieOptions, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { attemptLogin } from '$lib/server/auth/login';
import { DEMO_USERS } from '$lib/server/demo/users';
import { onlyDemoOrganisations } from '$lib/server/organisations';
import { clientAddress } from '$lib/server/client-address';
import { landingFor, type Role } from '$lib/domain/access';
import { landsOnChecklist } from '$lib/server/first-hour';

/**
 * Only same-site paths may follow a login (no open redirect). Without one, or for the app's root,
 * the role's landing page: a worker's day (Vandaag), the map for the others.
 */
function safeNext(raw: string | null, role: Role, firstHour = false): string {
	return raw && raw !== '/' && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : landingFor(role, firstHour);
}

export async function load({ locals, url }) {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), locals.user.role));
	const { sql } = await db();
	// Demo passwords are shown only while every organisation here is the demo one.
	return {
		demoUsers: (await onlyDemoOrganisations(sql)) ? DEMO_USERS.map(({ email, password, role }) => ({ email, password, role })) : []
	};
}

export const actions = {
	default: async (event) => {
		const { request, cookies, url } = event;
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const password = String(form.get('password') ?? '');
		if (!email.trim() || !password) return fail(400, { email, error: 'missing' as const });
		const { sql } = await db();
		const result = await attemptLogin(sql, email, password, { client: clientAddress(event) });
		if (!result.ok) {
			// One message for a wrong password and an unknown email alike.
			if (result.reason === 'locked') return fail(429, { email, error: 'locked' as const, until: result.until.toISOString() });
			if (result.reason === 'throttled' || result.reason === 'busy') return fail(429, { email, error: result.reason, retryAfter: result.retryAfter });
			return fail(400, { email, error: 'invalid' as const });
		}
		const token = await createSession(sql, result.user);
		cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url));
		await audit(sql, { orgId: result.user.orgId, userId: result.user.userId, action: 'login' });
		// a new organisation's coordinator starts at the first-hour checklist
		const firstHour = result.user.role === 'coordinator' && (await landsOnChecklist(sql, result.user.orgId));
		redirect(303, safeNext(url.searchParams.get('next'), result.user.role, firstHour));
	}
};
