// Areas (districts, statistical sectors, drawn zones) from a GeoJSON layer of Polygons and
// MultiPolygons, and numeric indicators per area from a CSV keyed by area code. The user picks
// the layer name and which properties hold the code and the name. Geometries are checked (type,
// rings of ≥ 4 positions, closed, numeric positions) and rejected with the feature's number and
// the property. What real open data has is repaired, with a warning naming the feature and what
// was done: a hole repeating its outer ring is dropped, tiny loops and spikes are cut off (one
// rule, relative to the polygon's area), a ring crossing itself that can be split unambiguously
// is split, and a feature over MAX_POSITIONS positions is simplified. Other crossings are refused
// with where they are (ring-crossings.ts). Lambert 72/2008 coordinates (old GIS exports) are
// converted to WGS84.
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { unkinkPolygon } from '@turf/unkink-polygon';
import { simplify } from '@turf/simplify';
import { detectCrs, toWgs84, type Crs, type OrgArea } from './coordinates';
import { parseCount, parseDecimal } from './values';
import { pathArea, removeSmallLoops, repeatsRing, ringProblems, tidy } from './ring-crossings';
import { rowIssue, type RowIssue } from './row-errors';
import { hash128 } from './hash';
import type { AreaIndicatorMapping, AreaMapping } from './mapping';
import { collectRows, type ParseSummary, type RowBatch, type Validated } from './rows';
import { parseCsvRows, type CsvSource } from './csv-rows';
import { CRS_NAMES } from './points';
import { featureIssue, featuresOf, propertyText, withFeatureCode, type GeoFeature } from './geojson';
import type { TextEncodingName } from './decode';
import type { Separator } from './sniff';

export interface AreaRow {
	/** The code; named externalId so the shared duplicate rules apply. */
	externalId: string;
	name: string;
	parentCode: string | null;
	population: number | null;
	geometry: Polygon | MultiPolygon;
}

const MAX_CODE = 60;
/** Positions a feature may have before it is simplified (a municipality's boundary needs a few thousand). */
export const MAX_POSITIONS = 20_000;
/** How far simplification may move the boundary, in metres. */
const SIMPLIFY_METRES = 1.5;
const METRES_PER_DEGREE = 111_320;
const MAX_NAME = 200;
/** 7 decimals ≈ 1 cm: more is noise, and it keeps the stored JSON small. */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

type Ring = { nl: string; en: string };

function ringName(polygon: number | null, ring: number): Ring {
	const r = ring === 0 ? { nl: 'de buitenring', en: 'the outer ring' } : { nl: `binnenring ${ring}`, en: `inner ring ${ring}` };
	return polygon === null ? r : { nl: `polygoon ${polygon + 1}, ${r.nl}`, en: `polygon ${polygon + 1}, ${r.en}` };
}

const isPosition = (p: unknown): p is Position =>
	Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);

export interface GeometryCheck {
	/** WGS84, rounded to 7 decimals; absent when there are errors. */
	geometry?: Polygon | MultiPolygon;
	errors: RowIssue[];
	/** Tiny self-touching loops (rounded coordinates): kept. */
	warnings: RowIssue[];
	crs?: Crs;
	bbox?: [number, number, number, number];
}

/**
 * Validates and normalises a Polygon/MultiPolygon. `crs` 'auto' detects the system from the
 * first position; every position is then converted with it.
 */
