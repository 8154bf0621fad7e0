// Sign-in: the limits are taken, and the attempt counted as a failure, BEFORE the password is
// verified, so no burst of concurrent attempts gets more verifications than the limits allow.
import type { Sql } from '../db';
import { loginLimits, type LoginLimits } from './limits';
import { verifyPassword } from './password';
import { sessionUserOf, type SessionUser } from './sessions';
import { claimAttempt, clearFailures, failureDelayMs, LOCK_AFTER } from './throttle';

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export type LoginResult =
	| { ok: true; user: SessionUser }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'locked'; until: Date }
	/** This client address failed too often (any accounts); retry after `retryAfter` seconds. */
	| { ok: false; reason: 'throttled'; retryAfter: number }
	/** The server's verification ceiling is reached; retry after `retryAfter` seconds. */
	| { ok: false; reason: 'busy'; retryAfter: number };

export interface LoginOptions {
	sleep?: (ms: number) => Promise<void>;
	/** The client's address, for the per-client limit (see clientAddress in ../client-address). */
	client?: string;
	limits?: LoginLimits;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Checks email and password. Unknown addresses do the same work (a dummy hash check, the same
 * throttle) as known ones, so the answer and its timing do not tell whether an account exists.
 */
export async function attemptLogin(sql: Sql, rawEmail: string, password: string, opts: LoginOptions = {}): Promise<LoginResult> {
	const email = normaliseEmail(rawEmail);
	const limits = opts.limits ?? loginLimits();
	const client = opts.client ?? 'unknown';
	// Both in-memory limits are taken synchronously, before anything is awaited.
	if (!limits.perClient.take(client)) return { ok: false, reason: 'throttled', retryAfter: limits.perClient.retryAfter(client) };
	if (!limits.verifications.take()) {
		limits.perClient.give(client);
		return { ok: false, reason: 'busy', retryAfter: 1 };
	}
	let verified = false;
	let ok = false;
	try {
		const claim = await claimAttempt(sql, email);
		if (claim.failures > LOCK_AFTER) return { ok: false, reason: 'locked', until: claim.lockedUntil! };
		const [row] = await sql`
			select org_id, user_id, email, display_name, role, password_hash from app_user
			where email = ${email} and active`;
		verified = true;
		const valid = await verifyPassword(row?.password_hash as string | null | undefined, password);
		if (!row || !valid) {
			await (opts.sleep ?? sleep)(failureDelayMs(claim.failures));
			return claim.lockedUntil ? { ok: false, reason: 'locked', until: claim.lockedUntil } : { ok: false, reason: 'invalid' };
		}
		ok = true;
		await clearFailures(sql, email);
		return { ok: true, user: sessionUserOf(row) };
	} finally {
		if (!verified) limits.verifications.give();
		if (ok) limits.perClient.give(client);
	}
}
