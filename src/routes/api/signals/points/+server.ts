// GET /api/signals/points: the unresolved signals the user may see, as cells for the map layer.
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, reply } from '$lib/server/api';
import { todayInBrussels } from '$lib/server/clock';
import { signalPointsFor } from '$lib/server/signals';
import { signalPoints } from '$lib/api/signals';

export const GET = apiRoute(async ({ locals }) => {
	const { user, org } = await requireContext(locals);
	const { sql } = await db();
	return reply(signalPoints, { points: await signalPointsFor(sql, org, user, todayInBrussels()) });
});
