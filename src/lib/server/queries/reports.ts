// The coverage report: per area of a layer, for a period and the two it is compared with, the
// contacts, persons, referrals and visited cells (one SQL statement over the monthly rollup and
// the edge days, grouped by period and planning-resolution cell), open signals, underserved
// zones and services near. Areas become cells once per (organisation, layer, data version).
import { daysBetween } from '../../domain/calendar';
import { unpackCell } from '../../domain/cells';
import { CELL_KEY_MODULUS, cellKey, publishValue, splitOfValues } from '../../domain/privacy';
import { UNRESOLVED_STATUSES } from '../../domain/signals';
import { splitPeriod } from '../../domain/period-split';
import { gapRanking, type GapRow } from '../../domain/reports/gap';
import { comparisonPeriods, type Period } from '../../domain/reports/indicators';
import {
	exactReportRow,
	publishReportRow,
	UNDERSERVED_ZONE_SCORE,
	type AreaCounts,
	type AreaKeys,
	type AreaShape,
	type ReportFigures
} from '../../domain/reports/row';
import type { Sql } from '../db';
import { perDatabase } from '../per-database';
import { UNKNOWN_TARGET } from '../../domain/reports/targets';
import { publishedAreas, type PublishedAreas } from './published';
import { targetsByPeriodCell } from './referral-targets';
import { layerCells, toRes, type LayerCells } from './report-layers';
import { underservedZones, type UnderservedResult } from './underserved';

export { areaCodeOf, layerCells, type LayerCells } from './report-layers';

export interface ReportOptions {
	layer: string;
	period: Period;
	/** Planning resolution: coverage is counted on its cells. */
	res: number;
	/** Resolution of the underserved zones (the analyst's policy resolution for analysts). */
	zoneRes: number;
	/** Analysts' threshold: figures are published with it. Null: exact. */
	k: number | null;
	/** The organisation's data version (the key of the layer's cells). */
	version: string;
}

export interface ReportPeriod {
	from: string;
	to: string;
	areas: ReportFigures[];
	total: ReportFigures;
	/** Referrals by target category (id; UNKNOWN_TARGET: none named): per area (by index) and in total. */
	byTarget: { areas: Map<number, number | null>[]; total: Map<number, number | null> };
}

export interface CoverageResult {
	layer: LayerCells;
	current: ReportPeriod;
	previous: ReportPeriod;
	yearEarlier: ReportPeriod;
	gap: GapRow[];
}

const emptyCounts = (): AreaCounts => ({
	contacts: 0,
	persons: 0,
	referrals: 0,
	visitedCells: 0,
	daysSinceLast: [],
	underserved: 0,
	signals: 0,
	services: 0
});

