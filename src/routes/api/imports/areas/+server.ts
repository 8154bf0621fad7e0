import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, parseQuery, reply } from '$lib/server/api';
import { badRequest } from '$lib/server/http';
import { bodyChunks, contentLength, forbiddenOrigin, importOptions, ndjsonProgress, sameOrigin } from '$lib/server/imports/http';
import { readJsonUpload } from '$lib/server/imports/services';
import { importAreas } from '$lib/server/imports/areas';
import { featuresOf, inspectFeatures } from '$lib/domain/import/geojson';
import { API_ERROR_CODES } from '$lib/api/errors';
import { areasImport, areasInspect } from '$lib/api/imports';

const fileError = (message: { en: string }) => badRequest(API_ERROR_CODES.invalidFile, 'file', message.en);

/**
 * An area layer: POST a GeoJSON FeatureCollection of Polygons/MultiPolygons as the body (read
 * whole, ≤ 64 MB). Query: mode=dry-run|commit|inspect, source, mapping (JSON: {layer, code,
 * name, parent?, population?, crs?}), skipInvalid, acceptOutside, filename. inspect answers JSON
 * (properties, geometry types, samples); the other modes NDJSON progress, then the result.
 */
export const POST = apiRoute(async ({ request, url, locals }) => {
	const who = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	if (url.searchParams.get('mode') === 'inspect') {
		const j = await readJsonUpload(bodyChunks(request));
		if (!j.ok) return fileError(j.issue.message);
		const fc = featuresOf(j.value);
		return fc.ok ? reply(areasInspect, inspectFeatures(fc.features)) : fileError(fc.issue.message);
	}
	const query = parseQuery(areasImport, url);
	const { sql } = await db();
	return ndjsonProgress((progress) =>
		importAreas(sql, bodyChunks(request), query.mapping, importOptions(query, who, contentLength(request), progress))
	);
});
