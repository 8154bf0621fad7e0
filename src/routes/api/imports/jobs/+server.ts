import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { recentJobs } from '$lib/server/imports/jobs';

export async function GET({ locals }) {
	const { org } = await requireContext(locals);
	const { sql } = await db();
	return json({ jobs: await recentJobs(sql, org.orgId) });
}