export async function coverageReport(sql: Sql, orgId: number, o: ReportOptions): Promise<CoverageResult> {
	const layer = await layerCells(sql, orgId, o.layer, o.res, o.zoneRes, o.version);
	const { previous, yearEarlier } = comparisonPeriods(o.period);
	const periods = [o.period, previous, yearEarlier];
	const zoneArea = (cell: string) => layer.areaOf.get(toRes(cell, o.zoneRes, o.res));
	const k = o.k;
	// each period's rows are kept per data version: the next report asks two of them again
	const key = (res: number) => (p: Period) => JSON.stringify([orgId, o.version, res, p.from, p.to]);
	const [cellRows, signalRows, zones, published, targetRows] = await Promise.all([
		byPeriod(cellCaches(sql), periods, key(o.res), (ps) => contactsByPeriodCell(sql, orgId, ps, o.res)),
		// at the zone resolution: an analyst's area signals are the sum of the zones' they see
		byPeriod(signalCaches(sql), periods, key(o.zoneRes), (ps) => openSignalsByPeriodCell(sql, orgId, ps, o.zoneRes)),
		Promise.all(periods.map((p) => zonesOf(sql, orgId, p, o))),
		// analysts: the map's figures at their resolution, by area (the same cells and period)
		k === null
			? null
			: Promise.all(
					periods.map((p) =>
						kept(areaCaches(sql), JSON.stringify([orgId, o.version, o.zoneRes, k, o.layer, o.res, p.from, p.to]), () =>
							analystAreas(sql, orgId, p, o.zoneRes, k, { name: o.layer, codes: layer.codes }, (packed) => zoneArea(unpackCell(packed, o.zoneRes)))
						)
					)
				),
		// coordinators: exact referrals by target (analysts': the map's, in `published`)
		k === null ? byPeriod(targetCaches(sql), periods, key(o.res), (ps) => targetsByPeriodCell(sql, orgId, ps, o.res)) : null
	]);

	const n = layer.codes.length;
	const counts = periods.map(() => Array.from({ length: n }, emptyCounts));
	const totals = periods.map(emptyCounts);
	cellRows.forEach((rows, p) => {
		for (const r of rows) {
			const t = totals[p]!;
			t.contacts += r.contacts;
			t.persons += r.persons;
			t.referrals += r.referrals;
			const days = daysBetween(r.lastDay, periods[p]!.to);
			const i = layer.areaOf.get(r.cell);
			if (i === undefined) continue;
			const c = counts[p]![i]!;
			c.contacts += r.contacts;
			c.persons += r.persons;
			c.referrals += r.referrals;
			c.visitedCells += 1;
			c.daysSinceLast.push(days);
			t.visitedCells += 1;
			t.daysSinceLast.push(days);
		}
	});
	const signalKeys = periods.map(() => ({ areas: layer.codes.map(() => 0), total: 0 }));
	// analysts: each zone's open signals as its reasons and score publish them (publishZoneInput),
	// the parts an area's (and the total's) signals are guarded against
	const zoneSignals = periods.map(() => ({ areas: layer.codes.map((): (number | null)[] => []), all: [] as (number | null)[] }));
	signalRows.forEach((rows, p) => {
		for (const r of rows) {
			totals[p]!.signals += r.n;
			const sk = signalKeys[p]!;
			sk.total = (sk.total + r.key) % CELL_KEY_MODULUS;
			const i = zoneArea(r.cell);
			const zone = k === null ? null : publishValue(r.n, cellKey(r.key, 'signals'), k);
			zoneSignals[p]!.all.push(zone);
			if (i === undefined) continue;
			zoneSignals[p]!.areas[i]!.push(zone);
			counts[p]![i]!.signals += r.n;
			sk.areas[i] = (sk.areas[i]! + r.key) % CELL_KEY_MODULUS;
		}
	});
	zones.forEach((z, p) => {
		for (const zone of z.zones) {
			if (zone.score < UNDERSERVED_ZONE_SCORE) continue;
			totals[p]!.underserved += 1;
			const i = zoneArea(zone.cell);
			if (i !== undefined) counts[p]![i]!.underserved += 1;
		}
	});
	for (const t of totals) t.services = layer.totalServices;
	for (const per of counts) per.forEach((c, i) => (c.services = layer.services[i]!));

	// analysts: every figure by the cell-key rule, contacts, persons and referrals as the map's
	// Open signals: an area's against its zones', the total against all zones and the areas.
	const keysOf = (pi: number, i: number | null, areaRows: readonly ReportFigures[]): AreaKeys => {
		const pa = published![pi]!;
		const nothing = { contacts: 0, persons: 0, referrals: 0 };
		const zs = zoneSignals[pi]!;
		return i === null
			? {
					published: pa.total,
					contactKey: pa.totalKey,
					signalKey: signalKeys[pi]!.total,
					signalParts: [
						splitOfValues(zs.all, k!),
						splitOfValues(
							areaRows.map((r) => r.signals),
							k!
						)
					]
				}
			: {
					published: pa.areas.get(String(i)) ?? nothing,
					contactKey: pa.areaKeys.get(String(i)) ?? 0,
					signalKey: signalKeys[pi]!.areas[i]!,
					signalParts: [splitOfValues(zs.areas[i]!, k!)]
				};
	};
	const row = (pi: number, i: number | null, c: AreaCounts, shape: AreaShape, areaRows: readonly ReportFigures[] = []) =>
		k === null ? exactReportRow(c, shape) : publishReportRow(c, shape, k, keysOf(pi, i, areaRows));
	const known = layer.population.filter((x): x is number => x !== null);
	const totalShape: AreaShape = { cells: layer.cells.reduce((a, b) => a + b, 0), population: known.length ? known.reduce((a, b) => a + b, 0) : null };
	const report = periods.map((p, pi): ReportPeriod => {
		const areas = counts[pi]!.map((c, i) => row(pi, i, c, { cells: layer.cells[i]!, population: layer.population[i]! }));
		const byTarget = published
			? { areas: layer.codes.map((_, i) => published[pi]!.areaTargets.get(String(i)) ?? new Map()), total: published[pi]!.totalTargets }
			: exactTargets(
					targetRows![pi]!,
					(cell) => layer.areaOf.get(cell),
					counts[pi]!.map((c) => c.referrals),
					totals[pi]!.referrals
				);
		return { from: p.from, to: p.to, areas, total: row(pi, null, totals[pi]!, totalShape, areas), byTarget };
	});

	// the gap ranking: the current period's zones, by area, with their residents
	const byArea = layer.codes.map(() => [] as { score: number; residents: number }[]);
	for (const zone of zones[0]!.zones) {
		const i = zoneArea(zone.cell);
		if (i !== undefined) byArea[i]!.push({ score: zone.score, residents: zones[0]!.residents.get(zone.cell) ?? 0 });
	}
	const gap = gapRanking(
		layer.codes.map((code, i) => ({ code, name: layer.names[i]!, zones: byArea[i]!, zoneCount: layer.zoneCells[i]!, figures: report[0]!.areas[i]! })),
		report[0]!.total
	);
	return { layer, current: report[0]!, previous: report[1]!, yearEarlier: report[2]!, gap };
}

