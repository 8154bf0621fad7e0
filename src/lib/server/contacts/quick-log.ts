// Saving a quick-logged contact moment (POST /api/contacts). The payload is checked with the same
// pure rules the browser ran before queueing it (domain/quick-log.ts), then against the
// organisation's data: its vocabularies, its services, its retention period and, for a contact
// made on a street round, that round (the worker's own, planned around that day). The insert is
// idempotent on the client's uuid: a resend answers "duplicate" and never adds a second row.
// The row keeps who logged it (logged_by; coordinators see it, analysts never).
import type { Sql } from '../db';
import { getOrgArea, type Organisation } from '../organisations';
import { cellToBigInt } from '../../domain/cells';
import { checkQuickLog, type ParamError, type QuickLogPayload } from '../../domain/quick-log';
import { todayInBrussels } from '../clock';
import { roundLinkRefusal } from '../rounds';
import { markVisitedByContact } from '../signals';
import type { Role } from '../../domain/access';

export const QUICKLOG_SOURCE = 'quicklog';

export type SaveResult = { ok: true; status: 'created' | 'duplicate' } | { ok: false; error: ParamError };

/** The oldest moment the organisation still keeps: retention deletes whole months before it. */
export async function retentionStart(sql: Sql, org: Organisation, now: Date): Promise<Date> {
	// Same bound as applyRetention (server/retention.ts), so a saved contact is never one the
	// next retention run deletes at once.
	const [row] = await sql`
		select (date_trunc('month', ${now}::timestamptz at time zone 'Europe/Brussels')
			- make_interval(months => ${org.retentionMonths}))::timestamp at time zone 'Europe/Brussels' as start`;
	return new Date(row!.start as Date);
}

export interface Logger {
	userId: number;
	role: Role;
}

export async function saveQuickLog(sql: Sql, org: Organisation, by: Logger, input: unknown, now = new Date()): Promise<SaveResult> {
	const checked = checkQuickLog(input, {
		storageRes: org.storageRes,
		bbox: org.bbox,
		boundary: (await getOrgArea(sql, org)).boundary,
		now,
		// No handSetFrom (the page's 7 days): an entry queued offline arrives late with its true
		// time; retention is the server's bound.
		earliest: await retentionStart(sql, org, now)
	});
	if (!checked.ok) return checked;
	const p = checked.value;
	const resolved = await checkReferences(sql, org.orgId, p);
	if ('code' in resolved) return { ok: false, error: resolved };
	const { contactType, targetGroups, themes, referralTarget } = resolved;
	if (p.roundId !== null) {
		const why = await roundLinkRefusal(sql, org.orgId, by, p.roundId, todayInBrussels(new Date(p.occurredAt)));
		if (why) return { ok: false, error: { code: 'roundRefused', param: 'roundId', message: why } };
	}

	const rows = await sql`
		insert into contact_moment (
			org_id, occurred_at, cell, contact_type, target_groups, themes, persons,
			referral, referral_service_id, referral_target, team_id, round_id, source, external_id, is_demo, logged_by)
		values (
			${org.orgId}, ${p.occurredAt}::timestamptz, ${cellToBigInt(p.cell).toString()}::bigint, ${contactType},
			${targetGroups}::smallint[], ${themes}::smallint[], ${p.persons},
			${p.referral}, ${p.referralServiceId}, ${referralTarget}, null, ${p.roundId}, ${QUICKLOG_SOURCE}, ${p.externalId}, false, ${by.userId})
		on conflict (org_id, source, external_id) do nothing
		returning contact_id`;
	// the signals ticked: only on the first arrival (a resend finds them visited already)
	if (rows.length && p.signalIds?.length) {
		await markVisitedByContact(sql, org, by, rows[0]!.contact_id as number, p.roundId, p.signalIds, todayInBrussels(now));
	}
	return { ok: true, status: rows.length ? 'created' : 'duplicate' };
}

/** The vocabulary entries a contact names, as stored: ids of entries merged since follow the merge. */
interface Resolved {
	contactType: number;
	targetGroups: number[];
	themes: number[];
	referralTarget: number | null;
}

/** The vocabulary ids and the service must be the organisation's own. */
async function checkReferences(sql: Sql, orgId: number, p: QuickLogPayload): Promise<Resolved | ParamError> {
	// Ids that exist (active or not: a contact queued offline may name an entry retired since, or
	// one merged into another since, which then stands for the one it was merged into).
	const rows = await sql`
		select kind, id, code, coalesce(merged_into, id) as stored from vocabulary
		where org_id = ${orgId} and kind in ('contact_type', 'target_group', 'theme', 'referral_target')`;
	const known = new Map<string, Map<number, number>>();
	for (const r of rows) {
		const kind = r.kind as string;
		if (!known.has(kind)) known.set(kind, new Map());
		known.get(kind)!.set(r.id as number, r.stored as number);
	}
	const missing = (kind: string, ids: number[]) => ids.find((id) => !known.get(kind)?.has(id));
	const stored = (kind: string, ids: number[]) => [...new Set(ids.map((id) => known.get(kind)!.get(id)!))];

	const type = missing('contact_type', [p.contactType]);
	if (type !== undefined) return { code: 'contactTypeUnknown', param: 'contactType', message: `unknown contact type ${type}`, values: { id: type } };
	const group = missing('target_group', p.targetGroups);
	if (group !== undefined)
		return { code: 'targetGroupUnknown', param: 'targetGroups', message: `unknown target group ${group}`, values: { id: group } };
	const theme = missing('theme', p.themes);
	if (theme !== undefined) return { code: 'themeUnknown', param: 'themes', message: `unknown theme ${theme}`, values: { id: theme } };
	let referralTarget: number | null = null;
	if (p.referralTarget) {
		const hit = rows.find((r) => r.kind === 'referral_target' && r.code === p.referralTarget);
		if (!hit)
			return {
				code: 'referralTargetUnknown',
				param: 'referralTarget',
				message: `unknown referral target "${p.referralTarget}"`,
				values: { code: p.referralTarget }
			};
		referralTarget = hit.stored as number;
	}

	if (p.referralServiceId !== null) {
		const [service] = await sql`
			select 1 from service_location where org_id = ${orgId} and service_id = ${p.referralServiceId}`;
		if (!service)
			return {
				code: 'serviceUnknown',
				param: 'referralServiceId',
				message: `unknown service ${p.referralServiceId}`,
				values: { id: p.referralServiceId }
			};
	}
	return {
		contactType: stored('contact_type', [p.contactType])[0]!,
		targetGroups: stored('target_group', p.targetGroups),
		themes: stored('theme', p.themes),
		referralTarget
	};
}
