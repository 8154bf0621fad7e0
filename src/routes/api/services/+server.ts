import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { currentOrganisation } from '$lib/server/context';
import { serviceFeatures } from '$lib/server/queries/services';

export async function GET() {
	const { sql } = await db();
	const org = await currentOrganisation();
	return json(await serviceFeatures(sql, org.orgId));
}
