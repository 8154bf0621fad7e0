// The import page renders in the browser (ssr = false); the server only gives the area layers
// the organisation has (suggested for an indicators file).
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { areaLayers } from '$lib/server/queries/areas';

export async function load({ locals, depends }) {
	depends('app:area-layers');
	const { org } = await requireContext(locals);
	const { sql } = await db();
	return { layers: await areaLayers(sql, org.orgId) };
}
