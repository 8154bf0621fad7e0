import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { apiRoute, parseQuery, parseWith, readJson, reply } from '$lib/server/api';
import { badRequest } from '$lib/server/http';
import { loadMappings, saveMapping } from '$lib/server/imports/jobs';
import { forbiddenOrigin, sameOrigin } from '$lib/server/imports/http';
import type { ZodType } from 'zod';
import {
	areaIndicatorMappingSchema,
	areaMappingSchema,
	columnMappingSchema,
	hsdsMappingSchema,
	serviceCsvMappingSchema,
	serviceGeoJsonMappingSchema,
	signalMappingSchema
} from '$lib/domain/import/mapping';
import { API_ERROR_CODES } from '$lib/api/errors';
import { UserInputError } from '$lib/domain/errors';
import { mappings, saveMapping as saveMappingEndpoint, type ImportKind, type SavedMapping } from '$lib/api/imports';

/** What a saved mapping must look like per kind (services: any of its three formats). */
const SCHEMAS: Record<ImportKind, ZodType[]> = {
	contacts: [columnMappingSchema],
	services: [serviceCsvMappingSchema, serviceGeoJsonMappingSchema, hsdsMappingSchema],
	areas: [areaMappingSchema],
	area_indicators: [areaIndicatorMappingSchema],
	signals: [signalMappingSchema]
};

export const GET = apiRoute(async ({ url, locals }) => {
	const { org } = await requireContext(locals);
	const { kind } = parseQuery(mappings, url);
	const { sql } = await db();
	return reply(mappings, { mappings: (await loadMappings(sql, org.orgId, kind)) as SavedMapping[] });
});

/**
 * Save a column mapping for a source: {kind, source, mapping}, as JSON from our own pages only
 * (like the uploads): a cross-site form (urlencoded, multipart, text/plain) can never post here.
 */
export const POST = apiRoute(async ({ request, url, locals }) => {
	const { org, user } = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	const raw = await readJson(request, 'the mapping').catch((e) => {
		if (e instanceof UserInputError) return null; // not JSON: refused below for its kind
		throw e;
	});
	const body = parseWith(saveMappingEndpoint.body!, raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {});
	const results = SCHEMAS[body.kind].map((schema) => schema.safeParse(body.mapping));
	const ok = results.find((r) => r.success);
	if (!ok) {
		const issue = results[0]!.error!.issues[0]!;
		return badRequest(API_ERROR_CODES.invalidParam, `mapping.${String(issue.path[0] ?? '')}`, issue.message);
	}
	const { sql } = await db();
	await saveMapping(sql, org.orgId, body.kind, body.source, ok.data, user.userId);
	return reply(saveMappingEndpoint, { saved: true });
});
