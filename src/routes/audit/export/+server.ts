// The audit log's entries that match the page's filters, as CSV in the page's language. The
// export is itself an entry of the log: who exported, with which filters, how many rows.
import { db } from '$lib/server/app-db';
import { audit, AUDIT_ACTIONS } from '$lib/server/audit';
import { auditActionLabels, auditEntries, countAudit } from '$lib/server/audit-log';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { auditCsv } from '$lib/domain/audit-csv';
import { AUDIT_EXPORT_MAX, auditFilterDetail, parseAuditFilter, type AuditFilter } from '$lib/domain/audit-filter';
import { UserInputError } from '$lib/domain/errors';

export async function GET({ locals, url }) {
	const { user, org } = await requireContext(locals);
	const lang = url.searchParams.get('lang') ?? 'nl';
	if (lang !== 'nl' && lang !== 'en') return badRequest('langInvalid', 'lang', 'lang: nl or en');
	let filter: AuditFilter;
	try {
		filter = parseAuditFilter(url.searchParams, AUDIT_ACTIONS);
	} catch (e) {
		if (e instanceof UserInputError) return badRequest(e.code, e.field, e.message, e.values);
		throw e;
	}
	const { sql } = await db();
	if ((await countAudit(sql, org.orgId, filter)) > AUDIT_EXPORT_MAX) {
		return badRequest('auditExportTooLarge', 'from', `more than ${AUDIT_EXPORT_MAX} entries: choose a shorter period`, { max: AUDIT_EXPORT_MAX });
	}
	const entries = await auditEntries(sql, org.orgId, filter, AUDIT_EXPORT_MAX);
	const body = auditCsv(entries, lang, auditActionLabels(lang));
	await audit(sql, {
		orgId: org.orgId,
		userId: user.userId,
		action: 'audit.export',
		detail: { ...auditFilterDetail(filter), rows: entries.length, format: 'csv' }
	});
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="audit-${todayInBrussels()}.csv"`,
			'cache-control': 'no-store'
		}
	});
}