export function checkPolygonGeometry(g: GeoFeature['geometry'], n: number, crs: Crs | 'auto', prop = 'geometry'): GeometryCheck {
	const errors: RowIssue[] = [];
	if (!g || typeof g !== 'object') return { errors: [featureIssue(n, prop, 'required')], warnings: [] };
	if (g.type !== 'Polygon' && g.type !== 'MultiPolygon')
		return { errors: [featureIssue(n, prop, 'not_polygon', propertyText(g.type))], warnings: [] };
	const polygons: unknown[] = g.type === 'Polygon' ? [g.coordinates] : Array.isArray(g.coordinates) ? g.coordinates : [undefined];
	const ringIssue = (code: 'too_few_positions' | 'unclosed_ring' | 'invalid_position', r: Ring, value: string, extra: Record<string, string> = {}) =>
		featureIssue(n, prop, code, value, { ringNl: r.nl, ringEn: r.en, ...extra });
	if (polygons.length === 0) errors.push(ringIssue('too_few_positions', ringName(null, 0), '', { n: '0' }));
	let used: Crs | undefined = crs === 'auto' ? undefined : crs;
	polygons.forEach((poly, pi) => {
		const pIndex = g.type === 'Polygon' ? null : pi;
		if (!Array.isArray(poly) || poly.length === 0) {
			errors.push(ringIssue('too_few_positions', ringName(pIndex, 0), '', { n: '0' }));
			return;
		}
		poly.forEach((ring: unknown, ri: number) => {
			const name = ringName(pIndex, ri);
			if (!Array.isArray(ring)) {
				errors.push(ringIssue('invalid_position', name, JSON.stringify(ring ?? null).slice(0, 40)));
				return;
			}
			const bad = ring.find((p) => !isPosition(p));
			if (bad !== undefined) {
				errors.push(ringIssue('invalid_position', name, JSON.stringify(bad ?? null).slice(0, 40)));
				return;
			}
			const positions = ring as Position[];
			if (positions.length < 4) {
				errors.push(ringIssue('too_few_positions', name, '', { n: String(positions.length) }));
				return;
			}
			const first = positions[0]!;
			const last = positions[positions.length - 1]!;
			if (first[0] !== last[0] || first[1] !== last[1])
				errors.push(ringIssue('unclosed_ring', name, `${first[0]}, ${first[1]}`, { last: `${last[0]}, ${last[1]}` }));
			if (used === undefined) used = detectCrs(first[0]!, first[1]!) ?? undefined;
		});
	});
	if (errors.length > 0) return { errors, warnings: [] };
	const warnings: RowIssue[] = [];
	const at = (p: Position) => `${round7(p[0]!)}, ${round7(p[1]!)}`;
	/** m² of twice an area in the positions' units (degrees² at the polygon's latitude, or metres²). */
	const squareMetres = (twice: number, lat: number) =>
		used === 'wgs84' ? (twice / 2) * METRES_PER_DEGREE ** 2 * Math.cos((lat * Math.PI) / 180) : twice / 2;
	const fixed: Position[][][] = [];
	(polygons as Position[][][]).forEach((given, pi) => {
		const pIndex = g.type === 'Polygon' ? null : pi;
		const warn = (
			code: 'hole_repeats_outer' | 'loop_removed' | 'ring_repaired',
			ring: number,
			value?: string,
			extra: Record<string, string> = {}
		) => {
			const r = ringName(pIndex, ring);
			warnings.push(featureIssue(n, prop, code, value, { ringNl: r.nl, ringEn: r.en, ...extra }));
		};
		// a hole that repeats the outer ring (some exports write every polygon so): dropped
		const original: number[] = [0];
		given.slice(1).forEach((hole, h) => {
			if (repeatsRing(hole, given[0]!)) warn('hole_repeats_outer', h + 1);
			else original.push(h + 1);
		});
		// tiny loops and spikes, in whichever ring: cut off
		const cleaned = removeSmallLoops(original.map((r) => given[r]!));
		if (cleaned.removed.length > 0) {
			const first = cleaned.removed[0]!;
			const m2 = squareMetres(
				cleaned.removed.reduce((sum, l) => sum + l.area, 0),
				first.at[1]!
			);
			const text = m2 === 0 ? '0' : m2 < 0.01 ? '< 0.01' : m2 < 1 ? m2.toPrecision(1) : m2 < 10 ? m2.toFixed(1) : String(Math.round(m2));
			warn('loop_removed', original[first.ring]!, at(first.at), { n: String(cleaned.removed.length), areaNl: text.replace('.', ','), areaEn: text });
		}
		const rings = cleaned.rings;
		const found = ringProblems(rings);
		if (found.length === 0) return void fixed.push(rings);
		// a ring crossing itself that splits unambiguously (no holes to place): split
		const crossing = found[0]!;
		if (rings.length === 1 && found.every((p) => p.kind === 'crossing' && p.ring === 0 && p.other === 0)) {
			const pieces = splitRing(rings[0]!);
			if (pieces && crossing.kind === 'crossing') {
				warn('ring_repaired', 0, at(crossing.at), { n: String(pieces.length) });
				return void fixed.push(...pieces.map((p) => [p]));
			}
		}
		const first = found.find((p) => p.kind === 'hole_outside') ?? crossing;
		const r = ringName(pIndex, original[first.ring]!);
		if (first.kind === 'hole_outside') {
			errors.push(featureIssue(n, prop, 'hole_outside', undefined, { ringNl: r.nl, ringEn: r.en }));
			return;
		}
		const other = first.other === first.ring ? { nl: 'zichzelf', en: 'itself' } : ringName(null, original[first.other]!);
		errors.push(featureIssue(n, prop, 'ring_crosses', at(first.at), { ringNl: r.nl, ringEn: r.en, otherNl: other.nl, otherEn: other.en }));
	});
	if (errors.length > 0) return { errors, warnings };
	if (used === undefined) {
		const p = (polygons[0] as Position[][])[0]![0]!;
		return { errors: [featureIssue(n, prop, 'unrecognised_coordinates', `${p[0]}, ${p[1]}`)], warnings };
	}
	const c = used;
	let failed: Position | undefined;
	const convertRing = (ring: Position[]): Position[] =>
		ring.map((p) => {
			const q = toWgs84(p[0]!, p[1]!, c);
			if (!q) {
				failed ??= p;
				return p;
			}
			return [round7(q.lng), round7(q.lat)];
		});
	let geometry: Polygon | MultiPolygon =
		g.type === 'Polygon' && fixed.length === 1
			? { type: 'Polygon', coordinates: fixed[0]!.map(convertRing) }
			: { type: 'MultiPolygon', coordinates: fixed.map((poly) => poly.map(convertRing)) };
	if (failed) return { errors: [featureIssue(n, prop, 'unrecognised_coordinates', `${failed[0]}, ${failed[1]}`)], warnings };
	const before = positionCount(geometry);
	if (before > MAX_POSITIONS) {
		// Douglas–Peucker in degrees: a degree of longitude is the shorter, so the tolerance in
		// degrees of latitude bounds the shift in both directions
		const simpler = simplify(geometry, { tolerance: SIMPLIFY_METRES / METRES_PER_DEGREE, highQuality: true });
		const polys = simpler.type === 'Polygon' ? [simpler.coordinates] : simpler.coordinates;
		const counts = { before: String(before), max: String(MAX_POSITIONS) };
		if (polys.some((rings) => rings.some((ring) => ring.length < 4) || ringProblems(rings).length > 0))
			return { errors: [featureIssue(n, prop, 'too_many_positions', undefined, counts)], warnings };
		geometry = simpler;
		const tol = String(SIMPLIFY_METRES);
		warnings.push(featureIssue(n, prop, 'simplified', undefined, { ...counts, after: String(positionCount(geometry)), tol }));
	}
	return { geometry, errors: [], warnings, crs: c, bbox: bboxOf(geometry) };
}

