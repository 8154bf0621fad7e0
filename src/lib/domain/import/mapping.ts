// Column mappings: which column (or property) of the source file feeds which field, one schema
// per kind of import. Saved per import source as JSON, so they are validated with zod on the way
// in and out of the database, and in the browser while the user maps. This module must stay
// browser-safe: zod only, no parsing machinery.
import { z } from 'zod';
import { contactValuesSchema, signalValuesSchema, valueMapSchema, valueSeparatorSchema } from './value-map';

const column = z.string().trim().min(1).max(200);

export const CRS_CHOICES = ['wgs84', 'lambert72', 'lambert2008', 'auto'] as const;

type CoordinateColumns = { lat?: string; lng?: string; x?: string; y?: string; crs?: (typeof CRS_CHOICES)[number] };

/** lat/lng and x/y each go in pairs, at least one pair is mapped, and both pairs only with crs auto. */
function checkCoordinateColumns(m: CoordinateColumns, ctx: z.RefinementCtx) {
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

/**
 * Coordinates: a row uses the lat/lng pair when both of its cells are filled, else the x/y pair.
 * `crs` (default 'auto', detected per row from the magnitudes) says how to read the pair. lat and
 * y are the northing, lng and x the easting. Mapping both pairs only makes sense with 'auto'
 * (the pairs are then in different systems), so an explicit crs with both pairs is refused.
 */
export const columnMappingSchema = z
	.object({
		occurredAt: column,
		/** Separate time column ("Uur"), joined to the date as "date time". */
		time: column.optional(),
		lat: column.optional(),
		lng: column.optional(),
		x: column.optional(),
		y: column.optional(),
		crs: z.enum(CRS_CHOICES).optional(),
		contactType: column,
		targetGroups: column.optional(),
		themes: column.optional(),
		persons: column.optional(),
		referral: column.optional(),
		externalId: column.optional(),
		team: column.optional(),
		/** File value → entry code (null: refuse those rows), per vocabulary column. */
		values: contactValuesSchema.optional(),
		/** Characters that split a multi-valued cell (default: '|' and the list separator the file does not use). */
		separator: valueSeparatorSchema.optional()
	})
	.strict()
	.superRefine(checkCoordinateColumns);

export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** The mapped file columns, for checking them against a file's header row. */
export function mappedColumns(m: ColumnMapping): string[] {
	const cols = [m.occurredAt, m.time, m.lat, m.lng, m.x, m.y, m.contactType, m.targetGroups, m.themes, m.persons, m.referral, m.externalId, m.team];
	return [...new Set(cols.filter((c): c is string => c !== undefined))];
}

// ---- service locations -------------------------------------------------------------------------

/**
 * A file's category value (or HSDS taxonomy term) → the organisation's service category: a value
 * map like the contacts' `values` (a null target refuses the rows).
 */
export const categoryMapSchema = valueMapSchema;

const serviceCommon = {
	name: column,
	/** Column/property holding the category; optional when every row gets `defaultCategory`. */
	category: column.optional(),
	address: column.optional(),
	capacity: column.optional(),
	openingHours: column.optional(),
	externalId: column.optional(),
	crs: z.enum(CRS_CHOICES).optional(),
	categories: categoryMapSchema.optional(),
	/** Category (code or label) for rows whose category does not map; they are still reported. */
	defaultCategory: column.optional()
};

const needsCategory = (m: { category?: string; defaultCategory?: string }, ctx: z.RefinementCtx) => {
	if (m.category === undefined && m.defaultCategory === undefined)
		ctx.addIssue({ code: 'custom', path: ['category'], message: 'map a category column or give a defaultCategory' });
};

/** CSV: column names; coordinates as lat/lng and/or x/y (as the contacts mapping). */
export const serviceCsvMappingSchema = z
	.object({ ...serviceCommon, lat: column.optional(), lng: column.optional(), x: column.optional(), y: column.optional() })
	.strict()
	.superRefine((m, ctx) => {
		needsCategory(m, ctx);
		checkCoordinateColumns(m, ctx);
	});
export type ServiceCsvMapping = z.infer<typeof serviceCsvMappingSchema>;

/**
 * GeoJSON: property names of the features; the point is the geometry ([lng, lat], or Lambert
 * x/y in old GIS exports, detected unless `crs` says). Without `externalId` the feature's own
 * `id` is used when it has one.
 */
export const serviceGeoJsonMappingSchema = z.object(serviceCommon).strict().superRefine(needsCategory);
export type ServiceGeoJsonMapping = z.infer<typeof serviceGeoJsonMappingSchema>;

export const hsdsMappingSchema = z
	.object({
		/** Taxonomy term code or name, or a service name → the org's service_category (code or label). */
		categories: categoryMapSchema.optional(),
		/** Category for services whose terms do not map; they are still reported. */
		defaultCategory: column.optional(),
		/** 'service_organization' (default): "Nachtopvang (CAW Oost-Vlaanderen)"; 'service': the service name only. */
		name: z.enum(['service', 'service_organization']).optional(),
		/** How to read location latitude/longitude (default: detected). */
		crs: z.enum(CRS_CHOICES).optional()
	})
	.strict();
export type HsdsMapping = z.infer<typeof hsdsMappingSchema>;

// ---- areas and indicators ----------------------------------------------------------------------

/** Layer names are keys in URLs and zone assignments: short, no spaces. */
export const layerName = z
	.string()
	.trim()
	.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, 'a layer name of 1 to 40 letters, digits, "_" or "-"');

