// Areas (districts, statistical sectors, drawn zones) from a GeoJSON layer of Polygons and
// MultiPolygons, and numeric indicators per area from a CSV keyed by area code. The user picks
// the layer name and which properties hold the code and the name. Geometries are checked (type,
// rings of ≥ 4 positions, closed, numeric positions) and rejected with the feature's number and
// the property; so are rings that cross themselves or each other (ring-crossings.ts). Lambert
// 72/2008 coordinates (old GIS exports) are converted to WGS84.
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { detectCrs, toWgs84, type Crs, type OrgArea } from './coordinates';
import { parseCount, parseDecimal } from './values';
import { ringProblems, SMALL_LOOP } from './ring-crossings';
import { rowIssue, type RowIssue } from './row-errors';
import { hash128 } from './hash';
import type { AreaIndicatorMapping, AreaMapping } from './mapping';
import { collectRows, type ParseSummary, type RowBatch, type Validated } from './rows';
import { parseCsvRows, type CsvSource } from './csv-rows';
import { CRS_NAMES } from './points';
import { featureIssue, featuresOf, propertyText, type GeoFeature } from './geojson';
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
	(polygons as Position[][][]).forEach((rings, pi) => {
		const pIndex = g.type === 'Polygon' ? null : pi;
		const found = ringProblems(rings);
		const bad = found.find((p) => p.kind === 'hole_outside' || p.share >= SMALL_LOOP);
		const first = bad ?? found[0];
		if (!first) return;
		const r = ringName(pIndex, first.ring);
		if (first.kind === 'hole_outside') {
			errors.push(featureIssue(n, prop, 'hole_outside', undefined, { ringNl: r.nl, ringEn: r.en }));
			return;
		}
		const other = first.other === first.ring ? { nl: 'zichzelf', en: 'itself' } : ringName(null, first.other);
		const at = `${round7(first.at[0]!)}, ${round7(first.at[1]!)}`;
		const extra = { ringNl: r.nl, ringEn: r.en, otherNl: other.nl, otherEn: other.en, ...(bad ? {} : { small: '1' }) };
		(bad ? errors : warnings).push(featureIssue(n, prop, 'ring_crosses', at, extra));
	});
	if (errors.length > 0) return { errors, warnings };
	if (used === undefined) {
		const p = (polygons[0] as Position[][])[0]![0]!;
		return { errors: [featureIssue(n, prop, 'unrecognised_coordinates', `${p[0]}, ${p[1]}`)], warnings };
	}
	const c = used;
	let w = Infinity,
		s = Infinity,
		e = -Infinity,
		nn = -Infinity;
	let failed: Position | undefined;
	const convertRing = (ring: Position[]): Position[] =>
		ring.map((p) => {
			const q = toWgs84(p[0]!, p[1]!, c);
			if (!q) {
				failed ??= p;
				return p;
			}
			const out = [round7(q.lng), round7(q.lat)];
			w = Math.min(w, out[0]!);
			e = Math.max(e, out[0]!);
			s = Math.min(s, out[1]!);
			nn = Math.max(nn, out[1]!);
			return out;
		});
	const geometry: Polygon | MultiPolygon =
		g.type === 'Polygon'
			? { type: 'Polygon', coordinates: (g.coordinates as Position[][]).map(convertRing) }
			: { type: 'MultiPolygon', coordinates: (g.coordinates as Position[][][]).map((poly) => poly.map(convertRing)) };
	if (failed) return { errors: [featureIssue(n, prop, 'unrecognised_coordinates', `${failed[0]}, ${failed[1]}`)], warnings };
	return { geometry, errors: [], warnings, crs: c, bbox: [w, s, e, nn] };
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
			errors.push(...g.errors);
			warnings.push(...g.warnings);
			if (g.crs && g.crs !== 'wgs84') converted.set(g.crs, (converted.get(g.crs) ?? 0) + 1);
			if (g.bbox) {
				const [w, s, e, nn] = ctx.area.bbox;
				const [gw, gs, ge, gn] = g.bbox;
				if (ge < w || gw > e || gn < s || gs > nn) {
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
