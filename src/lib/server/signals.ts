// The signal inbox on the server: what a user may see (a worker: their zones' and rounds'
// signals and the organisation's open ones), the filtered, paged list with counts per status and
// each signal's history, the map layer's points, and one step of the life cycle, written with its
// event and an audit entry in one transaction.
import { districtLayer } from './area-layers';
import { areaCells } from './area-cells';
import { cellToChildren, getResolution } from 'h3-js';
import type postgres from 'postgres';
import type { Sql } from './db';

type Fragment = postgres.PendingQuery<postgres.Row[]>;
import { transaction } from './db';
import type { Organisation } from './organisations';
import type { SessionUser } from './auth/sessions';
import { ApiRefusal } from './api';
import { audit } from './audit';
import { listZones } from './zones';
import { bigIntToCell, cellToBigInt } from '../domain/cells';
import { UserInputError } from '../domain/errors';
import {
	PAGE_SIZE,
	SIGNAL_STATUSES,
	UNRESOLVED_STATUSES,
	ageBucket,
	ageRange,
	allowedActions,
	cellsNearZones,
	nearZones,
	nextStatus,
	transitionRefusal,
	type InboxStatus,
	type SignalListQuery,
	type SignalTransition
} from '../domain/signals';
import type { SignalEventItem, SignalItem, SignalList } from '../api/signals';
import type { ReporterKind } from '../domain/import/mapping';

type Viewer = Pick<SessionUser, 'userId' | 'role'>;

// ---------------------------------------------------------------------------------------------
// Who sees what
// ---------------------------------------------------------------------------------------------

/** The cells (storage resolution, as bigint text) of a worker's zones valid today. */
async function zoneCells(sql: Sql, org: Organisation, userId: number, today: string): Promise<string[]> {
	const zones = await listZones(sql, org.orgId, { userId, activeOn: today });
	const out = new Set<string>();
	for (const z of zones) {
		// an area's cells as stored at its import (as "my zones" counts them), never its polygon's
		// cells computed here: a zone of a 1,000,000-vertex area would hold up every request
		const zone = z.area ? await areaCells(sql, org.orgId, z.area.layer, z.area.code) : (z.cells ?? []);
		for (const c of zone.flatMap((c) => (getResolution(c) >= org.storageRes ? [c] : cellToChildren(c, org.storageRes))))
			out.add(cellToBigInt(c).toString());
	}
	return [...out];
}

/** What decides, in SQL, that a signal is the user's: everything for a coordinator. */
export interface Scope {
	/** SQL boolean over `s` (the signal row): the signal is the user's own. */
	mine: Fragment;
	/** SQL boolean over `s`: the user may see it. */
	visible: Fragment;
}

export async function signalScope(sql: Sql, org: Organisation, user: Viewer, today: string): Promise<Scope> {
	if (user.role === 'coordinator') return { mine: sql`true`, visible: sql`true` };
	if (user.role !== 'worker')
		throw new ApiRefusal(403, { code: 'role_refused', message: 'analysts see signals as counts per area in the reports only' });
	const cells = await zoneCells(sql, org, user.userId, today);
	const mine = sql`coalesce(s.assigned_user_id = ${user.userId}
		or s.round_id in (select w.round_id from street_round_worker w where w.org_id = ${org.orgId} and w.user_id = ${user.userId})
		or s.cell = any(${cells}::bigint[]), false)`;
	return { mine, visible: sql`(s.status = 'open' or ${mine})` };
}

// ---------------------------------------------------------------------------------------------
// Districts
// ---------------------------------------------------------------------------------------------

interface District {
	code: string;
	name: string;
}

/**
 * The organisation's district layer (its own choice, settings/areas), which the inbox filters and
 * names signals by: the areas' stored cells (area_cell, at the planning resolution), so no request
 * reads an outline or computes its cells. A signal lies in the area its cell's planning-resolution
 * parent belongs to, the rule the reports use for contacts.
 */
async function districtNames(sql: Sql, org: Organisation): Promise<{ layer: string | null; list: District[] }> {
	const layer = await districtLayer(sql, org.orgId);
	if (layer === null) return { layer, list: [] };
	const rows = await sql`select code, name from area where org_id = ${org.orgId} and layer = ${layer} order by name`;
	return { layer, list: rows.map((r) => ({ code: r.code as string, name: r.name as string })) };
}

