import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { bodyChunks, contentLength, forbiddenOrigin, ndjsonProgress, openRequestUpload, readImportQuery, sameOrigin } from '$lib/server/imports/http';
import { importServices, packageFiles, readJsonUpload, type ServiceInput } from '$lib/server/imports/services';
import { featuresOf, inspectFeatures, serviceCsvMappingSchema, serviceGeoJsonMappingSchema } from '$lib/domain/import/services';
import { hsdsMappingSchema, inspectHsds } from '$lib/domain/import/hsds';

const fileError = (message: { en: string }) => badRequest('file', message.en);

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
export async function POST({ request, url, locals }) {
	const { org, user } = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const q = url.searchParams;
	const format = q.get('format');
	if (format !== 'csv' && format !== 'geojson' && format !== 'hsds') return badRequest('format', 'expected csv, geojson or hsds');

	if (q.get('mode') === 'inspect') {
		if (format === 'csv') return badRequest('mode', 'inspect a CSV with /api/imports/preview');
		const j = await readJsonUpload(bodyChunks(request));
		if (!j.ok) return fileError(j.issue.message);
		if (format === 'geojson') {
			const fc = featuresOf(j.value);
			return fc.ok ? json(inspectFeatures(fc.features)) : fileError(fc.issue.message);
		}
		const files = packageFiles(j.value);
		return files ? json(inspectHsds(files)) : badRequest('file', 'expected {"files": {"<name>.csv": "<text>", …}}');
	}

	const parsed =
		format === 'csv'
			? readImportQuery(q, serviceCsvMappingSchema)
			: format === 'geojson'
				? readImportQuery(q, serviceGeoJsonMappingSchema)
				: readImportQuery(q, hsdsMappingSchema);
	if (!parsed.ok) return badRequest(parsed.param, parsed.message);
	const query = parsed.query;

	let input: ServiceInput;
	let totalBytes = contentLength(request);
	if (format === 'hsds') {
		const j = await readJsonUpload(bodyChunks(request));
		if (!j.ok) return fileError(j.issue.message);
		const files = packageFiles(j.value);
		if (!files) return badRequest('file', 'expected {"files": {"<name>.csv": "<text>", …}}');
		input = { format, files, mapping: hsdsMappingSchema.parse(query.mapping) };
	} else if (format === 'csv') {
		const opened = await openRequestUpload(bodyChunks(request), q, { totalBytes });
		if (!opened.ok) return opened.response;
		totalBytes = opened.upload.totalBytes;
		input = { format, chunks: opened.upload.chunks, mapping: serviceCsvMappingSchema.parse(query.mapping) };
	} else input = { format, chunks: bodyChunks(request), mapping: serviceGeoJsonMappingSchema.parse(query.mapping) };

	const { sql } = await db();
	return ndjsonProgress((progress) =>
		importServices(sql, input, {
			orgId: org.orgId,
			userId: user.userId,
			source: query.source,
			filename: query.filename,
			mode: query.mode,
			skipInvalid: query.skipInvalid,
			fixSwapped: query.fixSwapped,
			acceptOutside: query.acceptOutside,
			totalBytes,
			onProgress: progress
		})
	);
}
