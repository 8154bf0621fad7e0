import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { bodyChunks, contentLength, forbiddenOrigin, ndjsonProgress, sameOrigin } from '$lib/server/imports/http';
import { readImportQuery } from '$lib/server/imports/services';
import { importSignals } from '$lib/server/imports/signals';
import { signalMappingSchema } from '$lib/domain/import/signals';

/**
 * Signals: POST a CSV as the body (streamed; preview it with /api/imports/preview). Query:
 * mode=dry-run|commit, source, mapping (JSON: {reportedAt, time?, lat/lng and/or x/y, crs?,
 * reporterKind? | defaultReporterKind, description, targetGroups?, status?, handledAt?,
 * externalId?}), skipInvalid, fixSwapped, acceptOutside, filename. Answers NDJSON.
 */
export async function POST({ request, url, locals }) {
	const { org, user } = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const parsed = readImportQuery(url.searchParams, signalMappingSchema);
	if (!parsed.ok) return badRequest(parsed.param, parsed.message);
	const query = parsed.query;
	const { sql } = await db();
	return ndjsonProgress((progress) =>
		importSignals(sql, bodyChunks(request), query.mapping, {
			orgId: org.orgId,
			userId: user.userId,
			source: query.source,
			filename: query.filename,
			mode: query.mode,
			skipInvalid: query.skipInvalid,
			fixSwapped: query.fixSwapped,
			acceptOutside: query.acceptOutside,
			totalBytes: contentLength(request),
			onProgress: progress
		})
	);
}
