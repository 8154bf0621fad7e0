// GET /api/signals: the signal inbox as the /signals page reads it, for other tools too. Filters
// (status, area, group, source, q, age, round), open and assigned first, 25 a page, counts per
// status. Workers get their zones' and rounds' signals and the organisation's open ones.
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, parseQuery, reply } from '$lib/server/api';
import { todayInBrussels } from '$lib/server/clock';
import { listInbox } from '$lib/server/signals';
import { signals } from '$lib/api/signals';

export const GET = apiRoute(async ({ url, locals }) => {
	const { user, org } = await requireContext(locals);
	const q = parseQuery(signals, url);
	const { sql } = await db();
	const now = new Date();
	return reply(signals, await listInbox(sql, org, user, q, now, todayInBrussels(now)));
});
