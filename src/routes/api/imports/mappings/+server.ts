import { json } from '@sveltejs/kit';
import { db } from '$lib/server/app-db';
import { requireContext } from '$lib/server/context';
import { badRequest } from '$lib/server/http';
import { IMPORT_KINDS, loadMappings, saveMapping, type ImportKind } from '$lib/server/imports/jobs';
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

/** What a saved mapping must look like per kind (services: any of its three formats). */
const SCHEMAS: Record<ImportKind, ZodType[]> = {
	contacts: [columnMappingSchema],
	services: [serviceCsvMappingSchema, serviceGeoJsonMappingSchema, hsdsMappingSchema],
	areas: [areaMappingSchema],
	area_indicators: [areaIndicatorMappingSchema],
	signals: [signalMappingSchema]
};

const kindOf = (raw: string | null): ImportKind | null =>
	(IMPORT_KINDS as readonly string[]).includes(raw ?? '') ? (raw as ImportKind) : null;

export async function GET({ url, locals }) {
	const { org } = await requireContext(locals);
	const kind = kindOf(url.searchParams.get('kind'));
	if (!kind) return badRequest('kind', `expected one of ${IMPORT_KINDS.join(', ')}`);
	const { sql } = await db();
	return json({ mappings: await loadMappings(sql, org.orgId, kind) });
}

/**
 * Save a column mapping for a source: {kind, source, mapping}, as JSON from our own pages only
 * (like the uploads): a cross-site form (urlencoded, multipart, text/plain) can never post here.
 */
export async function POST({ request, url, locals }) {
	const { org, user } = await requireContext(locals);
	if (!sameOrigin(request, url)) return forbiddenOrigin();
	if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
		return json({ error: { param: 'content-type', message: 'send the mapping as application/json' } }, { status: 415 });
	}
	const body = (await request.json().catch(() => null)) as { kind?: string; source?: string; mapping?: unknown } | null;
	const kind = kindOf(body?.kind ?? null);
	if (!kind) return badRequest('kind', `expected one of ${IMPORT_KINDS.join(', ')}`);
	const source = body?.source?.trim() ?? '';
	if (!/^[\w .-]{1,80}$/.test(source)) return badRequest('source', 'a source name of 1 to 80 letters, digits, spaces, dots or dashes');
	const results = SCHEMAS[kind].map((schema) => schema.safeParse(body?.mapping));
	const ok = results.find((r) => r.success);
	if (!ok) {
		const issue = results[0]!.error!.issues[0]!;
		return badRequest(`mapping.${String(issue.path[0] ?? '')}`, issue.message);
	}
	const mapping = ok.data;
	const { sql } = await db();
	await saveMapping(sql, org.orgId, kind, source, mapping, user.userId);
	return json({ saved: true });
}
