import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { bodyChunks, contentLength, forbiddenOrigin, importOptions, ndjsonProgress, readImportQuery, sameOrigin } from '$lib/server/imports/http';
import { readJsonUpload } from '$lib/server/imports/services';
import { importAreas } from '$lib/server/imports/areas';
import { featuresOf, inspectFeatures } from '$lib/domain/import/geojson';
import { areaMappingSchema } from '$lib/domain/import/mapping';

/**
 * An area layer: POST a GeoJSON FeatureCollection of Polygons/MultiPolygons as the body (read
 * whole, ≤ 64 MB). Query: mode=dry-run|commit|inspect, source, mapping (JSON: {layer, code,
 * name, parent?, population?, crs?}), skipInvalid, acceptOutside, filename. inspect answers JSON
 * (properties, geometry types, samples); the other modes NDJSON progress, then the result.
 */
export async function POST({ request, url, locals }) {
	const who = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const q = url.searchParams;
	if (q.get('mode') === 'inspect') {
		const j = await readJsonUpload(bodyChunks(request));
		if (!j.ok) return badRequest('file', j.issue.message.en);
		const fc = featuresOf(j.value);
		return fc.ok ? json(inspectFeatures(fc.features)) : badRequest('file', fc.issue.message.en);
	}
	const parsed = readImportQuery(q, areaMappingSchema);
	if (!parsed.ok) return badRequest(parsed.param, parsed.message);
	const { query } = parsed;
	const { sql } = await db();
	return ndjsonProgress((progress) =>
		importAreas(sql, bodyChunks(request), query.mapping, importOptions(query, who, contentLength(request), progress))
	);
}
