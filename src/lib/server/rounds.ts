// Street rounds: coordinators plan them (date, title, budget, a duo of workers); workers see the
// rounds they walk and link the contacts they log to one. Every write is scoped to the org.
import type { Sql } from './db';
import { audit } from './audit';
import { UserInputError, type ErrorValues } from '../domain/errors';
import { MAX_BUDGET, MAX_TITLE, MAX_WORKERS, MIN_BUDGET, MIN_WORKERS, roundDays, roundSchema, type RoundSummary } from '../domain/rounds';

export interface Round extends RoundSummary {
	/** Contacts logged on the round. */
	contacts: number;
	/** Zones in its saved route (0: no route yet). */
	stops: number;
}

/** The rule a round broke, with the values its translation names (limits, the duo's size). */
function roundRefusal(issue: { code: string; path: PropertyKey[]; message: string }, input: unknown): UserInputError {
	const field = String(issue.path[0] ?? 'round');
	const refuse = (code: string, values?: ErrorValues) => new UserInputError(code, field, issue.message, values);
	switch (field) {
		case 'plannedOn':
			return refuse('roundDateInvalid');
		case 'title':
			return refuse(issue.code === 'too_big' ? 'roundTitleTooLong' : 'roundTitleRequired', { max: MAX_TITLE });
		case 'teamId':
			return refuse('roundTeamInvalid');
		case 'budgetMinutes':
			return refuse('roundBudgetRange', { min: MIN_BUDGET, max: MAX_BUDGET });
		case 'startTime':
			return refuse('roundStartTimeInvalid');
		case 'workerIds': {
			const ids = (input as { workerIds?: unknown } | null)?.workerIds;
			const n = Array.isArray(ids) ? new Set(ids).size : 0;
			if (n < MIN_WORKERS || n > MAX_WORKERS) return refuse('roundWorkersCount', { min: MIN_WORKERS, max: MAX_WORKERS, n });
			return refuse('roundWorkersInvalid');
		}
		default:
			return refuse('roundInvalid');
	}
}

export async function createRound(sql: Sql, orgId: number, by: number, input: unknown): Promise<number> {
	const parsed = roundSchema.safeParse(input);
	if (!parsed.success) throw roundRefusal(parsed.error.issues[0]!, input);
	const r = parsed.data;
	const workers = await sql`
		select user_id from app_user
		where org_id = ${orgId} and active and role in ('worker', 'coordinator') and user_id in ${sql(r.workerIds)}`;
	if (workers.length !== r.workerIds.length)
		throw new UserInputError('roundWorkersInvalid', 'workerIds', 'every worker must be an active worker of this organisation');
	if (r.teamId !== null) {
		const [team] = await sql`select 1 from team where org_id = ${orgId} and team_id = ${r.teamId}`;
		if (!team) throw new UserInputError('roundTeamInvalid', 'teamId', `no team ${r.teamId}`);
	}
	return sql.begin(async (tx) => {
		const [row] = await tx`
			insert into street_round (org_id, planned_on, title, team_id, budget_minutes, start_time, created_by)
			values (${orgId}, ${r.plannedOn}, ${r.title}, ${r.teamId}, ${r.budgetMinutes}, ${r.startTime}::time, ${by})
			returning round_id`;
		const roundId = row!.round_id as number;
		await tx`
			insert into street_round_worker (org_id, round_id, user_id)
			select ${orgId}, ${roundId}, unnest(${r.workerIds}::int[])`;
		await audit(tx as unknown as Sql, { orgId, userId: by, action: 'round.plan', detail: { roundId, workerIds: r.workerIds } });
		return roundId;
	});
}

export async function deleteRound(sql: Sql, orgId: number, by: number, roundId: number): Promise<boolean> {
	const rows = await sql`delete from street_round where org_id = ${orgId} and round_id = ${roundId} returning 1`;
	if (rows.length) await audit(sql, { orgId, userId: by, action: 'round.remove', detail: { roundId } });
	return rows.length === 1;
}

/** The columns of a round `r` that make its summary (read back with roundSummary). */
export function roundColumns(sql: Sql) {
	return sql`r.round_id, to_char(r.planned_on, 'YYYY-MM-DD') as planned_on, r.title, r.team_id, r.budget_minutes,
		to_char(r.start_time, 'HH24:MI') as start_time,
		(select coalesce(json_agg(json_build_object('userId', u.user_id, 'name', u.display_name) order by u.display_name), '[]')
			from street_round_worker w join app_user u on u.org_id = w.org_id and u.user_id = w.user_id
			where w.org_id = r.org_id and w.round_id = r.round_id) as workers`;
}

export function roundSummary(r: Record<string, unknown>): RoundSummary {
	return {
		roundId: r.round_id as number,
		plannedOn: r.planned_on as string,
		title: r.title as string,
		teamId: (r.team_id as number | null) ?? null,
		budgetMinutes: r.budget_minutes as number,
		startTime: (r.start_time as string | null) ?? null,
		workers: (typeof r.workers === 'string' ? JSON.parse(r.workers) : r.workers) as RoundSummary['workers']
	};
}

/**
 * Rounds planned between two days (inclusive), newest first; with `userId`, only those that user
 * walks. Each with its workers and the number of contacts linked to it.
 */
export async function listRounds(sql: Sql, orgId: number, opts: { from: string; to: string; userId?: number }): Promise<Round[]> {
	const rows = await sql`
		select ${roundColumns(sql)},
			(select count(*) from contact_moment c where c.org_id = r.org_id and c.round_id = r.round_id)::int as contacts,
			(select count(*) from street_round_stop s where s.org_id = r.org_id and s.round_id = r.round_id)::int as stops
		from street_round r
		where r.org_id = ${orgId} and r.planned_on between ${opts.from} and ${opts.to}
			and (${opts.userId ?? null}::int is null or exists (
				select 1 from street_round_worker w where w.org_id = r.org_id and w.round_id = r.round_id and w.user_id = ${opts.userId ?? null}))
		order by r.planned_on desc, r.round_id desc`;
	return rows.map((r) => ({ ...roundSummary(r), contacts: r.contacts as number, stops: r.stops as number }));
}

/**
 * The rounds a contact logged today may link to: those of the day before, today and tomorrow
 * (see roundDays); a worker's own only, a coordinator's organisation-wide.
 */
export async function roundsToLink(sql: Sql, orgId: number, user: { userId: number; role: string }, today: string): Promise<Round[]> {
	const days = roundDays(today);
	return listRounds(sql, orgId, { from: days[0], to: days[2], userId: user.role === 'worker' ? user.userId : undefined });
}

/** Why a contact on `day` may not be linked to this round for this user, or null when it may. */
export async function roundLinkRefusal(
	sql: Sql,
	orgId: number,
	user: { userId: number; role: string },
	roundId: number,
	day: string
): Promise<string | null> {
	const [round] = await sql`
		select to_char(planned_on, 'YYYY-MM-DD') as planned_on,
			exists (select 1 from street_round_worker w where w.org_id = r.org_id and w.round_id = r.round_id and w.user_id = ${user.userId}) as walks
		from street_round r where r.org_id = ${orgId} and r.round_id = ${roundId}`;
	if (!round) return `unknown round ${roundId}`;
	if (user.role === 'worker' && !round.walks) return `you are not on round ${roundId}`;
	if (!roundDays(round.planned_on as string).includes(day)) return `round ${roundId} is planned on ${round.planned_on}, not around ${day}`;
	return null;
}
