// Signing in for the browser tests: every page but /login and /reset needs a session now.
import type { BrowserContext, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { Role } from '../../src/lib/domain/access';
import { DEMO_USERS } from '../../src/lib/server/demo/users';

export function demoAccount(role: Role): { email: string; password: string; name: string } {
	const u = DEMO_USERS.find((d) => d.role === role);
	if (!u) throw new Error(`no demo account for ${role}`);
	return u;
}

/**
 * Signs in through the login form as the demo account of `role` and waits until the app has
 * left /login (for `next`, or the map). Leaves the page where the server sent it.
 */
export async function login(page: Page, role: Role, next?: string): Promise<void> {
	await loginAs(page, demoAccount(role), next);
}

export async function loginAs(page: Page, account: { email: string; password: string }, next?: string): Promise<void> {
	await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
	await page.locator('#login-email').fill(account.email);
	await page.locator('#login-password').fill(account.password);
	await Promise.all([page.waitForURL((u) => u.pathname !== '/login', { timeout: 30_000 }), page.locator('form button[type="submit"]').click()]);
}

/**
 * A session cookie ("atlas_session=…") for plain fetch calls from the test process: posts the
 * login form the way a browser does (same Origin), without following the redirect.
 */
export async function sessionCookie(role: Role): Promise<string> {
	const base = inject('baseURL');
	const { email, password } = demoAccount(role);
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		// text/html: the plain form post a browser makes (with */* SvelteKit answers in JSON)
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, accept: 'text/html' },
		body: new URLSearchParams({ email, password })
	});
	if (res.status !== 303) throw new Error(`login as ${role} answered ${res.status}: ${await res.text()}`);
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('atlas_session='));
	if (!cookie) throw new Error(`login as ${role} set no session cookie`);
	return cookie.split(';')[0]!;
}

/** Signs a context in for API calls (its cookie jar is the browser context's). */
export async function signIn(ctx: BrowserContext, role: Role) {
	const base = inject('baseURL');
	const { email, password } = demoAccount(role);
	// The login form's action, posted as the browser would (same origin, so CSRF-safe).
	const res = await ctx.request.post('/login', { form: { email, password }, headers: { origin: base, accept: 'text/html' }, maxRedirects: 0 });
	expect(res.status(), await res.text().catch(() => '')).toBe(303);
}
