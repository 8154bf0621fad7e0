// Sessions live in the database, so any app node can serve any request. The cookie holds a
// random token; the table holds its hash. A session slides with activity up to an absolute age.
// The way a user signed in (password now, OIDC later) is only recorded: nothing else depends on it.
import type { Role } from '../../domain/access';
import type { Sql } from '../db';
import { toOrganisation, type Organisation } from '../organisations';
import { HeldMemo } from '../held-connection';
import { newToken, tokenHash } from './tokens';

export const SESSION_COOKIE = 'atlas_session';
export const IDLE_MINUTES = 8 * 60;
export const ABSOLUTE_HOURS = 7 * 24;

export interface SessionUser {
	orgId: number;
	userId: number;
	email: string;
	name: string;
	role: Role;
}

/** A signed-in user from an app_user row (org_id, user_id, email, display_name, role). */
export function sessionUserOf(row: Record<string, unknown>): SessionUser {
	return {
		orgId: row.org_id as number,
		userId: row.user_id as number,
		email: row.email as string,
		name: row.display_name as string,
		role: row.role as Role
	};
}

export async function createSession(sql: Sql, user: { orgId: number; userId: number }, method = 'password'): Promise<string> {
	const token = newToken();
	await sql`
		insert into user_session (org_id, token_hash, user_id, auth_method, expires_at)
		values (${user.orgId}, ${tokenHash(token)}, ${user.userId}, ${method}, now() + make_interval(mins => ${IDLE_MINUTES}))`;
	return token;
}

/** Sliding expiry is refreshed at most this often, so a burst of map requests writes nothing. */
const REFRESH_AFTER_SECONDS = 60;

/** The signed-in user of a token, or null when unknown, expired or the account is inactive. */
export async function resolveSession(sql: Sql, token: string | undefined): Promise<SessionUser | null> {
	return (await resolveSessionContext(sql, token))?.user ?? null;
}

/** What one request needs to know, read in one query: the user, their organisation, its data version. */
export interface SessionContext {
	user: SessionUser;
	/** Null when the organisation is gone (requireContext answers 401). */
	org: Organisation | null;
	/** The organisation's data version (see migrations/0010_data_version.sql), as decimal text. */
	dataVersion: string;
	/** Rows the data version is summed over; compactDataVersion folds them when they pile up. */
	dataChanges: number;
}

/** Session rows of the given token hashes (valid and of active users), with organisation and data version. */
function sessionRows(sql: Sql, hashes: string[]) {
	return sql`
		select s.token_hash, s.expires_at, u.org_id, u.user_id, u.email, u.display_name, u.role,
			s.last_seen_at < now() - make_interval(secs => ${REFRESH_AFTER_SECONDS}) as stale,
			o.org_id as org_found, o.slug, o.name, o.storage_res, o.planning_res, o.policy_res, o.k_threshold,
			o.retention_months, o.bbox, o.is_demo, v.version as data_version, v.changes as data_changes
		from user_session s
		join app_user u on u.org_id = s.org_id and u.user_id = s.user_id and u.active
		left join organisation o on o.org_id = u.org_id
		cross join lateral (
			select coalesce(sum(d.weight), 0)::text as version, count(*)::int as changes
			from org_data_change d where d.org_id = u.org_id
		) v
		where s.token_hash = any(${hashes}::text[]) and s.expires_at > now()`;
}

const sessionContextOf = (row: Record<string, unknown>): SessionContext => ({
	user: sessionUserOf(row),
	org: row.org_found === null ? null : toOrganisation(row),
	dataVersion: row.data_version as string,
	dataChanges: row.data_changes as number
});

/**
 * On PGlite, while a transaction (an import) holds its one connection: the sessions of recent
 * users as that transaction read them at its start, which nothing else can change before it ends
 * (held-connection.ts). Signed-in users keep getting cached map answers during an import; a
 * sign-out or role change in the meantime waits for the connection like any write.
 */
const heldSessions = new HeldMemo<SessionContext>(
	async (tx, hashes) =>
		new Map(
			(await sessionRows(tx, hashes)).map((r) => [
				r.token_hash as string,
				{ value: sessionContextOf(r), validUntilMs: (r.expires_at as Date).getTime() }
			])
		)
);

/** The session of a token with its organisation and data version, in one query; null as resolveSession. */
export async function resolveSessionContext(sql: Sql, token: string | undefined): Promise<SessionContext | null> {
	if (!token || token.length > 100) return null;
	const hash = tokenHash(token);
	const held = heldSessions.get(sql, hash, Date.now());
	if (held) return held;
	const read = sessionRows(sql, [hash]).then(async ([row]) => {
		if (!row) return null;
		heldSessions.note(sql, hash);
		if (row.stale) {
			await sql`
				update user_session set
					last_seen_at = now(),
					expires_at = least(now() + make_interval(mins => ${IDLE_MINUTES}), created_at + make_interval(hours => ${ABSOLUTE_HOURS}))
				where token_hash = ${hash}`;
		}
		return sessionContextOf(row);
	});
	return heldSessions.readOrHeld(sql, hash, read, (context) => context);
}

export async function endSession(sql: Sql, token: string | undefined): Promise<void> {
	if (token) await sql`delete from user_session where token_hash = ${tokenHash(token)}`;
}

export async function endUserSessions(sql: Sql, orgId: number, userId: number): Promise<void> {
	await sql`delete from user_session where org_id = ${orgId} and user_id = ${userId}`;
}

export async function purgeExpiredSessions(sql: Sql): Promise<number> {
	const rows = await sql`delete from user_session where expires_at <= now() returning 1`;
	return rows.length;
}

export function sessionCookieOptions(url: URL) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:',
		maxAge: ABSOLUTE_HOURS * 3600
	};
}
