// Service locations from a CSV or a GeoJSON FeatureCollection of points, validated row by row
// into `service_location` rows (a res-12 cell, never the raw point). Besides the service rules
// this module holds the pieces the other non-contact imports share (signals, area indicators,
// the HSDS package): a generic streamed CSV reader with the contacts import's row numbering,
// duplicate handling and counts; a point reader with the same swapped/CRS/outside checks; and
// issue helpers for features (GeoJSON) and package tables (HSDS). Server-side (csv-parse).
import type { VocabularyEntry } from '../vocabulary';
import { decodeBytes, type TextEncodingName } from './decode';
import type { Separator } from './sniff';
import { parseDecimal } from './values';
import { buildVocabularyIndex, matchKey, matchVocabulary } from './vocab-match';
import { resolvePoint, snapPoint, type Crs, type CrsChoice, type LatLng, type OrgArea } from './coordinates';
import { rowIssue, type IssueCode, type RowIssue } from './row-errors';
import { hash128 } from './hash';
import {
	categoryMapSchema,
	serviceCsvMappingSchema,
	serviceGeoJsonMappingSchema,
	type ServiceCsvMapping,
	type ServiceGeoJsonMapping
} from './mapping';
export {
	categoryMapSchema,
	serviceCsvMappingSchema,
	serviceGeoJsonMappingSchema,
	type ServiceCsvMapping,
	type ServiceGeoJsonMapping
};
import type { SeenResult } from './seen-ids';
import {
	emptyCounts,
	parseCsvBatches,
	resolveColumn,
	type CsvStreamOptions,
	type ImportCounts,
	type ParseSummary,
	type RowBatch,
	type RowValidator,
	type Validated
} from './csv-records';

export type { ImportCounts, ParseSummary, RowBatch, RowValidator, Validated };
export { emptyCounts, resolveColumn };

/** Service locations are public places: a fine cell (~9 m edge) is kept for the map symbol. */
export const SERVICE_CELL_RES = 12;
/** GeoJSON and HSDS packages are read whole; larger files must be split. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

const MAX_NAME = 200;
const MAX_ADDRESS = 300;
const MAX_HOURS = 255;
const MAX_ID = 200;
const MAX_CAPACITY = 100_000;

// ---------------------------------------------------------------------------------------------
// Shared: validated rows, batches, issues
// ---------------------------------------------------------------------------------------------

const q = (s: string) => `‘${s}’`;

/** An issue about feature `n` (1-based, features[n-1]) and one of its properties. */
export function featureIssue(
	n: number,
	property: string,
	code: IssueCode,
	value?: string,
	extra: Record<string, string> = {}
): RowIssue {
	const base = rowIssue(n, '', code, value, extra);
	if (n === 0) return { ...base, field: property };
	const body = { nl: base.message.nl.slice(`Rij ${n}: `.length), en: base.message.en.slice(`Row ${n}: `.length) };
	const where = property
		? { nl: `Object ${n}, eigenschap ${q(property)}`, en: `Feature ${n}, property ${q(property)}` }
		: { nl: `Object ${n}`, en: `Feature ${n}` };
	return { ...base, field: property, message: { nl: `${where.nl}: ${body.nl}`, en: `${where.en}: ${body.en}` } };
}

/** An issue of a package table: the file name goes in front ("services.csv: Rij 3, kolom ‘name’: …"). */
export function tableIssue(
	file: string,
	row: number,
	field: string,
	code: IssueCode,
	value?: string,
	extra: Record<string, string> = {}
): RowIssue & { file: string } {
	const base = rowIssue(row, field, code, value, extra);
	return { ...base, file, message: { nl: `${file}: ${base.message.nl}`, en: `${file}: ${base.message.en}` } };
}

/** The first row and content per external id, kept exactly (a Map: for files far smaller than contacts). */
function exactSeenIds() {
	const seen = new Map<string, { row: number; key: string }>();
	return {
		check(id: string, contentKey: string, row: number): SeenResult {
			const first = seen.get(id);
			if (!first) {
				seen.set(id, { row, key: contentKey });
				return { kind: 'new' };
			}
			return { kind: first.key === contentKey ? 'same' : 'conflict', first: first.row };
		}
	};
}

/**
 * Keeps the first row per external id: a later identical row is a duplicate (warning, skipped),
 * a later different one an error. The one structure that grows with the file.
 */
