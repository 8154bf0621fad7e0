// The organisation's audit log (coordinators only): a page at a time, newest first, filtered by
// who, what and period; the same filters give the CSV export (./export).
import { db } from '$lib/server/app-db';
import { AUDIT_ACTIONS } from '$lib/server/audit';
import { auditPage, type AuditPage } from '$lib/server/audit-log';
import { listUsers } from '$lib/server/auth/users';
import { requireContext } from '$lib/server/context';
import { AUDIT_EXPORT_MAX, AUDIT_PAGE_SIZE, NO_AUDIT_FILTER, parseAuditCursor, parseAuditFilter, type AuditFilter } from '$lib/domain/audit-filter';
import { fieldProblem, UserInputError, type FieldProblem } from '$lib/domain/errors';

export async function load({ locals, url }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	let filter: AuditFilter = NO_AUDIT_FILTER;
	let problem: FieldProblem | null = null;
	try {
		filter = parseAuditFilter(url.searchParams, AUDIT_ACTIONS);
	} catch (e) {
		if (!(e instanceof UserInputError)) throw e;
		problem = fieldProblem(e);
	}
	const users = await listUsers(sql, org.orgId);
	const page: AuditPage = problem
		? { entries: [], total: 0, before: 0, newer: null, older: null }
		: await auditPage(sql, org.orgId, filter, parseAuditCursor(url.searchParams), AUDIT_PAGE_SIZE);
	return {
		filter,
		problem,
		// what the filter form offers: the raw query, so a refused value stays in its field
		query: Object.fromEntries(['user', 'action', 'from', 'to'].map((k) => [k, url.searchParams.get(k) ?? ''])) as Record<string, string>,
		actions: [...AUDIT_ACTIONS],
		users: users.map((u) => ({ userId: u.userId, name: u.name, active: u.active })),
		entries: page.entries.map((e) => ({ id: e.auditId, at: e.at.toISOString(), user: e.user, action: e.action, detail: e.detail })),
		total: page.total,
		rangeStart: page.before + 1,
		newer: page.newer,
		older: page.older,
		pageSize: AUDIT_PAGE_SIZE,
		exportMax: AUDIT_EXPORT_MAX,
		// Details carry user ids only; the page shows the names of this organisation's users next to them.
		userNames: Object.fromEntries(users.map((u) => [String(u.userId), u.name])) as Record<string, string>
	};
}