type AnalystAreas = PublishedAreas & { areaKeys: Map<string, number>; totalKey: number };

/** An analyst's map figures of a period by area (index as text), with each area's contact key sum. */
async function analystAreas(
	sql: Sql,
	orgId: number,
	p: Period,
	res: number,
	k: number,
	layer: { name: string; codes: readonly string[] },
	areaOf: (packed: string) => number | undefined
): Promise<AnalystAreas> {
	const q = { res, from: p.from, to: p.to, types: null, groups: null, teams: null, bbox: null };
	const area = (packed: string) => {
		const i = areaOf(packed);
		return i === undefined ? null : String(i);
	};
	// the map's areas of this layer (by code; the same cells as `area` gives), here by index
	const pa = await publishedAreas(sql, orgId, q, k, layer.name);
	const index = new Map(layer.codes.map((code, i) => [code, String(i)]));
	const byIndex = <T>(m: Map<string, T>) => new Map([...m].flatMap(([code, f]) => (index.has(code) ? [[index.get(code)!, f] as const] : [])));
	const areas = byIndex(pa.areas);
	const areaTargets = byIndex(pa.areaTargets);
	const areaKeys = new Map<string, number>();
	let totalKey = 0;
	pa.keyed.cells.forEach((cell, j) => {
		const key = pa.keyed.contactKeys[j]!;
		totalKey = (totalKey + key) % CELL_KEY_MODULUS;
		const a = area(cell);
		if (a !== null) areaKeys.set(a, ((areaKeys.get(a) ?? 0) + key) % CELL_KEY_MODULUS);
	});
	return { ...pa, areas, areaTargets, areaKeys, totalKey };
}

/** Coordinators' referrals by target: the known targets' counts, the rest of the referrals as unknown. */
function exactTargets(
	rows: readonly { cell: string; target: number; n: number }[],
	areaOf: (cell: string) => number | undefined,
	areaReferrals: readonly number[],
	totalReferrals: number
): ReportPeriod['byTarget'] {
	const areas = areaReferrals.map(() => new Map<number, number | null>());
	const total = new Map<number, number | null>();
	const add = (m: Map<number, number | null>, t: number, n: number) => m.set(t, (m.get(t) ?? 0)! + n);
	for (const r of rows) {
		add(total, r.target, r.n);
		const i = areaOf(r.cell);
		if (i !== undefined) add(areas[i]!, r.target, r.n);
	}
	const rest = (m: Map<number, number | null>, referrals: number) => {
		const named = [...m.values()].reduce<number>((a, b) => a + b!, 0);
		if (referrals > named) m.set(UNKNOWN_TARGET, referrals - named);
	};
	areas.forEach((m, i) => rest(m, areaReferrals[i]!));
	rest(total, totalReferrals);
	return { areas, total };
}

// A period's zones are asked again as the "previous quarter" or "a year earlier" of other
// reports; scoring them is most of a report's time (E2SFCA), so they are kept per database and data version.
const zoneCaches = perDatabase<Promise<UnderservedResult>>();
const ZONE_CACHE_MAX = 48;

// Likewise an analyst's published areas of a period (the map's question, published whole): the
// same period as another report's comparison is the same figures at the same data version.
const areaCaches = perDatabase<Promise<AnalystAreas>>();

// And the report's own rows of a period (contacts per cell, open signals, coordinators' targets).
const cellCaches = perDatabase<Promise<CellRow[]>>();
const signalCaches = perDatabase<Promise<SignalRow[]>>();
const targetCaches = perDatabase<Promise<TargetRow[]>>();

/**
 * Each period's rows, kept in `cache` under `key(period)`; the periods not kept are asked in one
 * call of `fetch`, whose rows carry the index of their period among those asked (`p`).
 */
