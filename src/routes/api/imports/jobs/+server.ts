import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, reply } from '$lib/server/api';
import { recentJobs } from '$lib/server/imports/jobs';
import { jobs, type Job } from '$lib/api/imports';

export const GET = apiRoute(async ({ locals }) => {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	// the rows as they are; their timestamps reach the browser as ISO text
	return reply(jobs, { jobs: (await recentJobs(sql, org.orgId)) as unknown as Job[] });
});
