import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { areaFeatures, areaLayers } from '$lib/server/queries/areas';

export async function GET({ url, locals }) {
	const { sql } = await db();
	const { org } = await requireContext(locals);
	const layer = url.searchParams.get('layer') ?? 'district';
	const layers = await areaLayers(sql, org.orgId);
	if (!layers.includes(layer)) return badRequest('layer', `unknown layer "${layer}"; known: ${layers.join(', ')}`);
	return json(await areaFeatures(sql, org.orgId, layer));
}