/**
 * Whether an area lies entirely outside the organisation's: its bbox misses the org's bbox, or
 * (with a boundary) no position of either lies inside the other.
 */
function outsideArea(g: Polygon | MultiPolygon, [gw, gs, ge, gn]: [number, number, number, number], area: OrgArea): boolean {
	const [w, s, e, n] = area.bbox;
	if (ge < w || gw > e || gn < s || gs > n) return true;
	const b = area.boundary;
	if (!b) return false;
	const positions = (x: Polygon | MultiPolygon) => (x.type === 'Polygon' ? [x.coordinates] : x.coordinates).flat(2);
	return !positions(g).some((p) => booleanPointInPolygon(p, b)) && !positions(b).some((p) => booleanPointInPolygon(p, g));
}

/**
 * An organisation's boundary from a GeoJSON file: a Polygon or MultiPolygon, bare, as a Feature
 * or as a FeatureCollection of one feature; checked and repaired as an area is.
 */
export function readBoundary(
	value: unknown
): { ok: true; geometry: Polygon | MultiPolygon; bbox: [number, number, number, number]; warnings: RowIssue[] } | { ok: false; errors: RowIssue[] } {
	const v = value as GeoFeature & { features?: unknown };
	let g: unknown = v;
	if (v && v.type === 'FeatureCollection') {
		const features = Array.isArray(v.features) ? (v.features as GeoFeature[]) : [];
		if (features.length !== 1) return { ok: false, errors: [rowIssue(0, '', 'boundary_features', String(features.length))] };
		g = features[0]?.geometry;
	} else if (v && v.type === 'Feature') g = v.geometry;
	const c = checkPolygonGeometry(g as GeoFeature['geometry'], 1, 'auto');
	if (c.errors.length > 0 || !c.geometry || !c.bbox) return { ok: false, errors: c.errors };
	return { ok: true, geometry: c.geometry, bbox: c.bbox, warnings: c.warnings };
}

