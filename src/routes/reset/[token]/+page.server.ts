// A password reset link (public: the person is not signed in). The coordinator gave the link by
// hand; the token is single-use and expires (see issuePasswordReset).
import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { completePasswordReset, resetIsValid } from '$lib/server/auth/users';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password';

export async function load({ params }) {
	const { sql } = await db();
	return { valid: await resetIsValid(sql, params.token), minLength: MIN_PASSWORD_LENGTH };
}

export const actions = {
	default: async ({ request, params }) => {
		const f = await request.formData();
		const password = String(f.get('password') ?? '');
		const confirm = String(f.get('confirm') ?? '');
		if (password !== confirm) {
			return fail(400, { field: 'confirm', code: 'passwordMismatch', message: 'the passwords differ', invalid: false });
		}
		const { sql } = await db();
		let whose: { orgId: number; userId: number };
		try {
			whose = await completePasswordReset(sql, params.token, password);
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(400, { ...fieldProblem(e), invalid: e.field === 'token' });
		}
		// The log gets ids only.
		await audit(sql, { orgId: whose.orgId, userId: whose.userId, action: 'user.password_reset', detail: { userId: whose.userId } });
		redirect(303, '/login?reset=done');
	}
};
