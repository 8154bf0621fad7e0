// Reading the audit log (audit.ts writes it): a page at a time, newest first, filtered by who,
// what and Brussels days, and every matching entry for the CSV export. Paging is by keyset on
// (at, audit_id), the log's own order, so entries logged while someone pages never shift a page.
import type { AuditCursor, AuditFilter } from '../domain/audit-filter';
import type { Sql } from './db';

export interface AuditLogEntry {
	auditId: number;
	at: Date;
	/** Wall-clock time in Brussels, YYYY-MM-DD HH:MM:SS (what a file shows). */
	local: string;
	userId: number | null;
	/** "Name <email>" of the user, or null for the system (or a user no longer known). */
	user: string | null;
	action: string;
	detail: Record<string, unknown>;
}

export interface AuditPage {
	entries: AuditLogEntry[];
	/** Entries matching the filter, over every page. */
	total: number;
	/** Matching entries newer than this page's first (the page starts at entry before + 1). */
	before: number;
	/** Cursor for the page of newer entries (`after`), or null on the newest page. */
	newer: number | null;
	/** Cursor for the page of older entries (`before`), or null on the oldest page. */
	older: number | null;
}

function matching(sql: Sql, orgId: number, f: AuditFilter) {
	return sql`a.org_id = ${orgId}
		${f.user === 'system' ? sql`and a.user_id is null` : f.user !== null ? sql`and a.user_id = ${f.user}` : sql``}
		${f.action ? sql`and a.action = ${f.action}` : sql``}
		${f.from ? sql`and a.at >= ${f.from}::date::timestamp at time zone 'Europe/Brussels'` : sql``}
		${f.to ? sql`and a.at < (${f.to}::date + 1)::timestamp at time zone 'Europe/Brussels'` : sql``}`;
}

/** Entries older ('before') or newer ('after') than the cursor's entry, in the log's order. */
function beyondCursor(sql: Sql, orgId: number, c: AuditCursor) {
	const position = sql`(select c.at, c.audit_id from audit_log c where c.org_id = ${orgId} and c.audit_id = ${c.auditId})`;
	return c.dir === 'before' ? sql`and (a.at, a.audit_id) < ${position}` : sql`and (a.at, a.audit_id) > ${position}`;
}

async function select(sql: Sql, orgId: number, f: AuditFilter, opts: { cursor?: AuditCursor; limit: number }): Promise<AuditLogEntry[]> {
	const c = opts.cursor;
	const newerFirst = c?.dir !== 'after';
	const rows = await sql`
		select a.audit_id, a.at, to_char(a.at at time zone 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS') as local,
			a.user_id, u.display_name, u.email, a.action, a.detail
		from audit_log a
		left join app_user u on u.org_id = a.org_id and u.user_id = a.user_id
		where ${matching(sql, orgId, f)}
			${c ? beyondCursor(sql, orgId, c) : sql``}
		order by ${newerFirst ? sql`a.at desc, a.audit_id desc` : sql`a.at, a.audit_id`}
		limit ${opts.limit}`;
	const entries = rows.map((r) => ({
		auditId: Number(r.audit_id),
		at: r.at as Date,
		local: r.local as string,
		userId: (r.user_id as number | null) ?? null,
		user: r.display_name ? `${r.display_name} <${r.email}>` : null,
		action: r.action as string,
		detail: r.detail as Record<string, unknown>
	}));
	return newerFirst ? entries : entries.reverse();
}

async function anyBeyond(sql: Sql, orgId: number, f: AuditFilter, cursor: AuditCursor): Promise<boolean> {
	return (await select(sql, orgId, f, { cursor, limit: 1 })).length > 0;
}

/**
 * One page of the log, newest first: the first page without a cursor, else the `limit` entries
 * just older ('before') or newer ('after') than the cursor's entry. A cursor that names no entry
 * of the organisation gives the first page, and so does one with less than a page newer than it.
 */
export async function auditPage(sql: Sql, orgId: number, f: AuditFilter, cursor: AuditCursor | null, limit: number): Promise<AuditPage> {
	if (cursor) {
		const [known] = await sql`select 1 from audit_log where org_id = ${orgId} and audit_id = ${cursor.auditId}`;
		if (!known) cursor = null;
	}
	const [total, page] = await Promise.all([countAudit(sql, orgId, f), select(sql, orgId, f, { cursor: cursor ?? undefined, limit })]);
	let entries = page;
	// Newer than the cursor but less than a page: that is the newest page, shown whole.
	if (cursor?.dir === 'after' && entries.length < limit) {
		cursor = null;
		entries = await select(sql, orgId, f, { limit });
	}
	const first = entries[0];
	const last = entries.at(-1);
	const [before, older] = await Promise.all([
		first && cursor ? countAudit(sql, orgId, f, { dir: 'after', auditId: first.auditId }) : 0,
		last ? anyBeyond(sql, orgId, f, { dir: 'before', auditId: last.auditId }) : false
	]);
	return { entries, total, before, newer: before > 0 ? first!.auditId : null, older: older ? last!.auditId : null };
}

/** How many entries match the filter (beyond the cursor's entry, when given). */
export async function countAudit(sql: Sql, orgId: number, f: AuditFilter, beyond?: AuditCursor): Promise<number> {
	const [r] =
		await sql`select count(*)::int as n from audit_log a where ${matching(sql, orgId, f)} ${beyond ? beyondCursor(sql, orgId, beyond) : sql``}`;
	return r!.n as number;
}

/** Every entry matching the filter, newest first, at most `limit`. */
export async function auditEntries(sql: Sql, orgId: number, f: AuditFilter, limit: number): Promise<AuditLogEntry[]> {
	return select(sql, orgId, f, { limit });
}

// The audit page's action labels (audit.action.* in the message files, which the export shares
// with the page), merged as src/lib/i18n/index.ts merges them.
const messageFiles = import.meta.glob<{ audit?: { action?: Record<string, string> } }>(['../i18n/*.json', '../i18n/features/*.json'], {
	eager: true,
	import: 'default'
});

/** The audit page's label of each action in `lang` ("user.create" → "Gebruiker aangemaakt"); the code when there is none. */
export function auditActionLabels(lang: 'nl' | 'en'): (action: string) => string {
	const labels: Record<string, string> = {};
	// the main file first, then the feature files over it
	const files = Object.entries(messageFiles).sort(([a], [b]) => Number(a.includes('/features/')) - Number(b.includes('/features/')));
	for (const [path, messages] of files) {
		if (path.endsWith(`/${lang}.json`) || path.endsWith(`.${lang}.json`)) Object.assign(labels, messages.audit?.action);
	}
	return (action) => labels[action.replace(/\./g, '_')] ?? action;
}
