// An evening of several duos (coordinators): 2–5 rounds of one date planned together, each duo
// with its workers, start, budget and travel mode; the planner's disjoint zones, moved by hand,
// saved in one transaction (saveEvening). A stale page posting a past evening or a round over its
// budget gets 409, as on the round page; a worker in two duos is refused by name (400). A saved
// round of the evening can be removed (removeEveningRound): 409 for a past evening or a round
// with contacts linked to it.
import { error, fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { listUsers } from '$lib/server/auth/users';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { todayInBrussels } from '$lib/server/clock';
import { areaAttribution, readConfig } from '$lib/server/config';
import { requireContext } from '$lib/server/context';
import { listTeams } from '$lib/server/queries/teams';
import { EVENING_CONFLICTS, REMOVE_CONFLICTS, eveningRounds, planningZonesWithArea, removeEveningRound, saveEvening } from '$lib/server/evening';
import { getRoundSettings, startPlaces } from '$lib/server/round-settings';
import { parseDay } from '$lib/domain/calendar';
import { DEFAULT_DWELL_MINUTES } from '$lib/domain/round-route';
import { DB_ID, MAX_BUDGET, MAX_WORKERS, MIN_BUDGET, MIN_WORKERS, roundIsOver } from '$lib/domain/rounds';
import { MAX_EVENING_ROUNDS, MIN_EVENING_ROUNDS } from '$lib/domain/evening';

export async function load({ locals, params }) {
	const date = parseDay(params.date);
	if (!date) error(404, 'no such evening');
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const today = todayInBrussels();
	const [rounds, users, teams, starts, { zones, areas }, settings] = await Promise.all([
		eveningRounds(sql, org.orgId, date),
		listUsers(sql, org.orgId),
		listTeams(sql, org.orgId),
		startPlaces(sql, org.orgId),
		planningZonesWithArea(sql, org),
		getRoundSettings(sql, org.orgId)
	]);
	return {
		date,
		today,
		past: roundIsOver(date, today),
		rounds,
		workers: users.filter((u) => u.active && (u.role === 'worker' || u.role === 'coordinator')).map((u) => ({ userId: u.userId, name: u.name })),
		teams,
		starts,
		zones,
		areas,
		settings,
		planningRes: org.planningRes,
		map: { bbox: org.bbox, basemapStyle: readConfig().basemapStyle, attribution: areaAttribution(org) },
		defaultDwell: DEFAULT_DWELL_MINUTES,
		limits: {
			minBudget: MIN_BUDGET,
			maxBudget: MAX_BUDGET,
			minWorkers: MIN_WORKERS,
			maxWorkers: MAX_WORKERS,
			minRounds: MIN_EVENING_ROUNDS,
			maxRounds: MAX_EVENING_ROUNDS
		}
	};
}

export const actions = {
	save: async ({ request, locals, params }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		let input: unknown;
		try {
			input = JSON.parse(String(f.get('evening') ?? ''));
		} catch {
			return fail(400, { field: 'evening', code: 'eveningInvalid', message: 'the evening is not valid JSON' });
		}
		if ((input as { plannedOn?: unknown } | null)?.plannedOn !== params.date)
			return fail(400, { field: 'plannedOn', code: 'eveningInvalid', message: 'the evening is for another date' });
		const { sql } = await db();
		try {
			const roundIds = await saveEvening(sql, org, user.userId, input, todayInBrussels());
			return { saved: true, roundIds };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(EVENING_CONFLICTS.has(e.code) ? 409 : 400, fieldProblem(e));
		}
	},

	// a saved round taken off the evening: gone with its workers and route, audited
	remove: async ({ request, locals, params }) => {
		const { user, org } = await requireContext(locals);
		if (user.role !== 'coordinator') error(403, 'only coordinators plan evenings');
		const date = parseDay(params.date);
		if (!date) error(404, 'no such evening');
		const id = String((await request.formData()).get('roundId') ?? '').trim();
		if (!DB_ID.test(id)) return fail(400, { field: 'roundId', code: 'roundUnknown', message: 'no such round' });
		const { sql } = await db();
		try {
			await removeEveningRound(sql, org, user.userId, date, Number(id), todayInBrussels());
			return { removed: Number(id) };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(REMOVE_CONFLICTS.has(e.code) ? 409 : e.code === 'roundUnknown' ? 404 : 400, fieldProblem(e));
		}
	}
};