function byPeriod<R extends { p: number }>(
	cache: Map<string, Promise<R[]>>,
	periods: readonly Period[],
	key: (p: Period) => string,
	fetch: (asked: Period[]) => Promise<R[]>
): Promise<R[][]> {
	const hits = periods.map((p) => cache.get(key(p)));
	const missing = periods.filter((_, i) => !hits[i]);
	const asked = missing.length ? fetch(missing) : null;
	return Promise.all(
		periods.map((p, i) => {
			const j = missing.indexOf(p);
			return hits[i] ?? kept(cache, key(p), () => asked!.then((rows) => rows.filter((r) => r.p === j)));
		})
	);
}

/** A kept answer of a cache of at most ZONE_CACHE_MAX, or `compute`'s (dropped again if it fails). */
function kept<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
	const hit = cache.get(key);
	if (hit) return hit;
	const pending = compute();
	if (cache.size >= ZONE_CACHE_MAX) cache.delete(cache.keys().next().value!);
	cache.set(key, pending);
	pending.catch(() => cache.delete(key));
	return pending;
}

function zonesOf(sql: Sql, orgId: number, p: Period, o: ReportOptions): Promise<UnderservedResult> {
	const key = JSON.stringify([orgId, o.version, o.zoneRes, o.k, p.from, p.to]);
	const q = { res: o.zoneRes, from: p.from, to: p.to, types: null, groups: null, teams: null };
	const k = o.k;
	// analysts' zones are scored from published inputs, as on their map (api/underserved)
	return kept(zoneCaches(sql), key, () =>
		k === null ? underservedZones(sql, orgId, q) : underservedZones(sql, orgId, q, k, { recencyInPeriod: true })
	);
}

interface SignalRow {
	p: number;
	cell: string;
	n: number;
	key: number;
}

type TargetRow = Awaited<ReturnType<typeof targetsByPeriodCell>>[number];

interface CellRow {
	p: number;
	cell: string;
	contacts: number;
	persons: number;
	referrals: number;
	lastDay: string;
}

/**
 * Contacts per period and planning-resolution cell, in one statement: whole months from the
 * rollup, the edge days from the contacts, each part tagged with its period's index.
 */
async function contactsByPeriodCell(sql: Sql, orgId: number, periods: readonly Period[], res: number): Promise<CellRow[]> {
	const brussels = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Brussels')`;
	const parts = periods.flatMap((p, i) => {
		const { months, days } = splitPeriod(p.from, p.to);
		return [
			...(months
				? [
						sql`select ${i}::int, cell, contacts, persons, referrals, last_at from contact_rollup_month
							where org_id = ${orgId} and month >= ${months[0]}::date and month < ${months[1]}::date`
					]
				: []),
			...days.map(
				([from, to]) => sql`select ${i}::int, cell, 1, persons::int, referral::int, occurred_at from contact_moment
					where org_id = ${orgId} and occurred_at >= ${brussels(from)} and occurred_at < ${brussels(to)}`
			)
		];
	});
	const union = parts.reduce((acc, part) => sql`${acc} union all ${part}`);
	// grouped on the bigint parent; the text id and the local day are made once per group
	const rows = await sql`
		with agg as (
			select p, h3_parent(cell, ${res}) as c,
				sum(contacts)::int as contacts, sum(persons)::int as persons, sum(referrals)::int as referrals,
				max(last_at) as last_at
			from (${union}) as part (p, cell, contacts, persons, referrals, last_at)
			group by 1, 2
		)
		select p, to_hex(c) as cell, contacts, persons, referrals, (last_at at time zone 'Europe/Brussels')::date::text as last_day
		from agg`;
	return rows.map((r) => ({
		p: r.p as number,
		cell: r.cell as string,
		contacts: r.contacts as number,
		persons: r.persons as number,
		referrals: r.referrals as number,
		lastDay: r.last_day as string
	}));
}

/**
 * Signals not yet followed up (open, assigned, visited: as the underserved zones count them) that
 * were reported by each period's last day, per cell at `res`.
 */
async function openSignalsByPeriodCell(sql: Sql, orgId: number, periods: readonly Period[], res: number): Promise<SignalRow[]> {
	const ends = periods.map((p) => p.to);
	const rows = await sql`
		select e.p::int as p, to_hex(h3_parent(s.cell, ${res})) as cell, count(*)::int as n,
			(sum(s.record_key::bigint) % ${CELL_KEY_MODULUS})::int as key
		from signal s
		join unnest(${ends}::date[]) with ordinality as e(day, p)
			on s.reported_at < ((e.day + 1)::timestamp at time zone 'Europe/Brussels')
		where s.org_id = ${orgId} and s.status = any(${[...UNRESOLVED_STATUSES]}::text[])
		group by 1, 2`;
	return rows.map((r) => ({ p: (r.p as number) - 1, cell: r.cell as string, n: r.n as number, key: r.key as number }));
}
