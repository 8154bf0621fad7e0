// A password reset link (public: the person is not signed in). The coordinator gave the link by
// hand; the token is single-use and expires (see issuePasswordReset).
import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { completePasswordReset, resetIsValid } from '$lib/server/auth/users';
import { UserInputError } from '$lib/domain/errors';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password';
import { tokenHash } from '$lib/server/auth/tokens';

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
			return fail(400, { field: 'confirm', code: 'passwordMismatch', message: 'the passwords differ' });
		}
		const { sql } = await db();
		try {
			await completePasswordReset(sql, params.token, password);
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			if (e.field === 'token') return fail(400, { field: 'token', code: 'resetInvalid', message: e.message, invalid: true });
			return fail(400, {
				field: 'password',
				code: /at most/.test(e.message) ? 'passwordTooLong' : 'passwordTooShort',
				message: e.message
			});
		}
		// The used row still names whose password this was; the log gets ids only.
		const [row] = await sql`select org_id, user_id from password_reset where token_hash = ${tokenHash(params.token)}`;
		if (row) {
			await audit(sql, {
				orgId: row.org_id as number,
				userId: row.user_id as number,
				action: 'user.password_reset',
				detail: { userId: row.user_id as number }
			});
		}
		redirect(303, '/login?reset=done');
	}
};
