// Service locations from a CSV or a GeoJSON FeatureCollection of points, validated row by row
// into `service_location` rows (a res-12 cell, never the raw point), and the category mapping and
// field rules the HSDS package import (hsds.ts) shares.
import type { VocabularyEntry } from '../vocabulary';
import type { TextEncodingName } from './decode';
import type { Separator } from './sniff';
import { parseDecimal } from './values';
import { buildVocabularyIndex, matchKey, matchVocabulary } from './vocab-match';
import { snapPoint, type LatLng } from './coordinates';
import { rowIssue, type RowIssue } from './row-errors';
import { hash128 } from './hash';
import type { ServiceCsvMapping, ServiceGeoJsonMapping } from './mapping';
import { collectRows, emptyCounts, type ParseSummary, type RowBatch, type RowValidator, type Validated } from './rows';
import { parseCsvRows, type CsvSource } from './csv-rows';
import { checkPoint, pointFromColumns, type IssueMaker, type PointOptions } from './points';
import { normaliseOpeningHours } from './opening-hours';
import { featureIssue, propertyText, featuresOf, type GeoFeature } from './geojson';

/** Service locations are public places: a fine cell (~9 m edge) is kept for the map symbol. */
export const SERVICE_CELL_RES = 12;

const MAX_NAME = 200;
const MAX_ADDRESS = 300;
const MAX_HOURS = 255;
const MAX_ID = 200;
const MAX_CAPACITY = 100_000;

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

/**
 * The user's category mapping: a source value (an HSDS taxonomy term code or name, a category
 * text in the file, a service name) → a service_category of the org (its code or a label).
 * Source values that are themselves a code or label of the vocabulary need no entry.
 */

export interface CategoryResolver {
	/**
	 * The first candidate that maps (user mapping first, then the vocabulary itself); `rejected`
	 * when the user mapped it to "refuse these rows".
	 */
	resolve(candidates: readonly string[]): { id: number; viaDefault: boolean } | { rejected: string } | null;
	/** Mapping targets that are no category of the org (file-level errors). */
	problems: RowIssue[];
	/** The default category's label, for the "for now" part of the message. */
	defaultLabel: string | undefined;
}

