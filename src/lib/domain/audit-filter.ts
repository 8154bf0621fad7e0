// The audit log's question: who, what and which days (Brussels calendar), read from a page's or
// an export's query string and written back into links, so paging and the export keep it. Pure.
import { parseDay } from './calendar';
import { UserInputError } from './errors';

export interface AuditFilter {
	/** One user's id, 'system' for entries without a user (retention runs), or null: everyone. */
	user: number | 'system' | null;
	/** One action (e.g. 'user.create'), or null: every action. */
	action: string | null;
	/** First and last day, both inclusive, YYYY-MM-DD in Brussels; null: open. */
	from: string | null;
	to: string | null;
}

export const NO_AUDIT_FILTER: AuditFilter = { user: null, action: null, from: null, to: null };

/** Entries per page of the audit log. */
export const AUDIT_PAGE_SIZE = 50;

/** More entries than this are not exported in one file: the page asks for a shorter period. */
export const AUDIT_EXPORT_MAX = 100_000;

const positiveInt = (raw: string) => (/^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : null);

/** The filter of a query string; `actions` are the actions the log knows. Throws UserInputError. */
export function parseAuditFilter(params: URLSearchParams, actions: readonly string[]): AuditFilter {
	const f: AuditFilter = { ...NO_AUDIT_FILTER };
	const user = params.get('user')?.trim() ?? '';
	if (user === 'system') f.user = 'system';
	else if (user) {
		f.user = positiveInt(user);
		if (f.user === null) throw new UserInputError('auditUserInvalid', 'user', `user: a user id or "system", not "${user}"`);
	}
	const action = params.get('action')?.trim() ?? '';
	if (action) {
		if (!actions.includes(action)) throw new UserInputError('auditActionInvalid', 'action', `action: not an action of the audit log: "${action}"`);
		f.action = action;
	}
	for (const key of ['from', 'to'] as const) {
		const raw = params.get(key)?.trim() ?? '';
		if (!raw) continue;
		const day = parseDay(raw);
		if (!day) throw new UserInputError('dateInvalid', key, `${key}: a date as YYYY-MM-DD, not "${raw}"`);
		f[key] = day;
	}
	if (f.from && f.to && f.to < f.from) throw new UserInputError('dateOrder', 'to', 'to: the last day comes before the first');
	return f;
}

/** A page cursor: the id of the entry the page starts after ('before': older entries, 'after': newer). */
export interface AuditCursor {
	dir: 'before' | 'after';
	auditId: number;
}

/** The cursor of a query string, or null for the first page (a malformed one is ignored). */
export function parseAuditCursor(params: URLSearchParams): AuditCursor | null {
	for (const dir of ['before', 'after'] as const) {
		const id = positiveInt(params.get(dir) ?? '');
		if (id !== null) return { dir, auditId: id };
	}
	return null;
}

/** The filter as query parameters (only those set), for links that keep it. */
export function auditFilterParams(f: AuditFilter, extra: Record<string, string | number> = {}): URLSearchParams {
	const p = new URLSearchParams();
	if (f.user !== null) p.set('user', String(f.user));
	if (f.action) p.set('action', f.action);
	if (f.from) p.set('from', f.from);
	if (f.to) p.set('to', f.to);
	for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
	return p;
}

/** The filter as an audit entry's detail: ids and codes only, and only what is set. */
export function auditFilterDetail(f: AuditFilter): Record<string, string | number> {
	const d: Record<string, string | number> = {};
	if (f.user !== null) d.who = f.user;
	if (f.action) d.what = f.action;
	if (f.from) d.from = f.from;
	if (f.to) d.to = f.to;
	return d;
}
