// Slow down, then lock, repeated failed sign-ins for one email address, whether or not it has an
// account (so neither the delay nor the lock tells which addresses exist).
import type { Sql } from '../db';
import { tokenHash } from './tokens';

export const FREE_FAILURES = 3;
export const LOCK_AFTER = 10;
export const LOCK_MINUTES = 15;
const MAX_DELAY_MS = 8_000;

/** Delay before answering after this many consecutive failures: 0, then 1 s, 2 s, 4 s, 8 s. */
export function failureDelayMs(failures: number): number {
	if (failures < FREE_FAILURES) return 0;
	return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_FAILURES));
}

const key = (email: string) => tokenHash('login:' + email);

/**
 * Counts an attempt as a failure BEFORE its password is verified, in one statement (concurrent
 * attempts on one address are serialised on its row), and returns the count including it. The
 * attempt that reaches LOCK_AFTER sets the lock; a caller must not verify when the count is above
 * LOCK_AFTER. A successful sign-in clears the count (clearFailures).
 */
export async function claimAttempt(sql: Sql, email: string): Promise<{ failures: number; lockedUntil: Date | null }> {
	const [row] = await sql`
		insert into login_throttle as t (email_hash, failures, locked_until)
		values (${key(email)}, 1, case when 1 >= ${LOCK_AFTER}::int then now() + make_interval(mins => ${LOCK_MINUTES}) end)
		on conflict (email_hash) do update set
			-- a lock that has run out starts a fresh count
			failures = case when t.locked_until <= now() then 1 else t.failures + 1 end,
			locked_until = case
				when t.locked_until <= now() then null
				when t.locked_until is not null then t.locked_until
				when t.failures + 1 >= ${LOCK_AFTER}::int then now() + make_interval(mins => ${LOCK_MINUTES})
			end,
			last_failure_at = now()
		returning failures, locked_until`;
	return { failures: row!.failures as number, lockedUntil: (row!.locked_until as Date | null) ?? null };
}

export async function clearFailures(sql: Sql, email: string): Promise<void> {
	await sql`delete from login_throttle where email_hash = ${key(email)}`;
}