export function createCategoryResolver(
	entries: readonly VocabularyEntry[],
	map: Record<string, string | null> = {},
	defaultCategory?: string
): CategoryResolver {
	const index = buildVocabularyIndex(entries);
	const problems: RowIssue[] = [];
	const target = (code: string): number | undefined => {
		const m = matchVocabulary(code, index);
		if (m.ok) return m.id;
		problems.push(rowIssue(0, '', 'unknown_category_code', code));
		return undefined;
	};
	const user = new Map<string, number | null>();
	for (const [from, to] of Object.entries(map)) {
		const id = to === null ? null : target(to);
		if (id !== undefined) user.set(matchKey(from), id);
	}
	const fallback = defaultCategory ? target(defaultCategory) : undefined;
	const label = entries.find((e) => e.id === fallback)?.nl;
	return {
		problems,
		defaultLabel: label,
		resolve(candidates) {
			for (const c of candidates) {
				const id = user.get(matchKey(c));
				if (id === null) return { rejected: c };
				if (id !== undefined) return { id, viaDefault: false };
			}
			for (const c of candidates) {
				const m = matchVocabulary(c, index);
				if (m.ok) return { id: m.id, viaDefault: false };
			}
			return fallback !== undefined ? { id: fallback, viaDefault: true } : null;
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Service rows
// ---------------------------------------------------------------------------------------------

/** What the importer stores for a service location. No coordinates: the cell is the location. */
export interface ServiceRow {
	externalId: string;
	category: number;
	name: string;
	/** H3 cell (hex) at SERVICE_CELL_RES. */
	cell: string;
	address: string | null;
	capacity: number | null;
	/** OSM opening_hours text. */
	openingHours: string | null;
}

export function serviceCsvColumns(m: ServiceCsvMapping): string[] {
	return [
		...new Set(
			[m.name, m.category, m.address, m.capacity, m.openingHours, m.externalId, m.lat, m.lng, m.x, m.y].filter((c): c is string => c !== undefined)
		)
	];
}

export interface ServiceContext extends PointOptions {
	categories: readonly VocabularyEntry[];
}

type Fields = Pick<ServiceCsvMapping, 'name' | 'category' | 'address' | 'capacity' | 'openingHours' | 'externalId'>;

/** The non-geometric part of a service row, shared by CSV, GeoJSON and HSDS. */
export function validateServiceFields(
	get: (f: string | undefined) => string,
	m: Fields,
	point: LatLng | null,
	issue: IssueMaker,
	resolver: CategoryResolver,
	opts: { categoryCandidates?: string[]; fallbackId?: string } = {}
): { row: ServiceRow | null; errors: RowIssue[]; warnings: RowIssue[]; contentKey: string } {
	const errors: RowIssue[] = [];
	const warnings: RowIssue[] = [];
	const name = get(m.name);
	if (name === '') errors.push(issue(m.name, 'required'));
	else if (name.length > MAX_NAME) errors.push(issue(m.name, 'too_long', name, { max: String(MAX_NAME) }));

	let category = 0;
	const candidates = opts.categoryCandidates ?? (m.category !== undefined && get(m.category) !== '' ? [get(m.category)] : []);
	const hit = resolver.resolve(candidates);
	const shown = candidates[0] ?? '';
	if (hit && 'rejected' in hit) errors.push(issue(m.category ?? '', 'rejected_value', hit.rejected));
	else if (hit) {
		category = hit.id;
		if (hit.viaDefault) warnings.push(issue(m.category ?? '', 'unmapped_category', shown, { fallback: resolver.defaultLabel ?? '' }));
	} else if (candidates.length === 0) errors.push(issue(m.category ?? '', 'required'));
	else errors.push(issue(m.category ?? '', 'unmapped_category', shown));

	const address = get(m.address);
	if (address.length > MAX_ADDRESS) errors.push(issue(m.address!, 'too_long', address, { max: String(MAX_ADDRESS) }));

	let capacity: number | null = null;
	const capRaw = get(m.capacity);
	if (capRaw !== '') {
		const c = parseDecimal(capRaw);
		if (c.ok && Number.isInteger(c.value) && c.value >= 0 && c.value <= MAX_CAPACITY) capacity = c.value;
		else errors.push(issue(m.capacity!, 'invalid_capacity', capRaw));
	}

	let openingHours: string | null = null;
	const hoursRaw = get(m.openingHours);
	if (hoursRaw !== '') {
		const h = normaliseOpeningHours(hoursRaw);
		openingHours = h.value;
		if (!h.ok) warnings.push(issue(m.openingHours!, 'opening_hours_unrecognised', hoursRaw));
		if ((openingHours ?? '').length > MAX_HOURS) errors.push(issue(m.openingHours!, 'too_long', hoursRaw, { max: String(MAX_HOURS) }));
	}

	const fileId = get(m.externalId) || (opts.fallbackId ?? '');
	if (fileId.length > MAX_ID) errors.push(issue(m.externalId ?? '', 'too_long', fileId, { max: String(MAX_ID) }));

	if (errors.length > 0 || point === null) return { row: null, errors, warnings, contentKey: '' };
	const cell = snapPoint(point, SERVICE_CELL_RES);
	const contentKey = hash128(JSON.stringify([category, name, cell, address || null, capacity, openingHours]));
	return {
		// Without an ID the name and the place are the identity: a renamed or moved service comes
		// back as a new one. Map an ID column to update services in place.
		row: {
			externalId: fileId || `n${hash128(JSON.stringify([matchKey(name), cell]))}`,
			category,
			name,
			cell,
			address: address || null,
			capacity,
			openingHours
		},
		errors,
		warnings,
		contentKey
	};
}

/** A validator for the rows of one services CSV (the category resolver is built once). */
export function createServiceCsvValidator(mapping: ServiceCsvMapping, ctx: ServiceContext): RowValidator<ServiceRow> {
	const resolver = createCategoryResolver(ctx.categories, mapping.categories, mapping.defaultCategory);
	return (record, row) => {
		const get = (col: string | undefined) => (col === undefined ? '' : (record[col] ?? '').trim());
		const p = pointFromColumns(get, mapping, row, ctx);
		const r = validateServiceFields(get, mapping, p.point, (f, c, v, x) => rowIssue(row, f, c, v, x), resolver);
		const errors = [...p.errors, ...r.errors];
		const warnings = [...p.warnings, ...r.warnings];
		return r.row && errors.length === 0 ? { ok: true, row: r.row, warnings, contentKey: r.contentKey } : { ok: false, errors, warnings };
	};
}

/** Streams a services CSV. File-level mapping problems (unknown category codes) come first. */
export async function* parseServicesCsv(
	source: CsvSource,
	mapping: ServiceCsvMapping,
	ctx: ServiceContext & { encoding?: TextEncodingName; separator?: Separator; batchSize?: number; totalBytes?: number }
): AsyncGenerator<RowBatch<ServiceRow>, ParseSummary, undefined> {
	const problems = createCategoryResolver(ctx.categories, mapping.categories, mapping.defaultCategory).problems;
	if (problems.length > 0) {
		const batch: RowBatch<ServiceRow> = {
			rows: [],
			rowLines: [],
			errors: problems,
			warnings: [],
			rejected: [],
			headers: [],
			progress: { bytesRead: 0 },
			counts: { ...emptyCounts(), rejected: 0 }
		};
		yield batch;
		return { encoding: 'utf-8', separator: ';', headers: [], counts: batch.counts };
	}
	return yield* parseCsvRows(source, {
		columns: serviceCsvColumns(mapping),
		idColumn: mapping.externalId,
		encoding: ctx.encoding,
		separator: ctx.separator,
		batchSize: ctx.batchSize,
		totalBytes: ctx.totalBytes,
		validator: ({ resolve }) => {
			const r = (c: string | undefined) => (c === undefined ? undefined : resolve(c));
			const m: ServiceCsvMapping = {
				...mapping,
				name: resolve(mapping.name),
				category: r(mapping.category),
				address: r(mapping.address),
				capacity: r(mapping.capacity),
				openingHours: r(mapping.openingHours),
				externalId: r(mapping.externalId),
				lat: r(mapping.lat),
				lng: r(mapping.lng),
				x: r(mapping.x),
				y: r(mapping.y)
			};
			return createServiceCsvValidator(m, ctx);
		}
	});
}

// ---------------------------------------------------------------------------------------------
// GeoJSON
// ---------------------------------------------------------------------------------------------

/**
 * A services GeoJSON (already parsed) → one batch. Each feature must be a Point; messages name
 * the feature's number (1-based) and the property.
 */
export function parseServicesGeoJson(value: unknown, mapping: ServiceGeoJsonMapping, ctx: ServiceContext): RowBatch<ServiceRow> {
	const fc = featuresOf(value);
	const resolver = createCategoryResolver(ctx.categories, mapping.categories, mapping.defaultCategory);
	if (!fc.ok || resolver.problems.length > 0) {
		const batch = collectRows<ServiceRow>([], () => rowIssue(0, '', 'required'));
		batch.errors.push(...(fc.ok ? resolver.problems : [fc.issue]));
		return batch;
	}
	const features = fc.features;
	function* items() {
		for (let i = 0; i < features.length; i++) {
			yield { n: i + 1, result: validateServiceFeature(features[i]!, i + 1, mapping, ctx, resolver) };
		}
	}
	return collectRows(items(), (n, first, id, same) =>
		featureIssue(n, mapping.externalId ?? 'id', 'duplicate_code', id, {
			firstNl: `object ${first}${same ? ' (identiek; overgeslagen)' : ''}`,
			firstEn: `feature ${first}${same ? ' (identical; skipped)' : ''}`
		})
	);
}

function validateServiceFeature(
	f: GeoFeature,
	n: number,
	m: ServiceGeoJsonMapping,
	ctx: ServiceContext,
	resolver: CategoryResolver
): Validated<ServiceRow> {
	const issue: IssueMaker = (fields, code, value, extra) =>
		featureIssue(n, typeof fields === 'string' ? fields : (fields[0] ?? ''), code, value, extra);
	const props = f?.properties ?? {};
	const get = (p: string | undefined) => (p === undefined ? '' : propertyText(props[p]));
	const errors: RowIssue[] = [];
	let warnings: RowIssue[] = [];
	let point: LatLng | null = null;
	const g = f?.geometry;
	const coords = g?.coordinates as unknown[] | undefined;
	if (!g) errors.push(issue('geometry', 'required'));
	else if (g.type !== 'Point') errors.push(issue('geometry', 'not_point', propertyText(g.type)));
	else if (!Array.isArray(coords) || coords.length < 2 || !coords.slice(0, 2).every((c) => typeof c === 'number' && Number.isFinite(c)))
		errors.push(issue('geometry', 'invalid_position', JSON.stringify(coords ?? null).slice(0, 60), { ringNl: 'het punt', ringEn: 'the point' }));
	else {
		const p = checkPoint(coords[0] as number, coords[1] as number, m.crs ?? 'auto', ['geometry', 'geometry'], ctx, issue);
		point = p.point;
		errors.push(...p.errors);
		warnings = p.warnings;
	}
	const featureId = f?.id === undefined || f.id === null ? '' : propertyText(f.id);
	const r = validateServiceFields(get, m, point, issue, resolver, { fallbackId: m.externalId === undefined ? featureId : '' });
	errors.push(...r.errors);
	warnings.push(...r.warnings);
	return r.row && errors.length === 0 ? { ok: true, row: r.row, warnings, contentKey: r.contentKey } : { ok: false, errors, warnings };
}
