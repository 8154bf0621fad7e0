// Street rounds (coordinators only): plan a round for a duo of workers on a date, within a time
// budget, and remove one. createRound/deleteRound check the rules and write the audit entries
// (round.plan / round.remove); deleting a round keeps the contacts logged on it.
import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { listUsers } from '$lib/server/auth/users';
import { fieldProblem, UserInputError } from '$lib/domain/errors';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { listTeams } from '$lib/server/queries/teams';
import { createRound, deleteRound, listRounds } from '$lib/server/rounds';
import { addDays } from '$lib/domain/calendar';
import { MAX_BUDGET, MAX_WORKERS, MIN_BUDGET, MIN_WORKERS, DB_ID } from '$lib/domain/rounds';

/** The page shows the rounds of the last RECENT_DAYS days and the coming UPCOMING_DAYS days. */
const RECENT_DAYS = 14;
const UPCOMING_DAYS = 30;
const DEFAULT_BUDGET = 120;

const text = (f: FormData, name: string) => String(f.get(name) ?? '').trim();

interface Values {
	plannedOn: string;
	title: string;
	teamId: string;
	budgetMinutes: string;
	startTime: string;
	workerIds: string[];
}

export async function load({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	const today = todayInBrussels();
	const [rounds, users, teams] = await Promise.all([
		listRounds(sql, org.orgId, { from: addDays(today, -RECENT_DAYS), to: addDays(today, UPCOMING_DAYS) }),
		listUsers(sql, org.orgId),
		listTeams(sql, org.orgId)
	]);
	const teamName = new Map(teams.map((t) => [t.id, t.name]));
	const withTeam = rounds.map((r) => ({ ...r, teamName: r.teamId === null ? null : (teamName.get(r.teamId) ?? null) }));
	return {
		// Coming rounds first, soonest on top (today's included); then the past ones, latest on top.
		upcoming: withTeam.filter((r) => r.plannedOn >= today).reverse(),
		recent: withTeam.filter((r) => r.plannedOn < today),
		// Workers walk the rounds; a coordinator may go along.
		workers: users
			.filter((u) => u.active && (u.role === 'worker' || u.role === 'coordinator'))
			.map((u) => ({ userId: u.userId, name: u.name, role: u.role })),
		teams,
		today,
		recentDays: RECENT_DAYS,
		upcomingDays: UPCOMING_DAYS,
		defaultBudget: DEFAULT_BUDGET,
		minWorkers: MIN_WORKERS,
		maxWorkers: MAX_WORKERS
	};
}

export const actions = {
	create: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const values: Values = {
			plannedOn: text(f, 'plannedOn'),
			title: text(f, 'title'),
			teamId: text(f, 'teamId'),
			budgetMinutes: text(f, 'budgetMinutes'),
			startTime: text(f, 'startTime'),
			workerIds: f
				.getAll('workerIds')
				.map((v) => String(v).trim())
				.filter(Boolean)
		};
		const fail400 = (field: string, code: string, message: string, params?: Record<string, string | number>) =>
			fail(400, { action: 'create' as const, field, code, message, params, values });
		if (!values.plannedOn) return fail400('plannedOn', 'roundDateRequired', 'choose a date');
		if (!values.budgetMinutes) return fail400('budgetMinutes', 'roundBudgetRange', 'give a time budget', { min: MIN_BUDGET, max: MAX_BUDGET });
		// Ids come from the checkboxes; anything else is not a user of this organisation.
		if (!values.workerIds.every((id) => DB_ID.test(id))) return fail400('workerIds', 'roundWorkersInvalid', 'unknown worker');

		const input = {
			plannedOn: values.plannedOn,
			title: values.title,
			teamId: values.teamId ? Number(values.teamId) : null,
			// "90,0" or "1.5" are not whole minutes: Number() gives NaN or a fraction, which the rules refuse.
			budgetMinutes: Number(values.budgetMinutes),
			// the time field sends HH:MM (or HH:MM:SS with seconds shown); empty: no time
			startTime: values.startTime ? values.startTime.slice(0, 5) : null,
			workerIds: values.workerIds.map(Number)
		};
		const { sql } = await db();
		try {
			const roundId = await createRound(sql, org.orgId, user.userId, input);
			return { action: 'create' as const, roundId, title: values.title, plannedOn: values.plannedOn };
		} catch (e) {
			if (!(e instanceof UserInputError)) throw e;
			const p = fieldProblem(e);
			return fail400(p.field, p.code, p.message, p.params);
		}
	},

	delete: async ({ request, locals }) => {
		const { user, org } = await requireContext(locals);
		const f = await request.formData();
		const id = text(f, 'roundId');
		const unknown = (status: number) => fail(status, { action: 'delete' as const, field: 'round', code: 'roundUnknown', message: 'no such round' });
		if (!DB_ID.test(id)) return unknown(400);
		const roundId = Number(id);
		const { sql } = await db();
		if (!(await deleteRound(sql, org.orgId, user.userId, roundId))) return unknown(404);
		return { action: 'delete' as const, roundId };
	}
};
