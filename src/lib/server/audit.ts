// The audit log: who viewed aggregates (and at which resolution), exported, imported, or changed
// users and settings. Details are parameters only: never contact data, passwords or tokens.
import type { HexQuery } from '../domain/hex-query';
import type { Sql } from './db';

/** Every action the log records; the audit page has a label for each (tests/unit/audit-labels). */
export const AUDIT_ACTIONS = [
	'login',
	'logout',
	'view.hexes',
	'export',
	'import',
	'user.create',
	'user.update',
	'user.reset_issued',
	'user.password_reset',
	'settings.update',
	'vocabulary.add',
	'vocabulary.rename',
	'vocabulary.reorder',
	'vocabulary.retire',
	'vocabulary.unretire',
	'vocabulary.merge',
	'settings.areas',
	'zone.assign',
	'zone.remove',
	'round.plan',
	'round.remove',
	'round.route',
	'round.budget',
	'calendar.issue',
	'calendar.revoke',
	'signal.create',
	'signal.status',
	'retention.run',
	'audit.export'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
	orgId: number;
	userId: number | null;
	action: AuditAction;
	detail?: Record<string, string | number | boolean | null | number[]>;
}

export async function audit(sql: Sql, e: AuditEntry): Promise<void> {
	await sql`
		insert into audit_log (org_id, user_id, action, detail)
		values (${e.orgId}, ${e.userId}, ${e.action}, ${sql.json(e.detail ?? {})})`;
}

// Map views come in bursts while someone pans; one entry per user, question (resolution, period,
// filters; not the viewport) and 10 minutes says who asked what without flooding the log, so a
// run of differing questions (the pattern of a differencing attempt) stands out.
const lastViewLogged = new Map<string, number>();
const VIEW_LOG_INTERVAL_MS = 10 * 60_000;
const MAX_REMEMBERED_VIEWS = 10_000;

export async function auditMapView(sql: Sql, orgId: number, userId: number, role: string, q: Omit<HexQuery, 'bbox'>): Promise<void> {
	const question = { res: q.res, from: q.from, to: q.to, types: q.types, groups: q.groups, teams: q.teams };
	const key = `${orgId}:${userId}:${JSON.stringify(question)}`;
	const now = Date.now();
	if ((lastViewLogged.get(key) ?? 0) > now - VIEW_LOG_INTERVAL_MS) return;
	if (lastViewLogged.size >= MAX_REMEMBERED_VIEWS) {
		for (const [k, at] of lastViewLogged) if (at <= now - VIEW_LOG_INTERVAL_MS) lastViewLogged.delete(k);
	}
	lastViewLogged.set(key, now);
	await audit(sql, { orgId, userId, action: 'view.hexes', detail: { role, ...question } });
}
