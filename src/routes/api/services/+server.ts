import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { serviceFeatures } from '$lib/server/queries/services';

export async function GET({ locals }) {
	const { sql } = await db();
	const { org } = await requireContext(locals);
	return json(await serviceFeatures(sql, org.orgId));
}
