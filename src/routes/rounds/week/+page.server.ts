// The week (coordinators): the rounds planned per evening, the revisit goal's zones left unvisited
// by them and by the contacts logged, and "Voorstel voor de week" (proposed in the browser by
// domain/week's proposeWeek; each accepted round is saved here with the evening's checks).
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { listUsers } from '$lib/server/auth/users';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { EVENING_CONFLICTS, planningAreas, saveProposedRound } from '$lib/server/evening';
import { startPlaces } from '$lib/server/round-settings';
import { weekView } from '$lib/server/week';
import { addDays, parseDay } from '$lib/domain/calendar';
import { DEFAULT_DWELL_MINUTES } from '$lib/domain/round-route';
import { MAX_BUDGET, MIN_BUDGET } from '$lib/domain/rounds';

/** The Monday of the week holding `day`. */
function mondayOf(day: string): string {
	const weekday = (new Date(day + 'T00:00:00Z').getUTCDay() + 6) % 7;
	return addDays(day, -weekday);
}

export async function load({ locals, url }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const today = todayInBrussels();
	const monday = mondayOf(parseDay(url.searchParams.get('week') ?? '') ?? today);
	const [week, users, starts, { areas }] = await Promise.all([
		weekView(sql, org, monday),
		listUsers(sql, org.orgId),
		startPlaces(sql, org.orgId),
		planningAreas(sql, org.orgId)
	]);
	return {
		monday,
		today,
		previous: addDays(monday, -7),
		next: addDays(monday, 7),
		days: week.days.map((d) => ({
			date: d.date,
			rounds: d.rounds.map((r) => ({
				roundId: r.roundId,
				title: r.title,
				workers: r.workers,
				stops: r.stops.length,
				travelMode: r.travelMode,
				budgetMinutes: r.budgetMinutes
			}))
		})),
		settings: week.settings,
		window: week.window,
		goalCount: week.goal.length,
		visitedCount: week.visited.length,
		plannedCount: week.planned.length,
		unvisited: week.unvisited.map(({ cell, score, area }) => ({ cell, score, area })),
		areas: areas.map((a) => ({ code: a.code, name: a.name })),
		workers: users.filter((u) => u.active && (u.role === 'worker' || u.role === 'coordinator')).map((u) => ({ userId: u.userId, name: u.name })),
		starts,
		defaultDwell: DEFAULT_DWELL_MINUTES,
		minBudget: MIN_BUDGET,
		maxBudget: MAX_BUDGET
	};
}

export const actions = {
	accept: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		let input: unknown;
		try {
			input = JSON.parse(String((await request.formData()).get('round') ?? ''));
		} catch {
			return fail(400, { field: 'round', code: 'eveningInvalid', message: 'the round is not valid JSON' });
		}
		const { sql } = await db();
		try {
			const roundId = await saveProposedRound(sql, org, user.userId, input, todayInBrussels());
			return { accepted: true, roundId };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			return fail(EVENING_CONFLICTS.has(e.code) ? 409 : 400, fieldProblem(e));
		}
	}
};
