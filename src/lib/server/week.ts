// The week on the server: the rounds planned per evening, and the revisit goal's zones that stay
// unvisited by those rounds and by the contacts already logged (domain/week), for /rounds/week.
import type { Sql } from './db';
import type { Organisation } from './organisations';
import { eveningRounds, planningZonesWithArea, type AreaCandidate, type EveningRound } from './evening';
import { getRoundSettings } from './round-settings';
import { addDays } from '../domain/calendar';
import { coverageWindow, goalZones, unvisitedGoalZones } from '../domain/week';
import type { RoundSettings } from '../domain/travel';

export interface WeekView {
	days: { date: string; rounds: EveningRound[] }[];
	settings: RoundSettings;
	window: { from: string; to: string };
	goal: AreaCandidate[];
	/** Goal zones with a contact logged in the window. */
	visited: string[];
	/** Goal zones on a round planned in the window. */
	planned: string[];
	unvisited: AreaCandidate[];
}

/** Zones (at the planning resolution) with a contact logged between two days (Brussels), inclusive. */
export async function visitedZones(sql: Sql, org: Organisation, from: string, to: string): Promise<Set<string>> {
	const rows = await sql`
		select distinct to_hex(h3_parent(cell, ${org.planningRes})) as cell from contact_moment
		where org_id = ${org.orgId}
			and occurred_at >= ${from}::date::timestamp at time zone 'Europe/Brussels'
			and occurred_at < (${to}::date + 1)::timestamp at time zone 'Europe/Brussels'`;
	return new Set(rows.map((r) => r.cell as string));
}

/** Zones on a round planned between two days, inclusive. */
export async function plannedZones(sql: Sql, orgId: number, from: string, to: string): Promise<Set<string>> {
	const rows = await sql`
		select distinct to_hex(s.cell) as cell from street_round_stop s
		join street_round r on r.org_id = s.org_id and r.round_id = s.round_id
		where s.org_id = ${orgId} and r.planned_on between ${from} and ${to}`;
	return new Set(rows.map((r) => r.cell as string));
}

/** The week from `monday` (seven days): its rounds per day and the goal's coverage. */
export async function weekView(sql: Sql, org: Organisation, monday: string): Promise<WeekView> {
	const sunday = addDays(monday, 6);
	const settings = await getRoundSettings(sql, org.orgId);
	const goalRule = { minScore: settings.revisitMinScore, days: settings.revisitDays };
	const window = coverageWindow(sunday, goalRule);
	const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
	const [days, { zones }, visitedAll, plannedAll] = await Promise.all([
		Promise.all(dates.map(async (date) => ({ date, rounds: await eveningRounds(sql, org.orgId, date) }))),
		planningZonesWithArea(sql, org),
		visitedZones(sql, org, window.from, window.to),
		plannedZones(sql, org.orgId, window.from, window.to)
	]);
	const goal = goalZones(zones, goalRule);
	const goalCells = new Set(goal.map((z) => z.cell));
	const visited = [...visitedAll].filter((c) => goalCells.has(c));
	const planned = [...plannedAll].filter((c) => goalCells.has(c));
	return { days, settings, window, goal, visited, planned, unvisited: unvisitedGoalZones(goal, visited, planned) };
}
