import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, reply } from '$lib/server/api';
import { serviceFeatures } from '$lib/server/queries/services';
import { services } from '$lib/api/map';

export const GET = apiRoute(async ({ locals }) => {
	const { sql } = await db();
	const { org } = await requireContext(locals);
	return reply(services, await serviceFeatures(sql, org.orgId));
});