/** The districts a filter may choose from (code and name). */
export async function signalAreas(sql: Sql, org: Organisation): Promise<{ code: string; name: string }[]> {
	return (await districtNames(sql, org)).list;
}

/** The district of each of these signal cells (storage resolution), by their planning-resolution parent. */
async function districtsOf(sql: Sql, org: Organisation, cells: readonly bigint[]): Promise<Map<string, District>> {
	const layer = await districtLayer(sql, org.orgId);
	if (layer === null || !cells.length) return new Map();
	const rows = await sql`
		select distinct on (s.cell) s.cell::text as cell, a.code, a.name
		from unnest(${cells.map(String)}::bigint[]) as s(cell)
		join area_cell ac on ac.org_id = ${org.orgId} and ac.layer = ${layer} and ac.cell = h3_parent(s.cell, ${org.planningRes})
		join area a on a.org_id = ac.org_id and a.layer = ac.layer and a.code = ac.code
		order by s.cell, a.name`;
	return new Map(rows.map((r) => [r.cell as string, { code: r.code as string, name: r.name as string }]));
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

const RANK = (sql: Sql) => sql`(case s.status when 'open' then 0 when 'assigned' then 1 when 'visited' then 2 else 3 end)`;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

/**
 * The filters but the status, as SQL over `s` (wrapped: awaiting a fragment would run it).
 */
async function filterSql(sql: Sql, org: Organisation, q: SignalListQuery, now: Date): Promise<{ where: Fragment }> {
	const parts = [sql`s.org_id = ${org.orgId}`];
	if (q.area) {
		const { layer, list } = await districtNames(sql, org);
		if (!list.some((a) => a.code === q.area)) throw new UserInputError('invalid_param', 'area', `unknown district "${q.area}"`);
		parts.push(sql`exists (select 1 from area_cell ac
			where ac.org_id = ${org.orgId} and ac.layer = ${layer} and ac.code = ${q.area} and ac.cell = h3_parent(s.cell, ${org.planningRes}))`);
	}
	if (q.group) parts.push(sql`${q.group}::smallint = any(s.target_groups)`);
	if (q.source) parts.push(sql`s.source = ${q.source}`);
	if (q.q) parts.push(sql`s.description ilike ${likePattern(q.q)}`);
	if (q.round) parts.push(sql`s.round_id = ${q.round}`);
	if (q.age) {
		const r = ageRange(q.age, now);
		if (r.after) parts.push(sql`s.reported_at > ${r.after}`);
		if (r.notAfter) parts.push(sql`s.reported_at <= ${r.notAfter}`);
	}
	return { where: parts.reduce((a, b) => sql`${a} and ${b}`) };
}

function emptyCounts(): Record<InboxStatus, number> {
	return Object.fromEntries(SIGNAL_STATUSES.map((s) => [s, 0])) as Record<InboxStatus, number>;
}

const iso = (d: unknown) => (d ? (d as Date).toISOString() : null);

/** The inbox: one page of the signals the user may see, open and assigned first, newest first. */
export async function listInbox(sql: Sql, org: Organisation, user: Viewer, q: SignalListQuery, now: Date, today: string): Promise<SignalList> {
	const scope = await signalScope(sql, org, user, today);
	const own = q.mine ? sql`and ${scope.mine}` : sql``;
	const where = sql`${(await filterSql(sql, org, q, now)).where} and ${scope.visible} ${own}`;
	const status = q.status?.length ? sql`and s.status = any(${q.status}::text[])` : sql``;
	const page = q.page ?? 1;
	const [tally, rows] = await Promise.all([
		sql`select s.status, count(*)::int as n from signal s where ${where} group by s.status`,
		sql`
			select s.signal_id, s.reported_at, s.cell, s.reporter_kind, s.description, s.target_groups, s.status, s.source, s.is_demo,
				s.assigned_user_id, au.display_name as assigned_name, s.round_id, r.title as round_title, r.planned_on::text as round_day,
				s.contact_id, s.stop_seq, s.status_changed_at, cu.display_name as changed_by, ${scope.mine} as mine
			from signal s
			left join app_user au on au.org_id = s.org_id and au.user_id = s.assigned_user_id
			left join app_user cu on cu.org_id = s.org_id and cu.user_id = s.status_changed_by
			left join street_round r on r.org_id = s.org_id and r.round_id = s.round_id
			where ${where} ${status}
			order by ${RANK(sql)}, s.reported_at desc, s.signal_id desc
			limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`
	]);
	const counts = emptyCounts();
	for (const t of tally) counts[t.status as InboxStatus] = t.n as number;
	const counted: readonly InboxStatus[] = q.status?.length ? q.status : SIGNAL_STATUSES;
	const total = counted.reduce((a, st) => a + counts[st], 0);
	const items = await itemsOf(sql, org, user, rows, now);
	return { page, pageSize: PAGE_SIZE, total, counts, items };
}

async function itemsOf(sql: Sql, org: Organisation, user: Viewer, rows: Record<string, unknown>[], now: Date): Promise<SignalItem[]> {
	const ids = rows.map((r) => r.signal_id as number);
	const [areas, events] = await Promise.all([
		districtsOf(
			sql,
			org,
			rows.map((r) => r.cell as bigint)
		),
		ids.length ? signalHistory(sql, org.orgId, ids) : Promise.resolve(new Map<number, SignalEventItem[]>())
	]);
	return rows.map((r) => {
		const cell = bigIntToCell(r.cell as bigint);
		const status = r.status as InboxStatus;
		const mine = r.mine as boolean;
		return {
			id: r.signal_id as number,
			reportedAt: iso(r.reported_at)!,
			age: ageBucket(r.reported_at as Date, now),
			reporterKind: r.reporter_kind as ReporterKind,
			description: r.description as string,
			targetGroups: (r.target_groups as number[]).map(Number),
			status,
			cell,
			district: areas.get(String(r.cell)) ?? null,
			source: r.source as string,
			isDemo: r.is_demo as boolean,
			assignedTo: r.assigned_user_id ? { userId: r.assigned_user_id as number, name: r.assigned_name as string } : null,
			round: r.round_id ? { roundId: r.round_id as number, title: r.round_title as string, plannedOn: r.round_day as string } : null,
			contactId: (r.contact_id as number | null) ?? null,
			stopSeq: (r.stop_seq as number | null) ?? null,
			statusChangedAt: iso(r.status_changed_at),
			statusChangedBy: (r.changed_by as string | null) ?? null,
			mine,
			actions: allowedActions(user.role, { status, mine }),
			history: events.get(r.signal_id as number) ?? []
		};
	});
}

async function signalHistory(sql: Sql, orgId: number, ids: number[]): Promise<Map<number, SignalEventItem[]>> {
	const rows = await sql`
		select e.signal_id, e.at, u.display_name as by, e.from_status, e.to_status, e.note
		from signal_event e
		left join app_user u on u.org_id = e.org_id and u.user_id = e.user_id
		where e.org_id = ${orgId} and e.signal_id = any(${ids}::int[])
		order by e.at, e.event_id`;
	const out = new Map<number, SignalEventItem[]>();
	for (const r of rows) {
		const list = out.get(r.signal_id as number) ?? [];
		list.push({
			at: iso(r.at)!,
			by: (r.by as string | null) ?? null,
			from: r.from_status as InboxStatus,
			to: r.to_status as InboxStatus,
			note: (r.note as string | null) ?? null
		});
		out.set(r.signal_id as number, list);
	}
	return out;
}

/** One signal as the list shows it, or null when the user may not see it. */
export async function signalItem(sql: Sql, org: Organisation, user: Viewer, id: number, now: Date, today: string): Promise<SignalItem | null> {
	const scope = await signalScope(sql, org, user, today);
	const rows = await sql`
		select s.signal_id, s.reported_at, s.cell, s.reporter_kind, s.description, s.target_groups, s.status, s.source, s.is_demo,
			s.assigned_user_id, au.display_name as assigned_name, s.round_id, r.title as round_title, r.planned_on::text as round_day,
			s.contact_id, s.stop_seq, s.status_changed_at, cu.display_name as changed_by, ${scope.mine} as mine
		from signal s
		left join app_user au on au.org_id = s.org_id and au.user_id = s.assigned_user_id
		left join app_user cu on cu.org_id = s.org_id and cu.user_id = s.status_changed_by
		left join street_round r on r.org_id = s.org_id and r.round_id = s.round_id
		where s.org_id = ${org.orgId} and s.signal_id = ${id} and ${scope.visible}`;
	return (await itemsOf(sql, org, user, rows, now))[0] ?? null;
}

/** The map layer: unresolved signals the user may see (at most 10,000, newest first). */
export async function signalPointsFor(sql: Sql, org: Organisation, user: Viewer, today: string) {
	const scope = await signalScope(sql, org, user, today);
	const rows = await sql`
		select s.signal_id, to_hex(s.cell) as cell, s.status, s.round_id
		from signal s
		where s.org_id = ${org.orgId} and s.status = any(${[...UNRESOLVED_STATUSES]}::text[]) and ${scope.visible}
		order by s.reported_at desc
		limit 10000`;
	return rows.map((r) => ({
		id: r.signal_id as number,
		cell: r.cell as string,
		status: r.status as InboxStatus,
		roundId: (r.round_id as number | null) ?? null
	}));
}

// ---------------------------------------------------------------------------------------------
// One step
// ---------------------------------------------------------------------------------------------

const refusalStatus = { signalRoleRefused: 403, signalNotYours: 403, signalStepInvalid: 409 } as const;

/**
 * Takes one step on a signal: checks the role, that a worker's signal is theirs and that the step
 * may start from its status, then writes the row, its event and an audit entry (the id and the
 * statuses, never the text) in one transaction. Throws ApiRefusal (404, 403, 409) or
 * UserInputError (a worker or round or contact that is not the organisation's).
 */
export async function transitionSignal(
	sql: Sql,
	org: Organisation,
	user: Viewer,
	signalId: number,
	step: SignalTransition,
	today: string
): Promise<InboxStatus> {
	const scope = await signalScope(sql, org, user, today);
	return transaction(sql, async (tx) => {
		const [s] = await tx`
			select s.status, s.round_id, ${scope.mine} as mine, ${scope.visible} as visible
			from signal s where s.org_id = ${org.orgId} and s.signal_id = ${signalId} for update`;
		if (!s || !s.visible) throw new ApiRefusal(404, { code: 'unknownSignal', param: 'id', message: 'no such signal' });
		const from = s.status as InboxStatus;
		const refusal = transitionRefusal(user.role, step.action, { status: from, mine: s.mine as boolean });
		if (refusal) throw new ApiRefusal(refusalStatus[refusal.code], { code: refusal.code, param: 'action', message: refusal.message });
		const to = nextStatus(from, step.action)!;

		let set = tx`status = ${to}, status_changed_by = ${user.userId}, status_changed_at = now()`;
		if (step.action === 'assign') {
			if (step.userId) {
				const [w] =
					await tx`select 1 from app_user where org_id = ${org.orgId} and user_id = ${step.userId} and role in ('worker', 'coordinator') and active`;
				if (!w) throw new UserInputError('signalAssigneeUnknown', 'userId', 'no such worker in the organisation');
			}
			if (step.roundId) {
				const [r] = await tx`select 1 from street_round where org_id = ${org.orgId} and round_id = ${step.roundId}`;
				if (!r) throw new UserInputError('signalRoundUnknown', 'roundId', 'no such round in the organisation');
			}
			set = tx`${set}, assigned_user_id = ${step.userId ?? null}, round_id = ${step.roundId ?? null}`;
		}
		if (step.action === 'visit') {
			if (step.contactId) {
				const [c] = await tx`select 1 from contact_moment where org_id = ${org.orgId} and contact_id = ${step.contactId}`;
				if (!c) throw new UserInputError('signalContactUnknown', 'contactId', 'no such contact moment');
			}
			if (step.stopSeq) {
				const [st] = s.round_id
					? await tx`select 1 from street_round_stop where org_id = ${org.orgId} and round_id = ${s.round_id} and seq = ${step.stopSeq}`
					: [];
				if (!st) throw new UserInputError('signalStopUnknown', 'stopSeq', "no such stop on the signal's round");
			}
			set = tx`${set}, contact_id = ${step.contactId ?? null}, stop_seq = ${step.stopSeq ?? null}, visited_at = now()`;
		}
		if (to === 'handled') set = tx`${set}, handled_at = now()`;
		// reopened: it starts over (the history keeps the earlier assignment and visit)
		if (step.action === 'reopen')
			set = tx`${set}, handled_at = null, assigned_user_id = null, round_id = null, contact_id = null, stop_seq = null, visited_at = null`;

		await tx`update signal set ${set} where org_id = ${org.orgId} and signal_id = ${signalId}`;
		const note = step.note?.trim() || null;
		await tx`
			insert into signal_event (org_id, signal_id, user_id, from_status, to_status, note)
			values (${org.orgId}, ${signalId}, ${user.userId}, ${from}, ${to}, ${note})`;
		await audit(tx, { orgId: org.orgId, userId: user.userId, action: 'signal.status', detail: { signalId, from, status: to } });
		return to;
	});
}

// ---------------------------------------------------------------------------------------------
// On a round
// ---------------------------------------------------------------------------------------------

export interface RoundSignal {
	id: number;
	cell: string;
	status: InboxStatus;
	description: string;
	reportedAt: string;
	/** The user may mark it visited or handled. */
	actions: SignalItem['actions'];
}

/** The signals assigned to a round (unresolved first), as the route page, /today and the quick log show them. */
export async function roundSignals(
	sql: Sql,
	org: Organisation,
	user: Viewer,
	roundIds: number[],
	today: string
): Promise<Map<number, RoundSignal[]>> {
	const out = new Map<number, RoundSignal[]>();
	if (roundIds.length === 0 || user.role === 'analyst') return out;
	const scope = await signalScope(sql, org, user, today);
	const rows = await sql`
		select s.round_id, s.signal_id, to_hex(s.cell) as cell, s.status, s.description, s.reported_at, ${scope.mine} as mine
		from signal s
		where s.org_id = ${org.orgId} and s.round_id = any(${roundIds}::int[]) and ${scope.visible}
		order by ${RANK(sql)}, s.reported_at desc`;
	for (const r of rows) {
		const list = out.get(r.round_id as number) ?? [];
		const status = r.status as InboxStatus;
		list.push({
			id: r.signal_id as number,
			cell: r.cell as string,
			status,
			description: r.description as string,
			reportedAt: iso(r.reported_at)!,
			actions: allowedActions(user.role, { status, mine: r.mine as boolean })
		});
		out.set(r.round_id as number, list);
	}
	return out;
}

/**
 * Marks the signals a worker ticked in the quick log visited, linked to the contact just logged.
 * A signal that can no longer be visited (handled meanwhile, another round's, not theirs) is
 * skipped: the contact was queued on a phone and must arrive whatever happened since.
 */
export async function markVisitedByContact(
	sql: Sql,
	org: Organisation,
	user: Viewer,
	contactId: number,
	roundId: number | null,
	signalIds: number[],
	today: string
): Promise<number[]> {
	const done: number[] = [];
	if (roundId === null) return done;
	for (const id of signalIds) {
		const [s] = await sql`select round_id from signal where org_id = ${org.orgId} and signal_id = ${id}`;
		if (!s || s.round_id !== roundId) continue;
		try {
			await transitionSignal(sql, org, user, id, { action: 'visit', contactId }, today);
			done.push(id);
		} catch (e) {
			if (e instanceof ApiRefusal || e instanceof UserInputError) continue;
			throw e;
		}
	}
	return done;
}

/**
 * Unresolved signals the user may see that lie in or within 300 m of a round's zones (stops, at
 * planning resolution) and are not on the round yet: what the coordinator may add to it.
 */
export async function signalsNearRound(
	sql: Sql,
	org: Organisation,
	user: Viewer,
	roundId: number,
	zoneCells: string[],
	today: string
): Promise<RoundSignal[]> {
	if (zoneCells.length === 0 || user.role === 'analyst') return [];
	const scope = await signalScope(sql, org, user, today);
	const res = getResolution(zoneCells[0]!);
	const around = cellsNearZones(zoneCells).map((c) => cellToBigInt(c).toString());
	const rows = await sql`
		select s.signal_id, to_hex(s.cell) as cell, s.status, s.description, s.reported_at, ${scope.mine} as mine
		from signal s
		where s.org_id = ${org.orgId} and s.status = any(${[...UNRESOLVED_STATUSES]}::text[])
			and s.round_id is distinct from ${roundId}
			and h3_parent(s.cell, ${res}) = any(${around}::bigint[]) and ${scope.visible}
		order by ${RANK(sql)}, s.reported_at desc
		limit 200`;
	return rows
		.filter((r) => nearZones(r.cell as string, zoneCells))
		.map((r) => {
			const status = r.status as InboxStatus;
			return {
				id: r.signal_id as number,
				cell: r.cell as string,
				status,
				description: r.description as string,
				reportedAt: iso(r.reported_at)!,
				actions: allowedActions(user.role, { status, mine: r.mine as boolean })
			};
		});
}
