import { requireContext } from '$lib/server/context';
import { answer, apiRoute, parseQuery } from '$lib/server/api';
import { cachedAnswer } from '$lib/server/answer-cache';
import { badRequest } from '$lib/server/http';
import { areaFeatures } from '$lib/server/queries/areas';
import { areaLayerChoice } from '$lib/server/area-layers';
import { zoomBucket } from '$lib/domain/area-simplify';
import { areas } from '$lib/api/map';
import { API_ERROR_CODES } from '$lib/api/errors';
import type { AreaCollection } from '$lib/api/map';

export const GET = apiRoute(async (event) => {
	const ctx = await requireContext(event.locals);
	const orgId = ctx.org.orgId;
	const query = parseQuery(areas, event.url);
	// one answer per whole zoom step: the cache key and the simplification agree
	const zoom = zoomBucket(query.zoom);
	return cachedAnswer(event, ctx, {
		endpoint: areas.path,
		question: { layer: query.layer ?? null, zoom },
		compute: async (reader) => {
			const choice = await areaLayerChoice(reader, orgId);
			const layer = query.layer ?? choice.district;
			const known = choice.layers.map((l) => l.layer);
			if (layer === null) return answer(areas, { type: 'FeatureCollection', features: [] });
			if (!known.includes(layer)) return badRequest(API_ERROR_CODES.invalidParam, 'layer', `unknown layer "${layer}"; known: ${known.join(', ')}`);
			// the stored geometry is GeoJSON of polygons (area import)
			return answer(areas, (await areaFeatures(reader, orgId, layer, zoom)) as AreaCollection);
		}
	});
});