function positionCount(g: Polygon | MultiPolygon): number {
	const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
	return polys.reduce((sum, rings) => sum + rings.reduce((s, ring) => s + ring.length, 0), 0);
}

function bboxOf(g: Polygon | MultiPolygon): [number, number, number, number] {
	let w = Infinity,
		s = Infinity,
		e = -Infinity,
		nn = -Infinity;
	for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
		for (const ring of rings)
			for (const p of ring) {
				w = Math.min(w, p[0]!);
				e = Math.max(e, p[0]!);
				s = Math.min(s, p[1]!);
				nn = Math.max(nn, p[1]!);
			}
	return [w, s, e, nn];
}

/**
 * A ring crossing itself split into simple rings (Turf's unkink), or null when that is not
 * unambiguous: unkink fails (a ring passing a position twice), gives one ring, or gives rings
 * inside others (a ring winding twice: a hole or a doubled area? the file does not say).
 */
function splitRing(ring: Position[]): Position[][] | null {
	let pieces: Position[][];
	try {
		const feature = {
			type: 'Feature' as const,
			properties: {},
			geometry: { type: 'Polygon' as const, coordinates: [tidy(ring).map((p) => [p[0]!, p[1]!])] }
		};
		pieces = unkinkPolygon(feature).features.map((f) => f.geometry.coordinates[0]!);
	} catch {
		return null;
	}
	if (pieces.length < 2 || pieces.some((p) => p.length < 4 || pathArea(p) === 0 || ringProblems([p]).length > 0)) return null;
	const nested = pieces.some((a, i) =>
		pieces.some((b, j) => i !== j && a.some((p) => booleanPointInPolygon(p, { type: 'Polygon', coordinates: [b] }, { ignoreBoundary: true })))
	);
	return nested ? null : pieces;
}

/** Inhabitants: a whole number from 0 ("1.234" is 1234); "1,234" is ambiguous, say so. */
function readPopulation(raw: string): { ok: true; value: number } | { ok: false; code: 'ambiguous_number' | 'invalid_population' } {
	const p = parseCount(raw);
	if (p.ok && p.value >= 0 && p.value <= 2_147_483_647) return p;
	return { ok: false, code: !p.ok && p.code === 'ambiguous_number' ? 'ambiguous_number' : 'invalid_population' };
}

export interface AreaContext {
	area: OrgArea;
	/** Keep areas lying entirely outside the org's area (default: reject). */
	acceptOutside?: boolean;
	/** Codes of the layer's areas stored already (a code differing from one only in case is refused). */
	storedCodes?: Iterable<string>;
}

