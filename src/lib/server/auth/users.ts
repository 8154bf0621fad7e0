// Accounts: sign-in, creation, role changes and coordinator-issued password resets.
import type { Role } from '../../domain/access';
import type { Sql } from '../db';
import { UserInputError } from '../../domain/errors';
import { hashPassword, passwordProblem } from './password';
import { endUserSessions } from './sessions';
import { newToken, tokenHash } from './tokens';

export const RESET_VALID_HOURS = 48;

// Sign-in lives in login.ts; these names stay importable from here.
import { normaliseEmail } from './login';

export interface NewUser {
	orgId: number;
	email: string;
	name: string;
	role: Role;
	password?: string;
}

export async function createUser(sql: Sql, u: NewUser): Promise<number> {
	const email = normaliseEmail(u.email);
	if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UserInputError('emailInvalid', 'email', 'not a valid email address');
	if (!u.name.trim()) throw new UserInputError('nameRequired', 'name', 'a name is required');
	if (u.password !== undefined) {
		const problem = passwordProblem(u.password);
		if (problem) throw problem;
	}
	const hash = u.password === undefined ? null : await hashPassword(u.password);
	const [exists] = await sql`select 1 from app_user where email = ${email}`;
	if (exists) throw new UserInputError('emailTaken', 'email', 'an account with this email address already exists');
	const [row] = await sql`
		insert into app_user (org_id, email, display_name, role, password_hash)
		values (${u.orgId}, ${email}, ${u.name.trim()}, ${u.role}, ${hash})
		returning user_id`;
	return row!.user_id as number;
}

export interface UserRow {
	userId: number;
	email: string;
	name: string;
	role: Role;
	active: boolean;
}

export async function listUsers(sql: Sql, orgId: number): Promise<UserRow[]> {
	const rows = await sql`
		select user_id, email, display_name, role, active from app_user
		where org_id = ${orgId} order by role, display_name`;
	return rows.map((r) => ({
		userId: r.user_id as number,
		email: r.email as string,
		name: r.display_name as string,
		role: r.role as Role,
		active: r.active as boolean
	}));
}

export async function updateUser(sql: Sql, orgId: number, userId: number, patch: { role?: Role; active?: boolean }): Promise<boolean> {
	const rows = await sql`
		update app_user set
			role = coalesce(${patch.role ?? null}, role),
			active = coalesce(${patch.active ?? null}, active)
		where org_id = ${orgId} and user_id = ${userId}
		returning 1`;
	if (patch.active === false || patch.role) await endUserSessions(sql, orgId, userId);
	return rows.length === 1;
}

/**
 * A one-time reset token for a user of the same organisation; the link is given by hand. A new
 * link revokes the user's earlier unused ones (marked used), in the same transaction.
 */
export async function issuePasswordReset(sql: Sql, orgId: number, userId: number, issuedBy: number): Promise<string> {
	const token = newToken();
	const rows = await sql.begin(async (tx) => {
		await tx`
			update password_reset set used_at = now()
			where org_id = ${orgId} and user_id = ${userId} and used_at is null`;
		return tx`
			insert into password_reset (org_id, token_hash, user_id, issued_by, expires_at)
			select org_id, ${tokenHash(token)}, user_id, ${issuedBy}, now() + make_interval(hours => ${RESET_VALID_HOURS})
			from app_user where org_id = ${orgId} and user_id = ${userId}
			returning 1`;
	});
	if (rows.length !== 1) throw new UserInputError('userUnknown', 'user', 'no such user in this organisation');
	return token;
}

/** Whether a reset token can still be used (for showing the form). */
export async function resetIsValid(sql: Sql, token: string): Promise<boolean> {
	const [row] = await sql`select 1 from password_reset where token_hash = ${tokenHash(token)} and used_at is null and expires_at > now()`;
	return Boolean(row);
}

/**
 * Sets the new password, uses up the token and ends the user's sessions, in one transaction.
 * Answers whose password it was (for the audit entry).
 */
export async function completePasswordReset(sql: Sql, token: string, password: string): Promise<{ orgId: number; userId: number }> {
	const problem = passwordProblem(password);
	if (problem) throw problem;
	const hash = await hashPassword(password);
	return sql.begin(async (tx) => {
		const [row] = await tx`
			update password_reset set used_at = now()
			where token_hash = ${tokenHash(token)} and used_at is null and expires_at > now()
			returning org_id, user_id`;
		if (!row) throw new UserInputError('resetInvalid', 'token', 'this reset link is invalid, used or expired');
		await tx`update app_user set password_hash = ${hash} where org_id = ${row.org_id as number} and user_id = ${row.user_id as number}`;
		await tx`delete from user_session where org_id = ${row.org_id as number} and user_id = ${row.user_id as number}`;
		return { orgId: row.org_id as number, userId: row.user_id as number };
	});
}
