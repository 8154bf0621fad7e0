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

/** When the address is locked, the time it unlocks. */
export async function lockedUntil(sql: Sql, email: string): Promise<Date | null> {
	const [row] = await sql`select locked_until from login_throttle where email_hash = ${key(email)} and locked_until > now()`;
	return row ? (row.locked_until as Date) : null;
}

/** Records a failure and returns the consecutive failure count. */
export async function recordFailure(sql: Sql, email: string): Promise<number> {
	const [row] = await sql`
		insert into login_throttle as t (email_hash, failures) values (${key(email)}, 1)
		on conflict (email_hash) do update set
			-- a lock that has run out starts a fresh count
			failures = case when t.locked_until is not null and t.locked_until <= now() then 1 else t.failures + 1 end,
			locked_until = case when t.locked_until is not null and t.locked_until <= now() then null else t.locked_until end,
			last_failure_at = now()
		returning failures`;
	const failures = row!.failures as number;
	if (failures >= LOCK_AFTER) {
		await sql`update login_throttle set locked_until = now() + make_interval(mins => ${LOCK_MINUTES}) where email_hash = ${key(email)}`;
	}
	return failures;
}

export async function clearFailures(sql: Sql, email: string): Promise<void> {
	await sql`delete from login_throttle where email_hash = ${key(email)}`;
}