/** A parsed area layer (FeatureCollection) → one batch of area rows. */
export function parseAreasGeoJson(value: unknown, mapping: AreaMapping, ctx: AreaContext): RowBatch<AreaRow> {
	const fc = featuresOf(value);
	if (!fc.ok) {
		const batch = collectRows<AreaRow>([], () => rowIssue(0, '', 'required'));
		batch.errors.push(fc.issue);
		return batch;
	}
	const converted = new Map<Crs, number>();
	const features = fc.features;
	// Codes as indicator files match them (case and spaces ignored): two areas whose codes differ
	// only there could never be told apart, so the second is refused. 0: stored already.
	const byKey = new Map<string, { code: string; n: number }>();
	for (const code of ctx.storedCodes ?? []) byKey.set(codeKey(code), { code, n: 0 });
	function* items(): Generator<{ n: number; result: Validated<AreaRow> }> {
		for (let i = 0; i < features.length; i++) {
			const n = i + 1;
			const f = features[i] ?? {};
			const props = f.properties ?? {};
			const get = (p: string | undefined) => (p === undefined ? '' : propertyText(props[p]));
			const errors: RowIssue[] = [];
			const warnings: RowIssue[] = [];
			const code = get(mapping.code);
			if (code === '') errors.push(featureIssue(n, mapping.code, 'required'));
			else if (code.length > MAX_CODE) errors.push(featureIssue(n, mapping.code, 'too_long', code, { max: String(MAX_CODE) }));
			else {
				const other = byKey.get(codeKey(code));
				if (!other) byKey.set(codeKey(code), { code, n });
				else if (other.code !== code) {
					errors.push(
						featureIssue(n, mapping.code, 'code_case', code, {
							other: other.code,
							firstNl: other.n === 0 ? 'een opgeslagen gebied van deze laag' : `object ${other.n}`,
							firstEn: other.n === 0 ? 'a stored area of this layer' : `feature ${other.n}`
						})
					);
				}
			}
			const name = get(mapping.name);
			if (name === '') errors.push(featureIssue(n, mapping.name, 'required'));
			else if (name.length > MAX_NAME) errors.push(featureIssue(n, mapping.name, 'too_long', name, { max: String(MAX_NAME) }));
			const parent = get(mapping.parent);
			if (parent.length > MAX_CODE) errors.push(featureIssue(n, mapping.parent!, 'too_long', parent, { max: String(MAX_CODE) }));
			let population: number | null = null;
			const popRaw = get(mapping.population);
			if (popRaw !== '') {
				const p = readPopulation(popRaw);
				if (p.ok) population = p.value;
				else errors.push(featureIssue(n, mapping.population!, p.code, popRaw));
			}
			const g = checkPolygonGeometry(f.geometry, n, mapping.crs ?? 'auto');
			errors.push(...g.errors.map((e) => withFeatureCode(e, n, code)));
			warnings.push(...g.warnings.map((w) => withFeatureCode(w, n, code)));
			if (g.crs && g.crs !== 'wgs84') converted.set(g.crs, (converted.get(g.crs) ?? 0) + 1);
			if (g.bbox && g.geometry) {
				if (outsideArea(g.geometry, g.bbox, ctx.area)) {
					const issue = featureIssue(n, 'geometry', 'geometry_outside', code || String(n));
					(ctx.acceptOutside ? warnings : errors).push(issue);
				}
			}
			if (errors.length > 0 || !g.geometry) {
				yield { n, result: { ok: false, errors, warnings } };
				continue;
			}
			const row: AreaRow = { externalId: code, name, parentCode: parent || null, population, geometry: g.geometry };
			const contentKey = hash128(JSON.stringify([name, row.parentCode, population, g.geometry]));
			yield { n, result: { ok: true, row, warnings, contentKey } };
		}
	}
	const batch = collectRows(items(), (n, first, id, same) =>
		featureIssue(n, mapping.code, 'duplicate_code', id, {
			firstNl: `object ${first}${same ? ' (identiek; overgeslagen)' : ''}`,
			firstEn: `feature ${first}${same ? ' (identical; skipped)' : ''}`
		})
	);
	for (const [crs, count] of converted) batch.warnings.unshift(rowIssue(0, '', 'crs_converted', String(count), { crs: CRS_NAMES[crs] }));
	return batch;
}

// ---------------------------------------------------------------------------------------------
// Area indicators (CSV keyed by area code)
// ---------------------------------------------------------------------------------------------

export interface IndicatorRow {
	/** The area code. */
	externalId: string;
	population: number | null;
	values: { indicator: string; value: number }[];
}

export const MAX_INDICATOR_NAME = 100;

const codeKey = (code: string) => code.trim().normalize('NFC').toUpperCase();

