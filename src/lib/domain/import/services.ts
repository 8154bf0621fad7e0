// Service locations from a CSV or a GeoJSON FeatureCollection of points, validated row by row
// into `service_location` rows (a res-12 cell, never the raw point), and the category mapping and
// field rules the HSDS package import (hsds.ts) shares.
import type { VocabularyEntry } from '../vocabulary';
import type { TextEncodingName } from './decode';
import type { Separator } from './sniff';
import { parseDecimal } from './values';
import { matchKey } from './vocab-match';
import { ValueResolver, type Resolved, type ValueTally } from './value-map';
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
 * text in the file, a service name) → a service_category of the org (its code or a label), or
 * null: "refuse these rows". The same value map and matching as the contacts' and signals'
 * `values` (value-map.ts); only the key in the mapping JSON differs (`categories`).
 */

/** How a service's category was found: the candidate that decided and how it matched. */
export interface CategoryHit {
	/** The candidate that matched or was refused; the first one when none did. */
	value: string;
	r: Resolved;
	/** The default category's id, for a value that found no entry (the row still warns). */
	fallback?: number;
}

export interface CategoryResolver {
	/**
	 * The first candidate the user mapped (or refused), else the first that is a code or label of
	 * the vocabulary, else no match (with the default category when there is one). Null without
	 * candidates.
	 */
	resolve(candidates: readonly string[]): CategoryHit | null;
	/** Mapping targets that are no category of the org (file-level errors). */
	problems: RowIssue[];
	/** The default category's id and label (the label for the "for now" part of the message). */
	fallback: number | undefined;
	defaultLabel: string | undefined;
}

export function createCategoryResolver(
	entries: readonly VocabularyEntry[],
	map: Record<string, string | null> = {},
	defaultCategory?: string
): CategoryResolver {
	const values = new ValueResolver(entries, map);
	const problems = values.unknownTargets.map((t) => rowIssue(0, '', 'unknown_category_code', t.code));
	let fallback: number | undefined;
	if (defaultCategory !== undefined) {
		const d = new ValueResolver(entries).resolve(defaultCategory);
		if ('id' in d) fallback = d.id;
		else problems.push(rowIssue(0, '', 'unknown_category_code', defaultCategory));
	}
	const label = entries.find((e) => e.id === fallback)?.nl;
	return {
		problems,
		fallback,
		defaultLabel: label,
		resolve(candidates) {
			if (candidates.length === 0) return null;
			const found = candidates.map((value) => ({ value, r: values.resolve(value) }));
			const hit = found.find((c) => c.r.how === 'mapped' || c.r.how === 'rejected') ?? found.find((c) => 'id' in c.r) ?? found[0]!;
			return 'id' in hit.r || hit.r.how === 'rejected' || fallback === undefined ? hit : { ...hit, fallback };
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
	/** Counts each category value and how it matched (the dry run's list of values to map). */
	tally?: ValueTally;
}

type Fields = Pick<ServiceCsvMapping, 'name' | 'category' | 'address' | 'capacity' | 'openingHours' | 'externalId'>;

/** The non-geometric part of a service row, shared by CSV, GeoJSON and HSDS. */
export function validateServiceFields(
	get: (f: string | undefined) => string,
	m: Fields,
	point: LatLng | null,
	issue: IssueMaker,
	resolver: CategoryResolver,
	opts: { categoryCandidates?: string[]; fallbackId?: string; tally?: ValueTally } = {}
): { row: ServiceRow | null; errors: RowIssue[]; warnings: RowIssue[]; contentKey: string } {
	const errors: RowIssue[] = [];
	const warnings: RowIssue[] = [];
	const name = get(m.name);
	if (name === '') errors.push(issue(m.name, 'required'));
	else if (name.length > MAX_NAME) errors.push(issue(m.name, 'too_long', name, { max: String(MAX_NAME) }));

	let category = 0;
	const candidates = opts.categoryCandidates ?? (m.category !== undefined && get(m.category) !== '' ? [get(m.category)] : []);
	const hit = resolver.resolve(candidates);
	const col = m.category ?? '';
	if (hit && !opts.categoryCandidates) opts.tally?.add('category', hit.value, hit.r);
	const fallback = hit ? hit.fallback : resolver.fallback;
	if (hit && 'id' in hit.r) category = hit.r.id;
	else if (hit?.r.how === 'rejected') errors.push(issue(col, 'rejected_value', hit.value));
	else if (fallback !== undefined) {
		category = fallback;
		warnings.push(issue(col, 'unmapped_category', hit?.value ?? '', { fallback: resolver.defaultLabel ?? '' }));
	} else if (!hit) errors.push(issue(col, 'required'));
	else errors.push(issue(col, 'unmapped_category', hit.value));

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
		const r = validateServiceFields(get, mapping, p.point, (f, c, v, x) => rowIssue(row, f, c, v, x), resolver, { tally: ctx.tally });
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
	const r = validateServiceFields(get, m, point, issue, resolver, {
		fallbackId: m.externalId === undefined ? featureId : '',
		tally: ctx.tally
	});
	errors.push(...r.errors);
	warnings.push(...r.warnings);
	return r.row && errors.length === 0 ? { ok: true, row: r.row, warnings, contentKey: r.contentKey } : { ok: false, errors, warnings };
}
