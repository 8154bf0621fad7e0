// GET /api/rounds: the street rounds a contact logged today may be linked to (quick log): a
// worker's own rounds of yesterday, today and tomorrow; for a coordinator, the organisation's.
import { db } from '$lib/server/app-db';
import { todayInBrussels } from '$lib/server/clock';
import { requireContext } from '$lib/server/context';
import { apiRoute, reply } from '$lib/server/api';
import { roundsToLink } from '$lib/server/rounds';
import { rounds as roundsEndpoint } from '$lib/api/field';

export const GET = apiRoute(async ({ locals }) => {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	const today = todayInBrussels();
	const rounds = await roundsToLink(sql, org.orgId, user, today);
	return reply(roundsEndpoint, {
		today,
		rounds: rounds.map(({ roundId, plannedOn, title, workers, contacts }) => ({
			roundId,
			plannedOn,
			title,
			workers: workers.map((w) => w.name),
			contacts,
			mine: workers.some((w) => w.userId === user.userId)
		}))
	});
});
