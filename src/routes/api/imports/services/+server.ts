import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, parseWith, reply } from '$lib/server/api';
import { badRequest } from '$lib/server/http';
import { bodyChunks, contentLength, forbiddenOrigin, importOptions, ndjsonProgress, openRequestUpload, sameOrigin } from '$lib/server/imports/http';
import type { ImportQuery } from '$lib/api/imports';
import { importServices, packageFiles, readJsonUpload, type ServiceInput } from '$lib/server/imports/services';
import { featuresOf, inspectFeatures } from '$lib/domain/import/geojson';
import { inspectHsds } from '$lib/domain/import/hsds';
import { API_ERROR_CODES } from '$lib/api/errors';
import { serviceFormat, serviceImportQueries, servicesInspect } from '$lib/api/imports';

const fileError = (message: { en: string }) => badRequest(API_ERROR_CODES.invalidFile, 'file', message.en);
const PACKAGE_SHAPE = 'expected {"files": {"<name>.csv": "<text>", …}}';

/**
 * Service locations. Query: format=csv|geojson|hsds, mode=dry-run|commit|inspect, source,
 * mapping (JSON), skipInvalid, fixSwapped, acceptOutside, filename.
 * - csv, geojson: the file is the request body (a CSV is streamed; GeoJSON is read whole, ≤ 64 MB).
 *   csv also takes an Excel workbook (read whole, ≤ 50 MB; query sheet=N picks the worksheet).
 * - hsds: the body is JSON {"files": {"organizations.csv": "<text>", "services.csv": …}}
 *   (each file read as UTF-8 text by the page; ≤ 64 MB in all).
 * mode=inspect (geojson, hsds) answers JSON at once: the properties and geometry types of the
 * features, or the package's tables and the taxonomy terms to map. The other modes answer
 * NDJSON: progress lines, then the result (counts, first issues, rejected rows, unmapped
 * categories).
 */
export const POST = apiRoute(async ({ request, url, locals }) => {
	const who = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const q = url.searchParams;
	const params = Object.fromEntries(q);
	const { format } = parseWith(serviceFormat, params);

	if (q.get('mode') === 'inspect') {
		if (format === 'csv') return badRequest(API_ERROR_CODES.invalidParam, 'mode', 'inspect a CSV with /api/imports/preview');
		const j = await readJsonUpload(bodyChunks(request));
		if (!j.ok) return fileError(j.issue.message);
		if (format === 'geojson') {
			const fc = featuresOf(j.value);
			return fc.ok ? reply(servicesInspect, inspectFeatures(fc.features)) : fileError(fc.issue.message);
		}
		const files = packageFiles(j.value);
		return files ? reply(servicesInspect, inspectHsds(files)) : badRequest(API_ERROR_CODES.invalidFile, 'file', PACKAGE_SHAPE);
	}

	// Each format checks the mapping with its own schema, once, and reads its body its own way.
	const { sql } = await db();
	const run = <M>(query: ImportQuery<M>, input: ServiceInput, totalBytes: number | undefined) =>
		ndjsonProgress((progress) => importServices(sql, input, importOptions(query, who, totalBytes, progress)));
	if (format === 'hsds') {
		const query = parseWith(serviceImportQueries.hsds, params);
		const j = await readJsonUpload(bodyChunks(request));
		if (!j.ok) return fileError(j.issue.message);
		const files = packageFiles(j.value);
		if (!files) return badRequest(API_ERROR_CODES.invalidFile, 'file', PACKAGE_SHAPE);
		return run(query, { format, files, mapping: query.mapping }, contentLength(request));
	}
	if (format === 'csv') {
		const query = parseWith(serviceImportQueries.csv, params);
		const opened = await openRequestUpload(bodyChunks(request), q, { totalBytes: contentLength(request) });
		if (!opened.ok) return opened.response;
		const { upload } = opened;
		return run(query, { format, chunks: upload.chunks, mapping: query.mapping }, upload.totalBytes);
	}
	const query = parseWith(serviceImportQueries.geojson, params);
	return run(query, { format, chunks: bodyChunks(request), mapping: query.mapping }, contentLength(request));
});