export function createDeduplicator(onDuplicate: (line: number, first: number, id: string, same: boolean) => RowIssue) {
	const seen = exactSeenIds();
	return (id: string, contentKey: string, line: number): { keep: true } | { keep: false; duplicate: boolean; issue: RowIssue } => {
		const first = seen.check(id, contentKey, line);
		if (first.kind === 'new') return { keep: true };
		const same = first.kind === 'same';
		return { keep: false, duplicate: same, issue: onDuplicate(line, first.first, id, same) };
	};
}

/** Adds validated items (GeoJSON features, package rows) into one batch with the usual counts. */
export function collectRows<T extends { externalId: string }>(
	items: Iterable<{ n: number; result: Validated<T> }>,
	onDuplicate: (line: number, first: number, id: string, same: boolean) => RowIssue
): RowBatch<T> {
	const batch: RowBatch<T> = {
		rows: [], rowLines: [], errors: [], warnings: [], rejected: [], headers: [],
		progress: { bytesRead: 0 }, counts: emptyCounts()
	};
	const dedupe = createDeduplicator(onDuplicate);
	for (const { n, result } of items) {
		batch.counts.records++;
		batch.warnings.push(...result.warnings);
		if (!result.ok) {
			batch.counts.rejected++;
			batch.errors.push(...result.errors);
			continue;
		}
		const d = dedupe(result.row.externalId, result.contentKey, n);
		if (d.keep) {
			batch.counts.valid++;
			batch.rows.push(result.row);
			batch.rowLines.push(n);
		} else if (d.duplicate) {
			batch.counts.duplicates++;
			batch.warnings.push(d.issue);
		} else {
			batch.counts.rejected++;
			batch.errors.push(d.issue);
		}
	}
	return batch;
}

// ---------------------------------------------------------------------------------------------
// Shared: streamed CSV rows (the contacts reader's mechanics, for any validator)
// ---------------------------------------------------------------------------------------------

export interface CsvRowsOptions<T> extends CsvStreamOptions {
	/** Every column the mapping names (checked against the header). */
	columns: readonly string[];
	/**
	 * Builds the row validator once the header is read. `resolve` turns a mapped column into the
	 * file's own spelling of it (every mapped column exists by then).
	 */
	validator: (ctx: { resolve: (col: string) => string; headers: readonly string[]; separator: Separator }) => RowValidator<T>;
	/** The ID column (resolved), named by 'duplicate_id' errors. */
	idColumn?: string;
}

/**
 * Streams a CSV through a validator: batches of valid rows and issues, cumulative counts and
 * bytes read, exactly like the contacts import (encoding and separator sniffed on the head;
 * blank and ';;;;' lines skipped; broken quotes reported per record; a mapped column missing
 * from the header stops with 'missing_column'; an external id seen before is a duplicate when
 * the content is the same, else a 'duplicate_id' error).
 */
export function parseCsvRows<T extends { externalId: string }>(
	chunks: AsyncIterable<Uint8Array>,
	opts: CsvRowsOptions<T>
): AsyncGenerator<RowBatch<T>, ParseSummary, undefined> {
	return parseCsvBatches<T>(chunks, {
		...opts,
		header: (headers, separator) => {
			const missing = opts.columns.filter((c) => resolveColumn(c, headers) === undefined);
			if (missing.length > 0) return { missing: [...new Set(missing)] };
			const idColumn = opts.idColumn === undefined ? undefined : resolveColumn(opts.idColumn, headers);
			const validate = opts.validator({ resolve: (c) => resolveColumn(c, headers) ?? c, headers, separator });
			return { validate, idColumn };
		},
		seen: exactSeenIds()
	});
}

/** Reads a whole upload (GeoJSON, a package) into text, refusing more than `max` bytes. */
export async function readAllText(
	chunks: AsyncIterable<Uint8Array>,
	max = MAX_JSON_BYTES
): Promise<{ ok: true; text: string; bytes: number } | { ok: false; issue: RowIssue }> {
	const parts: Uint8Array[] = [];
	let bytes = 0;
	for await (const c of chunks) {
		bytes += c.byteLength;
		if (bytes > max) return { ok: false, issue: rowIssue(0, '', 'file_too_large', undefined, { max: `${Math.round(max / 1048576)} MB` }) };
		parts.push(c);
	}
	const all = new Uint8Array(bytes);
	let at = 0;
	for (const p of parts) {
		all.set(p, at);
		at += p.byteLength;
	}
	return { ok: true, text: decodeBytes(all).text, bytes };
}