export const areaMappingSchema = z
	.object({
		layer: layerName,
		code: column,
		name: column,
		/** Code of the enclosing area (a sector's district). */
		parent: column.optional(),
		population: column.optional(),
		crs: z.enum(CRS_CHOICES).optional()
	})
	.strict();
export type AreaMapping = z.infer<typeof areaMappingSchema>;

export const areaIndicatorMappingSchema = z
	.object({
		layer: layerName,
		/** Column holding the area code. */
		code: column,
		/** Column with the population: updates area.population. */
		population: column.optional(),
		/**
		 * Columns stored as numeric indicators, named by their header. '*' takes every column
		 * except code and population (then every one of them must be numeric).
		 */
		indicators: z.union([z.literal('*'), z.array(column).max(200)]).optional()
	})
	.strict()
	.refine((m) => m.population !== undefined || (m.indicators !== undefined && m.indicators.length > 0), {
		path: ['indicators'],
		message: 'map a population column or at least one indicator column'
	});
export type AreaIndicatorMapping = z.infer<typeof areaIndicatorMappingSchema>;

// ---- signals -------------------------------------------------------------------------------------

export const REPORTER_KINDS = ['partner', 'citizen', 'worker'] as const;
export type ReporterKind = (typeof REPORTER_KINDS)[number];

export const signalMappingSchema = z
	.object({
		reportedAt: column,
		/** Separate time column, joined to the date. */
		time: column.optional(),
		lat: column.optional(),
		lng: column.optional(),
		x: column.optional(),
		y: column.optional(),
		crs: z.enum(CRS_CHOICES).optional(),
		reporterKind: column.optional(),
		/** For files from one kind of reporter (a partner's export): every row gets it. */
		defaultReporterKind: z.enum(REPORTER_KINDS).optional(),
		description: column,
		targetGroups: column.optional(),
		status: column.optional(),
		handledAt: column.optional(),
		externalId: column.optional(),
		values: signalValuesSchema.optional(),
		separator: valueSeparatorSchema.optional()
	})
	.strict()
	.superRefine((m, ctx) => {
		checkCoordinateColumns(m, ctx);
		if (m.reporterKind === undefined && m.defaultReporterKind === undefined)
			ctx.addIssue({ code: 'custom', path: ['reporterKind'], message: 'map a reporter column or give a defaultReporterKind' });
	});
export type SignalMapping = z.infer<typeof signalMappingSchema>;
