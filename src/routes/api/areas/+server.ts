import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, parseQuery, reply } from '$lib/server/api';
import { badRequest } from '$lib/server/http';
import { areaFeatures, areaLayers } from '$lib/server/queries/areas';
import { areas } from '$lib/api/map';
import { API_ERROR_CODES } from '$lib/api/errors';
import type { AreaCollection } from '$lib/api/map';

export const GET = apiRoute(async ({ url, locals }) => {
	const { sql } = await db();
	const { org } = await requireContext(locals);
	const { layer } = parseQuery(areas, url);
	const layers = await areaLayers(sql, org.orgId);
	if (!layers.includes(layer)) return badRequest(API_ERROR_CODES.invalidParam, 'layer', `unknown layer "${layer}"; known: ${layers.join(', ')}`);
	// the stored geometry is GeoJSON of polygons (area import)
	return reply(areas, (await areaFeatures(sql, org.orgId, layer)) as AreaCollection);
});