/** JSON.parse with the error as a file-level issue. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; issue: RowIssue } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (e) {
		return { ok: false, issue: rowIssue(0, '', 'invalid_json', undefined, { detail: (e as Error).message.slice(0, 120) }) };
	}
}

// ---------------------------------------------------------------------------------------------
// Shared: points
// ---------------------------------------------------------------------------------------------

export const CRS_NAMES: Record<Crs, string> = { wgs84: 'WGS84', lambert72: 'Lambert 72', lambert2008: 'Lambert 2008' };

export interface PointOptions {
	area: OrgArea;
	/** Accept swapped coordinates, fixed, with a warning (default: reject, suggest the fix). */
	fixSwapped?: boolean;
	/** Accept points outside the area with a warning (default: reject). */
	acceptOutside?: boolean;
}

type IssueMaker = (fields: string | readonly string[], code: IssueCode, value?: string, extra?: Record<string, string>) => RowIssue;

/**
 * An (east, north) pair → a WGS84 point inside the area, with the contacts import's rules:
 * swapped pairs and a wrong CRS are named with their fix; outside points are refused unless
 * accepted. `fields` are the north and east column (or property) names, for the messages.
 */
export function checkPoint(
	east: number,
	north: number,
	crs: CrsChoice,
	fields: readonly [string, string],
	o: PointOptions,
	issue: IssueMaker
): { point: LatLng | null; errors: RowIssue[]; warnings: RowIssue[] } {
	const errors: RowIssue[] = [];
	const warnings: RowIssue[] = [];
	const text = `${north} / ${east}`;
	const p = resolvePoint(east, north, crs, o.area);
	let point: LatLng | null = null;
	if (p.ok) point = p.point;
	else if (p.code === 'swapped' && o.fixSwapped) {
		point = p.fixed;
		warnings.push(issue(fields, 'swapped_fixed', text));
	} else if (p.code === 'swapped') errors.push(issue(fields, 'swapped', text, { a: fields[0], b: fields[1] }));
	else if (p.code === 'crs_mismatch')
		errors.push(issue(fields, 'crs_mismatch', text, { detected: CRS_NAMES[p.detected], declared: CRS_NAMES[p.crs] }));
	else if (p.code === 'outside' && o.acceptOutside) {
		point = p.point;
		warnings.push(issue(fields, 'outside', text));
	} else errors.push(issue(fields, p.code, text));
	return { point, errors, warnings };
}

export interface PointColumns {
	lat?: string;
	lng?: string;
	x?: string;
	y?: string;
	crs?: CrsChoice;
}

/** The point of a CSV row: the lat/lng pair when both are filled, else x/y (as contacts). */
export function pointFromColumns(
	get: (col: string | undefined) => string,
	m: PointColumns,
	row: number,
	o: PointOptions
): { point: LatLng | null; errors: RowIssue[]; warnings: RowIssue[] } {
	const useLatLng = m.lat !== undefined && m.lng !== undefined && get(m.lat) !== '' && get(m.lng) !== '';
	const northCol = useLatLng ? m.lat : (m.y ?? m.lat);
	const eastCol = useLatLng ? m.lng : (m.x ?? m.lng);
	const errors: RowIssue[] = [];
	if (northCol === undefined || eastCol === undefined) return { point: null, errors, warnings: [] };
	const nRaw = get(northCol);
	const eRaw = get(eastCol);
	const n = parseDecimal(nRaw);
	const e = parseDecimal(eRaw);
	if (nRaw === '') errors.push(rowIssue(row, northCol, 'required'));
	else if (!n.ok) errors.push(rowIssue(row, northCol, n.code, nRaw));
	if (eRaw === '') errors.push(rowIssue(row, eastCol, 'required'));
	else if (!e.ok) errors.push(rowIssue(row, eastCol, e.code, eRaw));
	if (!n.ok || !e.ok || errors.length) return { point: null, errors, warnings: [] };
	return checkPoint(e.value, n.value, m.crs ?? 'auto', [northCol, eastCol], o, (f, c, v, x) => {
		const text = `${nRaw} / ${eRaw}`;
		return rowIssue(row, f, c, c === 'swapped' || c === 'swapped_fixed' || c === 'crs_mismatch' || c === 'outside' || c === 'unrecognised_coordinates' ? text : v, x);
	});
}

// ---------------------------------------------------------------------------------------------
// Opening hours (OpenStreetMap opening_hours syntax)
// ---------------------------------------------------------------------------------------------

