// Accounts of the organisation (coordinators only; the route table enforces it). Every change is
// audited with ids and roles only: no names, addresses, passwords or tokens in the log.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { createUser, issuePasswordReset, listUsers, updateUser } from '$lib/server/auth/users';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { requireContext } from '$lib/server/context';
import { ROLES, type Role } from '$lib/domain/access';

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
const text = (f: FormData, name: string) => String(f.get(name) ?? '');

export async function load({ locals }) {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	return { users: await listUsers(sql, org.orgId), me: user.userId };
}

type Ctx = Awaited<ReturnType<typeof requireContext>>;

// One action with an `intent` field rather than named actions, so that a plain POST to /users
// creates an account (as the route access tests do) and every form posts to the same URL.
export const actions = {
	default: async ({ request, locals, url }) => {
		const ctx = await requireContext(locals);
		const f = await request.formData();
		const intent = text(f, 'intent') || 'create';
		if (intent === 'update') return update(ctx, f);
		if (intent === 'reset') return reset(ctx, f, url);
		if (intent !== 'create') return fail(400, { action: 'create' as const, field: 'intent', code: 'generic', message: `unknown intent "${intent}"` });
		return create(ctx, f, url);
	}
};

async function create({ user, org }: Ctx, f: FormData, url: URL) {
	const values = { email: text(f, 'email'), name: text(f, 'name'), role: text(f, 'role') };
	const password = text(f, 'password');
	if (!isRole(values.role)) {
		return fail(400, { action: 'create' as const, field: 'role', code: 'roleInvalid', message: 'unknown role', values });
	}
	const { sql } = await db();
	try {
		const userId = await createUser(sql, {
			orgId: org.orgId,
			email: values.email,
			name: values.name,
			role: values.role,
			password: password === '' ? undefined : password
		});
		await audit(sql, { orgId: org.orgId, userId: user.userId, action: 'user.create', detail: { userId, role: values.role } });
		// Without an initial password the new colleague chooses one through a reset link.
		let resetLink: string | null = null;
		if (password === '') {
			const token = await issuePasswordReset(sql, org.orgId, userId, user.userId);
			await audit(sql, { orgId: org.orgId, userId: user.userId, action: 'user.reset_issued', detail: { userId } });
			resetLink = `${url.origin}/reset/${token}`;
		}
		return { action: 'create' as const, userId, name: values.name.trim(), resetLink };
	} catch (e) {
		if (!(e instanceof UserInputError)) throw e;
		return fail(400, { action: 'create' as const, ...fieldProblem(e), values });
	}
}

async function update({ user, org }: Ctx, f: FormData) {
	const userId = Number(text(f, 'userId'));
	const role = text(f, 'role');
	const active = text(f, 'active');
	const base = { action: 'update' as const, userId };
	if (!Number.isInteger(userId) || userId <= 0) {
		return fail(400, { ...base, field: 'user', code: 'userUnknown', message: 'no such user' });
	}
	// Changing your own role or switching yourself off would lock you (and maybe everyone) out.
	if (userId === user.userId) {
		return fail(400, { ...base, field: 'user', code: 'selfChange', message: 'you cannot change your own account here' });
	}
	const patch: { role?: Role; active?: boolean } = {};
	if (role) {
		if (!isRole(role)) return fail(400, { ...base, field: 'role', code: 'roleInvalid', message: 'unknown role' });
		patch.role = role;
	}
	if (active === 'true' || active === 'false') patch.active = active === 'true';
	if (patch.role === undefined && patch.active === undefined) {
		return fail(400, { ...base, field: 'user', code: 'nothingToChange', message: 'nothing to change' });
	}
	const { sql } = await db();
	const ok = await updateUser(sql, org.orgId, userId, patch);
	if (!ok) return fail(404, { ...base, field: 'user', code: 'userUnknown', message: 'no such user' });
	await audit(sql, { orgId: org.orgId, userId: user.userId, action: 'user.update', detail: { userId, ...patch } });
	return { ...base, change: patch.role !== undefined ? ('role' as const) : ('active' as const), active: patch.active ?? null };
}

async function reset({ user, org }: Ctx, f: FormData, url: URL) {
	const userId = Number(text(f, 'userId'));
	const base = { action: 'reset' as const, userId };
	if (!Number.isInteger(userId) || userId <= 0) {
		return fail(400, { ...base, field: 'user', code: 'userUnknown', message: 'no such user' });
	}
	const { sql } = await db();
	try {
		const token = await issuePasswordReset(sql, org.orgId, userId, user.userId);
		await audit(sql, { orgId: org.orgId, userId: user.userId, action: 'user.reset_issued', detail: { userId } });
		// Shown once, on this response only; the database keeps just the token's hash.
		return { ...base, resetLink: `${url.origin}/reset/${token}` };
	} catch (e) {
		if (!(e instanceof UserInputError)) throw e;
		return fail(400, { ...base, ...fieldProblem(e, 'user') });
	}
}
