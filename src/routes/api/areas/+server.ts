import { requireContext } from '$lib/server/context';
import { answer, apiRoute, parseQuery } from '$lib/server/api';
import { cachedAnswer } from '$lib/server/answer-cache';
import { badRequest } from '$lib/server/http';
import { areaFeatures, areaLayers } from '$lib/server/queries/areas';
import { areas } from '$lib/api/map';
import { API_ERROR_CODES } from '$lib/api/errors';
import type { AreaCollection } from '$lib/api/map';

export const GET = apiRoute(async (event) => {
	const ctx = await requireContext(event.locals);
	const orgId = ctx.org.orgId;
	const { layer } = parseQuery(areas, event.url);
	return cachedAnswer(event, ctx, {
		endpoint: areas.path,
		question: { layer },
		compute: async (reader) => {
			const layers = await areaLayers(reader, orgId);
			if (!layers.includes(layer)) return badRequest(API_ERROR_CODES.invalidParam, 'layer', `unknown layer "${layer}"; known: ${layers.join(', ')}`);
			// the stored geometry is GeoJSON of polygons (area import)
			return answer(areas, (await areaFeatures(reader, orgId, layer)) as AreaCollection);
		}
	});
});