const OSM_DAY = '(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)';
const OSM_DAYS = `${OSM_DAY}(?:\\[-?[1-5]\\])?(?:-${OSM_DAY})?(?:,${OSM_DAY}(?:\\[-?[1-5]\\])?(?:-${OSM_DAY})?)*`;
const OSM_MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const OSM_MONTHS = `${OSM_MONTH}(?:-${OSM_MONTH})?(?:,${OSM_MONTH}(?:-${OSM_MONTH})?)*`;
const OSM_TIME = '(?:[01]\\d|2[0-4]):[0-5]\\d';
const OSM_END = '(?:[0-3]\\d|4[0-8]):[0-5]\\d';
const OSM_SPANS = `${OSM_TIME}-${OSM_END}(?:,${OSM_TIME}-${OSM_END})*`;
const OSM_COMMENT = '"[^"]*"';
const OSM_RULE = new RegExp(
	`^(?:24/7|(?:${OSM_MONTHS} )?(?:${OSM_DAYS})(?: (?:${OSM_SPANS}|off|closed))?(?: ${OSM_COMMENT})?|(?:${OSM_MONTHS} )?${OSM_SPANS}(?: ${OSM_COMMENT})?|${OSM_COMMENT})$`
);

// Two-letter French abbreviations are left out: "di" is Tuesday in Dutch, Sunday in French.
const DAY_WORDS: [RegExp, string][] = [
	[/\b(?:maandag|maandagen|ma|mon|monday|mo|lundi)\b/gi, 'Mo'],
	[/\b(?:dinsdag|dinsdagen|di|tue|tues|tuesday|tu|mardi)\b/gi, 'Tu'],
	[/\b(?:woensdag|woensdagen|wo|wed|wednesday|we|mercredi)\b/gi, 'We'],
	[/\b(?:donderdag|donderdagen|do|thu|thur|thurs|thursday|th|jeudi)\b/gi, 'Th'],
	[/\b(?:vrijdag|vrijdagen|vr|fri|friday|fr|vendredi)\b/gi, 'Fr'],
	[/\b(?:zaterdag|zaterdagen|za|sat|saturday|sa|samedi)\b/gi, 'Sa'],
	[/\b(?:zondag|zondagen|zo|sun|sunday|su|dimanche)\b/gi, 'Su'],
	[/\b(?:feestdagen|feestdag|ph|holidays?)\b/gi, 'PH']
];

const hhmm = (h: string, m: string | undefined) => `${h.padStart(2, '0')}:${(m ?? '00').padStart(2, '0')}`;

/**
 * Opening hours → OSM `opening_hours` text. Text already in (the common subset of) that syntax
 * passes unchanged; Dutch, French and English notations as people type them are rewritten:
 * "ma-vr 9u-17u", "maandag t/m vrijdag 9.00 - 17.00 uur", "za 10-14, zo gesloten" become
 * "Mo-Fr 09:00-17:00", "Sa 10:00-14:00; Su off". Anything else is not guessed: the caller keeps
 * the text as it is and warns. Empty → null.
 */
export function normaliseOpeningHours(raw: string): { ok: true; value: string | null } | { ok: false; value: string } {
	const s = raw.trim().replace(/\s+/g, ' ');
	if (s === '') return { ok: true, value: null };
	const strict = s.split(/\s*;\s*/).filter(Boolean);
	if (strict.every((r) => OSM_RULE.test(r))) return { ok: true, value: strict.join('; ') };

	const rules: string[] = [];
	// rules end at ';' or '||', or at a comma after a time or "closed" that a new day group follows
	for (const part of s.split(/\s*(?:;|\|\|)\s*|(?<=\d|gesloten|closed|off)\s*,\s*(?=[A-Za-z])/i)) {
		if (!part) continue;
		let r = part
			.replace(/[\u2013\u2014]/g, '-')
			.replace(/\b(?:t\/m|tot en met|tot|till|to|until)\b/gi, '-')
			.replace(/\s*&\s*|\s+(?:en|and|et)\s+/gi, ',');
		// time spans: 9u-17u, 9.30 - 17 uur, 09h00-17h00, 9:00-12:30
		r = r.replace(
			/(\d{1,2})(?:[:.hu](\d{2}))?\s*(?:u|h|uur)?\s*-\s*(\d{1,2})(?:[:.hu](\d{2}))?\s*(?:uur|u|h)?(?![\d:])/gi,
			(_, h1: string, m1: string | undefined, h2: string, m2: string | undefined) => `${hhmm(h1, m1)}-${hhmm(h2, m2)}`
		);
		r = r.replace(/\b(?:gesloten|closed|ferme)\b/gi, 'off');
		if (/^(?:24\/7|dag en nacht|altijd open|always open)$/i.test(r.trim())) {
			rules.push('24/7');
			continue;
		}
		for (const [re, day] of DAY_WORDS) r = r.replace(re, day);
		r = r
			.replace(/\s*([-,])\s*/g, '$1')
			.replace(new RegExp(`(${OSM_DAY}):\\s*`, 'g'), '$1 ')
			.replace(/\s+/g, ' ')
			.trim();
		rules.push(r);
	}
	if (rules.length > 0 && rules.every((r) => OSM_RULE.test(r))) return { ok: true, value: rules.join('; ') };
	return { ok: false, value: s };
}

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

