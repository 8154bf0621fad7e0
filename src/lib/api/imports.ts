// The import API: a file's preview, the imports themselves (the file is the request body; the
// answer is NDJSON: progress lines, then one result or error line), saved column mappings and
// the import log. Declared once for the +server.ts routes and the browser (components/import).
import { z } from 'zod';
import type { RowIssue } from '$lib/domain/import/row-errors';
import type { ErrorInfo } from '$lib/domain/errors';
import type { HsdsTable } from '$lib/domain/import/hsds-tables';
import type { ValueSummary } from '$lib/domain/import/value-map';
import {
	areaIndicatorMappingSchema,
	areaMappingSchema,
	columnMappingSchema,
	hsdsMappingSchema,
	serviceCsvMappingSchema,
	serviceGeoJsonMappingSchema,
	signalMappingSchema
} from '$lib/domain/import/mapping';
import { endpoint } from './endpoint';
import { flagParam } from './params';

export const IMPORT_KINDS = ['contacts', 'services', 'areas', 'area_indicators', 'signals'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** An import source's name. */
export const SOURCE_NAME = /^[\w .-]{1,80}$/;
const SOURCE_MESSAGE = 'a source name of 1 to 80 letters, digits, spaces, dots or dashes';
const KIND_MESSAGE = `expected one of ${IMPORT_KINDS.join(', ')}`;

const sourceName = z.unknown().transform((v, ctx) => {
	const s = typeof v === 'string' ? v.trim() : '';
	if (SOURCE_NAME.test(s)) return s;
	ctx.addIssue({ code: 'custom', message: SOURCE_MESSAGE });
	return z.NEVER;
});

const importKind = z.enum(IMPORT_KINDS, { error: KIND_MESSAGE });

export interface Preview {
	encoding: string;
	bom: boolean;
	separator: string;
	decimalComma: boolean;
	headers: string[];
	headerLikely: boolean;
	rows: Record<string, string>[];
	/** A GeoJSON file (inspected by the kind's API): its features; headers are property names. */
	geo?: { features: number; geometryTypes: Record<string, number> };
	/** An Excel workbook: the worksheet read as CSV (index from 1) and the workbook's sheets. */
	workbook?: { sheet: string; index: number; sheets?: string[] };
}

/**
 * POST /api/imports/preview: the first bytes of a CSV (up to 64 KiB) or a whole Excel workbook
 * (sheet=N, from 1) as the body; complete=true when the bytes are the whole file.
 */
export const preview = endpoint<Preview>()({
	method: 'POST',
	path: '/api/imports/preview',
	query: z.object({ sheet: z.string().optional(), complete: flagParam })
});

export interface Counts {
	records: number;
	valid: number;
	rejected: number;
	duplicates: number;
	emptyLines: number;
}

export interface Progress {
	bytesRead: number;
	totalBytes: number;
	counts: Counts;
	/** 'writing': the server has read every row and is finishing the commit. */
	phase?: 'writing';
}

export interface ImportResult {
	jobId: number;
	mode: 'dry-run' | 'commit';
	status: 'done' | 'rolled-back';
	counts: Counts & { imported: number; updated: number; skipped: number; unchanged?: number; ignored?: number };
	/** Issues of a package (HSDS) also name their file. */
	errors: (RowIssue & { file?: string })[];
	warnings: (RowIssue & { file?: string })[];
	errorCodes: Record<string, number>;
	truncated: boolean;
	rejectedCsv: string | null;
	/** Services: category values that matched no category, with the rows that have them. */
	unmappedCategories?: { value: string; rows: number }[];
	/** Contacts and signals: each distinct value of each vocabulary column, how it matched and the closest entries. */
	values?: ValueSummary;
	/** Contacts: rows of the file's start stored already under another source (see the server's KindImportResult). */
	elsewhere?: { sampled: number; sources: { source: string; rows: number }[] };
}

/** One line of an import's NDJSON answer. */
export type ImportLine =
	| ({ type: 'progress' } & { bytesRead: number; totalBytes?: number; counts: Counts; phase?: 'writing' })
	| ({ type: 'result' } & ImportResult)
	| ({ type: 'error' } & ErrorInfo);

/**
 * The query every import takes: mode, source, mapping (JSON, checked with the kind's schema; a
 * bad field is named mapping.<field>), filename and the flags. Other parameters (sheet, format)
 * are the endpoint's own.
 */
export function importQuery<M>(mapping: z.ZodType<M>) {
	return z.object({
		mode: z.enum(['dry-run', 'commit'], { error: 'expected dry-run or commit' }),
		source: sourceName,
		mapping: z.preprocess((raw, ctx) => {
			try {
				return JSON.parse(typeof raw === 'string' ? raw : '');
			} catch {
				ctx.addIssue({ code: 'custom', message: 'expected the mapping as JSON' });
				return z.NEVER;
			}
		}, mapping),
		filename: z
			.string()
			.optional()
			.transform((v) => v?.slice(0, 200)),
		skipInvalid: flagParam,
		fixSwapped: flagParam,
		acceptOutside: flagParam,
		/** The language of the rejected-rows file (the page's); Dutch when absent. */
		lang: z.enum(['nl', 'en'], { error: 'expected nl or en' }).optional()
	});
}

export type ImportQuery<M> = z.output<ReturnType<typeof importQuery<M>>>;

/**
 * An import of the kind's file, answered as NDJSON lines (ImportLine). sheet=N (from 1) picks an
 * Excel workbook's worksheet (read by the server's upload, server/imports/xlsx.ts).
 */
const streamed = <M>(path: string, mapping: z.ZodType<M>) => endpoint<ImportLine>()({ method: 'POST', path, query: importQuery(mapping) });

export const contactsImport = streamed('/api/imports/contacts', columnMappingSchema);
export const signalsImport = streamed('/api/imports/signals', signalMappingSchema);
export const areaIndicatorsImport = streamed('/api/imports/area-indicators', areaIndicatorMappingSchema);

/** What mode=inspect answers for a GeoJSON file: its features' properties, with a few samples. */
export interface GeoJsonInspection {
	features: number;
	geometryTypes: Record<string, number>;
	properties: string[];
	sample: Record<string, string>[];
}

/** POST /api/imports/areas: a GeoJSON layer as the body (see areasInspect for mode=inspect). */
export const areasImport = endpoint<ImportLine>()({ method: 'POST', path: '/api/imports/areas', query: importQuery(areaMappingSchema) });

/** POST /api/imports/areas?mode=inspect: the GeoJSON file's properties, answered at once. */
export const areasInspect = endpoint<GeoJsonInspection>()({
	method: 'POST',
	path: '/api/imports/areas',
	query: z.object({ mode: z.literal('inspect') })
});

export const SERVICE_FORMATS = ['csv', 'geojson', 'hsds'] as const;

/** The services import's query per format (each checks the mapping with its own schema). */
export const serviceImportQueries = {
	csv: importQuery(serviceCsvMappingSchema).extend({ format: z.literal('csv') }),
	geojson: importQuery(serviceGeoJsonMappingSchema).extend({ format: z.literal('geojson') }),
	hsds: importQuery(hsdsMappingSchema).extend({ format: z.literal('hsds') })
};

/** The parameter every services import names first. */
export const serviceFormat = z.object({ format: z.enum(SERVICE_FORMATS, { error: 'expected csv, geojson or hsds' }) });

/** What mode=inspect answers for an HSDS package. */
export interface HsdsInspection {
	tables: Partial<Record<HsdsTable, { file: string; rows: number }>>;
	errors: (RowIssue & { file?: string })[];
	ignoredFiles: string[];
	/** Taxonomy terms the services carry: value = name (else code), with how many services. */
	taxonomyTerms: { value: string; code: string; services: number }[];
	/** Services without any term: their name is what the category mapping sees. */
	serviceNamesWithoutTerms: string[];
}

/**
 * POST /api/imports/services?format=csv|geojson|hsds: the file as the body (hsds: JSON
 * {files: {"<name>.csv": "<text>"}}); mode=inspect (geojson, hsds) answers GeoJsonInspection or
 * HsdsInspection, the other modes NDJSON.
 */
export const servicesImport = endpoint<ImportLine>()({
	method: 'POST',
	path: '/api/imports/services',
	query: z.union([serviceImportQueries.csv, serviceImportQueries.geojson, serviceImportQueries.hsds])
});

/** The import endpoints by their directory under /api/imports/ (an import kind's `api`). */
export const IMPORT_ENDPOINTS = {
	contacts: contactsImport,
	services: servicesImport,
	areas: areasImport,
	'area-indicators': areaIndicatorsImport,
	signals: signalsImport
} as const;

/** The body of an HSDS package (format=hsds): file name → text. */
export const hsdsPackage = z.object({ files: z.record(z.string(), z.string()) });

/** POST /api/imports/services?format=geojson|hsds&mode=inspect: what the file or package holds, at once. */
export const servicesInspect = endpoint<GeoJsonInspection | HsdsInspection>()({
	method: 'POST',
	path: '/api/imports/services',
	query: z.object({ format: z.enum(['geojson', 'hsds']), mode: z.literal('inspect') }),
	body: hsdsPackage
});

export interface SavedMapping {
	source: string;
	mapping: Record<string, unknown>;
}

/** GET /api/imports/mappings?kind=: the mappings saved for the kind; POST saves one. */
export const mappings = endpoint<{ mappings: SavedMapping[] }>()({
	method: 'GET',
	path: '/api/imports/mappings',
	query: z.object({ kind: importKind })
});

/** The mapping is checked against the kind's schemas by the route (services: any of its three formats). */
export const saveMapping = endpoint<{ saved: true }>()({
	method: 'POST',
	path: '/api/imports/mappings',
	body: z.object({ kind: importKind, source: sourceName, mapping: z.custom<Record<string, unknown>>(() => true) })
});

export interface Job {
	job_id: number;
	kind: string;
	source: string;
	filename: string | null;
	mode: 'dry-run' | 'commit';
	status: string;
	counts: Partial<Counts & { imported: number; updated: number; skipped: number }> | null;
	created_at: string;
	finished_at: string | null;
	display_name: string | null;
}

/** GET /api/imports/jobs: the latest imports. */
export const jobs = endpoint<{ jobs: Job[] }>()({ method: 'GET', path: '/api/imports/jobs' });
