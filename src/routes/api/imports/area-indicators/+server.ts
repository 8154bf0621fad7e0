import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { bodyChunks, contentLength, forbiddenOrigin, ndjsonProgress, sameOrigin } from '$lib/server/imports/http';
import { readImportQuery } from '$lib/server/imports/services';
import { importAreaIndicators } from '$lib/server/imports/areas';
import { areaIndicatorMappingSchema } from '$lib/domain/import/areas';

/**
 * Indicators per area: POST a CSV keyed by area code as the body (streamed; preview it with
 * /api/imports/preview). Query: mode=dry-run|commit, source, mapping (JSON: {layer, code,
 * population?, indicators?: [columns] | "*"}), skipInvalid, filename. Answers NDJSON.
 */
export async function POST({ request, url, locals }) {
	const { org, user } = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const parsed = readImportQuery(url.searchParams, areaIndicatorMappingSchema);
	if (!parsed.ok) return badRequest(parsed.param, parsed.message);
	const query = parsed.query;
	const { sql } = await db();
	return ndjsonProgress((progress) =>
		importAreaIndicators(sql, bodyChunks(request), query.mapping, {
			orgId: org.orgId,
			userId: user.userId,
			source: query.source,
			filename: query.filename,
			mode: query.mode,
			skipInvalid: query.skipInvalid,
			totalBytes: contentLength(request),
			onProgress: progress
		})
	);
}
