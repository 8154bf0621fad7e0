// The latest audit entries of the organisation (coordinators only).
import { db } from '$lib/server/app-db';
import { listAudit } from '$lib/server/audit';
import { listUsers } from '$lib/server/auth/users';
import { requireContext } from '$lib/server/context';

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const [entries, users] = await Promise.all([listAudit(sql, org.orgId, 200), listUsers(sql, org.orgId)]);
	return {
		entries: entries.map((e) => ({ at: e.at.toISOString(), user: e.user, action: e.action, detail: e.detail })),
		// Details carry user ids only; the page shows the names of this organisation's users next to them.
		userNames: Object.fromEntries(users.map((u) => [String(u.userId), u.name])) as Record<string, string>
	};
}
