import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, reply } from '$lib/server/api';
import { mapMeta } from '$lib/server/map-meta';
import { meta } from '$lib/api/map';

export const GET = apiRoute(async ({ locals }) => {
	const { sql } = await db();
	return reply(meta, await mapMeta(sql, await requireContext(locals)));
});
