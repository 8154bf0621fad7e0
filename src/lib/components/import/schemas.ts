// Browser copies of the import mapping schemas. The domain modules that define them
// ($lib/domain/import/signals.ts, services.ts, …) also hold the streaming parsers, which pull
// csv-parse and iconv-lite (Node's Buffer) into the page's bundle and break it at load; so the
// page keeps these copies, and the type checks at the bottom fail `svelte-check` as soon as a
// copy no longer describes the same mapping as the server's schema. (Only types are imported
// from the domain modules: they vanish from the bundle.)
import { z } from 'zod';
import { CRS_CHOICES } from '$lib/domain/import/mapping';
import type { ReporterKind, SignalMapping } from '$lib/domain/import/signals';
import type { ServiceCsvMapping, ServiceGeoJsonMapping } from '$lib/domain/import/services';
import type { AreaIndicatorMapping, AreaMapping } from '$lib/domain/import/areas';

const column = z.string().trim().min(1).max(200);

export const REPORTER_KINDS = ['partner', 'citizen', 'worker'] as const satisfies readonly ReporterKind[];

type PointMapping = { lat?: string; lng?: string; x?: string; y?: string; crs?: (typeof CRS_CHOICES)[number] };

/** lat/lng and x/y go in pairs; one pair at least; an explicit crs only with one pair. */
function checkPoint(m: PointMapping, ctx: z.RefinementCtx) {
	const pair = (a: string | undefined, b: string | undefined, names: [string, string]) => {
		if ((a === undefined) !== (b === undefined))
			ctx.addIssue({ code: 'custom', path: [a === undefined ? names[0] : names[1]], message: `${names[0]} and ${names[1]} go together` });
		return a !== undefined && b !== undefined;
	};
	const latLng = pair(m.lat, m.lng, ['lat', 'lng']);
	const xy = pair(m.x, m.y, ['x', 'y']);
	if (!latLng && !xy) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'map lat/lng or x/y' });
	if (latLng && xy && m.crs !== undefined && m.crs !== 'auto')
		ctx.addIssue({ code: 'custom', path: ['crs'], message: 'with both lat/lng and x/y, crs must be auto' });
}

/** = signalMappingSchema in $lib/domain/import/signals.ts */
export const signalMappingSchema = z
	.object({
		reportedAt: column,
		time: column.optional(),
		lat: column.optional(),
		lng: column.optional(),
		x: column.optional(),
		y: column.optional(),
		crs: z.enum(CRS_CHOICES).optional(),
		reporterKind: column.optional(),
		defaultReporterKind: z.enum(REPORTER_KINDS).optional(),
		description: column,
		targetGroups: column.optional(),
		status: column.optional(),
		handledAt: column.optional(),
		externalId: column.optional()
	})
	.strict()
	.superRefine((m, ctx) => {
		checkPoint(m, ctx);
		if (m.reporterKind === undefined && m.defaultReporterKind === undefined)
			ctx.addIssue({ code: 'custom', path: ['reporterKind'], message: 'map a reporter column or give a defaultReporterKind' });
	});

const serviceCommon = {
	name: column,
	category: column.optional(),
	address: column.optional(),
	capacity: column.optional(),
	openingHours: column.optional(),
	externalId: column.optional(),
	crs: z.enum(CRS_CHOICES).optional(),
	/** File value → category (code or label). */
	categories: z.record(z.string().trim().min(1).max(200), z.string().trim().min(1).max(200)).optional(),
	defaultCategory: column.optional()
};

const needsCategory = (m: { category?: string; defaultCategory?: string }, ctx: z.RefinementCtx) => {
	if (m.category === undefined && m.defaultCategory === undefined)
		ctx.addIssue({ code: 'custom', path: ['category'], message: 'map a category column or give a defaultCategory' });
};

/** = serviceCsvMappingSchema in $lib/domain/import/services.ts */
export const serviceCsvMappingSchema = z
	.object({ ...serviceCommon, lat: column.optional(), lng: column.optional(), x: column.optional(), y: column.optional() })
	.strict()
	.superRefine((m, ctx) => {
		needsCategory(m, ctx);
		checkPoint(m, ctx);
	});

/** = serviceGeoJsonMappingSchema in $lib/domain/import/services.ts (the point is the geometry) */
export const serviceGeoJsonMappingSchema = z.object(serviceCommon).strict().superRefine(needsCategory);

/** = layerName in $lib/domain/import/areas.ts */
export const LAYER_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/i;

/** = areaMappingSchema in $lib/domain/import/areas.ts */
export const areaMappingSchema = z
	.object({
		layer: z.string().trim().regex(LAYER_PATTERN, 'a layer name of 1 to 40 letters, digits, "_" or "-"'),
		code: column,
		name: column,
		parent: column.optional(),
		population: column.optional(),
		crs: z.enum(CRS_CHOICES).optional()
	})
	.strict();

/** = areaIndicatorMappingSchema in $lib/domain/import/areas.ts */
export const areaIndicatorMappingSchema = z
	.object({
		layer: z.string().trim().regex(LAYER_PATTERN, 'a layer name of 1 to 40 letters, digits, "_" or "-"'),
		code: column,
		population: column.optional(),
		indicators: z.union([z.literal('*'), z.array(column).max(200)]).optional()
	})
	.strict()
	.refine((m) => m.population !== undefined || (m.indicators !== undefined && m.indicators.length > 0), {
		path: ['indicators'],
		message: 'map a population column or at least one indicator column'
	});

// ---- the copies describe exactly the server's mappings ---------------------------------------
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type SchemaCopiesMatch = [
	Assert<Equal<z.infer<typeof signalMappingSchema>, SignalMapping>>,
	Assert<Equal<z.infer<typeof serviceCsvMappingSchema>, ServiceCsvMapping>>,
	Assert<Equal<z.infer<typeof serviceGeoJsonMappingSchema>, ServiceGeoJsonMapping>>,
	Assert<Equal<z.infer<typeof areaMappingSchema>, AreaMapping>>,
	Assert<Equal<z.infer<typeof areaIndicatorMappingSchema>, AreaIndicatorMapping>>,
	Assert<Equal<(typeof REPORTER_KINDS)[number], ReporterKind>>
];