/**
 * Finds a layer's code as a CSV spells it: exactly, else ignoring case and surrounding spaces
 * (spreadsheets retype "W1" as "w1"). Leading zeros do count: "01" and "1" may be two codes.
 * Two stored codes that differ only in case make a non-exact spelling ambiguous: refused.
 */
export function areaCodeMatcher(codes: Iterable<string>) {
	const exact = new Set<string>();
	const folded = new Map<string, string[]>();
	for (const c of codes) {
		exact.add(c);
		const k = codeKey(c);
		const list = folded.get(k);
		if (list) list.push(c);
		else folded.set(k, [c]);
	}
	return (raw: string): { ok: true; code: string } | { ok: false; candidates: string[] } => {
		if (exact.has(raw)) return { ok: true, code: raw };
		const found = folded.get(codeKey(raw)) ?? [];
		return found.length === 1 ? { ok: true, code: found[0]! } : { ok: false, candidates: found };
	};
}

export interface IndicatorContext {
	/** Codes of the layer's areas; a row with another code is rejected. */
	knownCodes: Iterable<string>;
	encoding?: TextEncodingName;
	separator?: Separator;
	batchSize?: number;
	totalBytes?: number;
}

/**
 * Streams an indicator CSV. Empty cells are skipped (the stored value stays); a non-numeric
 * cell rejects its row naming row and column; unknown codes are rejected.
 */
export function parseAreaIndicatorsCsv(
	source: CsvSource,
	mapping: AreaIndicatorMapping,
	ctx: IndicatorContext
): AsyncGenerator<RowBatch<IndicatorRow>, ParseSummary, undefined> {
	const listed = Array.isArray(mapping.indicators) ? mapping.indicators : [];
	return parseCsvRows<IndicatorRow>(source, {
		columns: [mapping.code, ...(mapping.population ? [mapping.population] : []), ...listed],
		idColumn: mapping.code,
		encoding: ctx.encoding,
		separator: ctx.separator,
		batchSize: ctx.batchSize,
		totalBytes: ctx.totalBytes,
		validator: ({ resolve, headers }) => {
			const matchCode = areaCodeMatcher(ctx.knownCodes);
			const codeCol = resolve(mapping.code);
			const popCol = mapping.population ? resolve(mapping.population) : undefined;
			const cols = mapping.indicators === '*' ? headers.filter((h) => h !== codeCol && h !== popCol) : listed.map(resolve);
			return (record, row) => {
				const errors: RowIssue[] = [];
				let code = (record[codeCol] ?? '').trim();
				const found = code === '' ? undefined : matchCode(code);
				if (!found) errors.push(rowIssue(row, codeCol, 'required'));
				else if (found.ok)
					code = found.code; // the layer's spelling: one area, one id for duplicates
				else if (found.candidates.length === 0) errors.push(rowIssue(row, codeCol, 'unknown_area', code, { layer: mapping.layer }));
				else {
					const list = found.candidates.map((c) => `‘${c}’`).join(', ');
					errors.push(
						rowIssue(row, codeCol, 'ambiguous_value', code, {
							listNl: `gebiedscodes van laag ‘${mapping.layer}’ (${list})`,
							listEn: `area codes of layer ‘${mapping.layer}’ (${list})`
						})
					);
				}
				let population: number | null = null;
				if (popCol) {
					const raw = (record[popCol] ?? '').trim();
					if (raw !== '') {
						const p = readPopulation(raw);
						if (p.ok) population = p.value;
						else errors.push(rowIssue(row, popCol, p.code, raw));
					}
				}
				const values: IndicatorRow['values'] = [];
				for (const col of cols) {
					const raw = (record[col] ?? '').trim();
					if (raw === '') continue;
					if (col.length > MAX_INDICATOR_NAME) errors.push(rowIssue(row, col, 'too_long', col, { max: String(MAX_INDICATOR_NAME) }));
					const v = parseDecimal(raw);
					if (v.ok) values.push({ indicator: col, value: v.value });
					else errors.push(rowIssue(row, col, v.code, raw));
				}
				if (errors.length > 0) return { ok: false, errors, warnings: [] };
				return { ok: true, row: { externalId: code, population, values }, warnings: [], contentKey: hash128(JSON.stringify([population, values])) };
			};
		}
	});
}
