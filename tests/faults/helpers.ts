// Shared set-up of the fault tests: the built app on a database that outlives one server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startAppServer, type AppServer } from '../e2e/server';
import { createScratchDatabase } from '../helpers/pg-database';
import { DEMO_USERS } from '../../src/lib/server/demo/users';
import type { Role } from '../../src/lib/domain/access';

export const adminUrl = process.env.TEST_DATABASE_URL || undefined;
export const engine = adminUrl ? 'postgres' : 'pglite';

/** A database for the servers of one file, and how to start a server on it. */
export async function faultDatabase(name: string) {
	let databaseUrl: string | undefined;
	let pgliteDir: string | undefined;
	let drop: () => Promise<void>;
	if (adminUrl) {
		const scratch = await createScratchDatabase(adminUrl, 'oa_fault');
		databaseUrl = scratch.url;
		drop = scratch.drop;
	} else {
		pgliteDir = mkdtempSync(join(tmpdir(), 'oa-fault-'));
		drop = async () => rmSync(pgliteDir!, { recursive: true, force: true });
	}
	const logFile = resolve('test-results', `fault-${name}-${engine}.log`);
	return {
		databaseUrl,
		pgliteDir,
		start: (env?: Record<string, string>): Promise<AppServer> => startAppServer({ databaseUrl, pgliteDir, logFile, env }),
		drop
	};
}

export function account(role: Role) {
	const u = DEMO_USERS.find((d) => d.role === role)!;
	return { email: u.email, password: u.password };
}

/**
 * Posts the login form as the page's use:enhance does; the action's status (a failure's, or 303
 * for the redirect after a sign-in) and the session cookie, if any.
 */
export async function postLogin(base: string, email: string, password: string): Promise<{ status: number; cookie: string | null; ms: number }> {
	const t0 = performance.now();
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', 'x-sveltekit-action': 'true', accept: 'application/json' },
		body: new URLSearchParams({ email, password })
	});
	const text = await res.text();
	let status = res.status;
	try {
		const body = JSON.parse(text) as { type?: string; status?: number };
		if (body.type === 'failure' || body.type === 'redirect') status = body.status ?? status;
	} catch {
		/* not an action answer: keep the HTTP status */
	}
	const set = res.headers.get('set-cookie');
	const cookie = set?.match(/atlas_session=[^;]+/)?.[0] ?? null;
	return { status, cookie, ms: performance.now() - t0 };
}

export async function session(base: string, role: Role): Promise<string> {
	const { email, password } = account(role);
	const r = await postLogin(base, email, password);
	if (!r.cookie) throw new Error(`no session for ${role} (HTTP ${r.status})`);
	return r.cookie;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