/**
 * The user's category mapping: a source value (an HSDS taxonomy term code or name, a category
 * text in the file, a service name) → a service_category of the org (its code or a label).
 * Source values that are themselves a code or label of the vocabulary need no entry.
 */

export interface CategoryResolver {
	/** The first candidate that maps (user mapping first, then the vocabulary itself). */
	resolve(candidates: readonly string[]): { id: number; viaDefault: boolean } | null;
	/** Mapping targets that are no category of the org (file-level errors). */
	problems: RowIssue[];
	/** The default category's label, for the "for now" part of the message. */
	defaultLabel: string | undefined;
}

export function createCategoryResolver(
	entries: readonly VocabularyEntry[],
	map: Record<string, string> = {},
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
	const user = new Map<string, number>();
	for (const [from, to] of Object.entries(map)) {
		const id = target(to);
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
	return [...new Set([m.name, m.category, m.address, m.capacity, m.openingHours, m.externalId, m.lat, m.lng, m.x, m.y].filter((c): c is string => c !== undefined))];
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
	if (hit) {
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
	chunks: AsyncIterable<Uint8Array>,
	mapping: ServiceCsvMapping,
	ctx: ServiceContext & { encoding?: TextEncodingName; separator?: Separator; batchSize?: number; totalBytes?: number }
): AsyncGenerator<RowBatch<ServiceRow>, ParseSummary, undefined> {
	const problems = createCategoryResolver(ctx.categories, mapping.categories, mapping.defaultCategory).problems;
	if (problems.length > 0) {
		const batch: RowBatch<ServiceRow> = {
			rows: [], rowLines: [], errors: problems, warnings: [], rejected: [], headers: [],
			progress: { bytesRead: 0 }, counts: { ...emptyCounts(), rejected: 0 }
		};
		yield batch;
		return { encoding: 'utf-8', separator: ';', headers: [], counts: batch.counts };
	}
	return yield* parseCsvRows(chunks, {
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

export interface GeoFeature {
	type?: unknown;
	id?: unknown;
	geometry?: { type?: unknown; coordinates?: unknown } | null;
	properties?: Record<string, unknown> | null;
}

/** A property value as cell text: numbers as written in JSON, null/absent as ''. */
export function propertyText(v: unknown): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return v.trim();
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return JSON.stringify(v);
}

/** The features of a FeatureCollection, or a file-level issue. */
export function featuresOf(value: unknown): { ok: true; features: GeoFeature[] } | { ok: false; issue: RowIssue } {
	const v = value as { type?: unknown; features?: unknown } | null;
	if (!v || typeof v !== 'object' || v.type !== 'FeatureCollection' || !Array.isArray(v.features))
		return { ok: false, issue: rowIssue(0, '', 'not_feature_collection', propertyText(v && typeof v === 'object' ? v.type : typeof v)) };
	return { ok: true, features: v.features as GeoFeature[] };
}

/** What a FeatureCollection offers, for the mapping step: property names, geometry types, samples. */
export function inspectFeatures(features: readonly GeoFeature[], sample = 5) {
	const properties = new Set<string>();
	const geometryTypes: Record<string, number> = {};
	for (const f of features) {
		for (const k of Object.keys(f?.properties ?? {})) properties.add(k);
		const t = typeof f?.geometry?.type === 'string' ? f.geometry.type : 'null';
		geometryTypes[t] = (geometryTypes[t] ?? 0) + 1;
	}
	return {
		features: features.length,
		geometryTypes,
		properties: [...properties],
		sample: features.slice(0, sample).map((f) => Object.fromEntries(Object.entries(f?.properties ?? {}).map(([k, v]) => [k, propertyText(v)])))
	};
}

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
		featureIssue(n, mapping.externalId ?? 'id', 'duplicate_code', id, { firstNl: `object ${first}${same ? ' (identiek; overgeslagen)' : ''}`, firstEn: `feature ${first}${same ? ' (identical; skipped)' : ''}` })
	);
}

function validateServiceFeature(
	f: GeoFeature,
	n: number,
	m: ServiceGeoJsonMapping,
	ctx: ServiceContext,
	resolver: CategoryResolver
): Validated<ServiceRow> {
	const issue: IssueMaker = (fields, code, value, extra) => featureIssue(n, typeof fields === 'string' ? fields : fields[0] ?? '', code, value, extra);
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
