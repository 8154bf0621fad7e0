// What an analyst gets: the map aggregation published by the one rule (domain/privacy.ts). Every
// analyst figure of a cell or an area (map, hex panel, underserved, hotspots, reports, trends,
// exports) comes from here, so the same question gives the same figures wherever it is asked.
//
// One question is published as a whole (publishedQuestion): its cells, its areas in every area
// layer of the organisation, and its totals. Without a filter, the same question split by contact
// type and by target group is published too (each split is a question an analyst may ask on its
// own), and every total is guarded against every split an analyst can set it against (publishTotal's
// guard, guardValue): a cell against its types; an area against its cells, its types and its
// groups; a total against its cells, its types, its groups and the areas of each layer. So the
// map's total, the report's total (whatever its layer) and the trend's total are one figure.
import type { HexQuery } from '../../domain/hex-query';
import {
	guardValue,
	publishAreaTotals,
	publishColumns,
	publishColumnsAgainst,
	publishFigures,
	splitOf,
	splitOfValues,
	totalFigures,
	type PublishedColumns,
	type PublishedFigures,
	type Split
} from '../../domain/privacy';
import type { Sql } from '../db';
import { dataVersion } from '../data-version';
import { areaLayers } from './areas';
import {
	coarseGroupRows,
	coarseServes,
	collectKeyed,
	hexAggregateKeyed,
	keyedCellRows,
	splitAggregateKeyed,
	type KeyedHexColumns,
	type SplitColumns
} from './hexes';
import { areaCodeOf, layerCells } from './report-layers';
import { keyedTargetCells } from './referral-targets';
import { publishTargets, referralSplit, targetsByGroup } from '../../domain/reports/targets';

export interface PublishedHexes extends PublishedColumns {
	res: number;
	from: string;
	to: string;
}

/** The published columns of a map question (cells and totals, as /api/hexes gives them). */
export async function publishedHexes(sql: Sql, orgId: number, q: HexQuery, k: number): Promise<PublishedHexes> {
	return (await publishedQuestion(sql, orgId, q, k)).published;
}

/** The true keyed columns with their publication (for callers that group cells, e.g. areas). */
export async function keyedAndPublished(
	sql: Sql,
	orgId: number,
	q: HexQuery,
	k: number
): Promise<{ keyed: KeyedHexColumns; published: PublishedHexes; types: Map<number, KeyedHexColumns> }> {
	const { keyed, published, types } = await publishedQuestion(sql, orgId, q, k);
	return { keyed, published, types: new Map([...types].map(([id, part]) => [id, part.keyed])) };
}

/** One question (or one split of it) as published: its cells and totals, its areas by layer. */
export interface PublishedPart {
	keyed: KeyedHexColumns;
	published: PublishedHexes;
	/** Per area layer, per area code: the area's totals over its cells. */
	areas: Map<string, Map<string, PublishedFigures>>;
}

/** Referrals per target category (id; 0: unknown), as published; null: "< k" (or an area of "< k" contacts). */
export interface PublishedTargets {
	/** Per area layer, per area code. */
	areas: Map<string, Map<string, Map<number, number | null>>>;
	total: Map<number, number | null>;
}

export interface PublishedQuestion extends PublishedPart {
	/** Without a filter: the question per contact type and per target group, each published as asked alone. */
	types: Map<number, PublishedPart>;
	groups: Map<number, PublishedPart>;
	/** Without a filter or bbox: the referrals by target category (the areas' and the total's referrals are guarded against them). */
	targets: PublishedTargets | null;
}

type AreaOf = (packed: string) => string | null;

/**
 * Every area layer of the organisation as the area of a packed cell at `res` (its centre's
 * planning-resolution cell, as the report assigns it), remembered per cell.
 */
async function layerAreas(sql: Sql, orgId: number, res: number, version: string): Promise<Map<string, AreaOf>> {
	const [[org], layers] = await Promise.all([
		sql`select least(planning_res, storage_res)::int as base from organisation where org_id = ${orgId}`,
		areaLayers(sql, orgId)
	]);
	const base = (org?.base as number | undefined) ?? res;
	const out = new Map<string, AreaOf>();
	for (const layer of layers) {
		// only the areas' cells are needed here, not their zone counts: the zone resolution is the
		// planning one (the map's may be finer, and a finer "parent" does not exist)
		const of = areaCodeOf(await layerCells(sql, orgId, layer, base, base, version), res, base);
		const seen = new Map<string, string | null>();
		out.set(layer, (packed) => {
			let a = seen.get(packed);
			if (a === undefined) seen.set(packed, (a = of(packed)));
			return a;
		});
	}
	return out;
}

const cellsOf = (p: PublishedColumns): PublishedFigures[] =>
	p.cells.map((_, i) => ({ contacts: p.contacts[i]!, persons: p.persons[i]!, referrals: p.referrals[i]! }));

const withTotals = (p: PublishedHexes, totals: PublishedFigures): PublishedHexes => ({ ...p, totals });

const hexes = (cols: KeyedHexColumns, p: PublishedColumns): PublishedHexes => ({ res: cols.res, from: cols.from, to: cols.to, ...p });

/** A question without splits (a filtered question, or one split of the plain one). */
function publishPart(cols: KeyedHexColumns, k: number, layers: Map<string, AreaOf>, published = publishColumns(cols, k)): PublishedPart {
	const pre = hexes(cols, published);
	const areas = new Map([...layers].map(([layer, areaOf]) => [layer, publishAreaTotals(cols, pre, k, areaOf)]));
	const splits = [splitOf(cellsOf(pre), k), ...[...areas.values()].map((a) => splitOf(a.values(), k))];
	return { keyed: cols, published: withTotals(pre, publishFigures(totalFigures(cols), k, splits)), areas };
}

/** Questions being computed, per database handle (two databases may share an organisation id and version). */
const inFlight = new WeakMap<Sql, Map<string, Promise<PublishedQuestion>>>();

/**
 * A map question published whole (see the head of this file). The same question at the same data
 * version asked while it is being computed (the report and its underserved zones ask the same
 * quarters at once) is computed once. Finished answers are kept by the answer cache of the
 * routes, not here, so a second call computes again (as the benches measure).
 */
export async function publishedQuestion(sql: Sql, orgId: number, q: HexQuery, k: number): Promise<PublishedQuestion> {
	const version = await dataVersion(sql, orgId);
	let pending = inFlight.get(sql);
	if (!pending) inFlight.set(sql, (pending = new Map()));
	const key = JSON.stringify([orgId, version, k, q.res, q.from, q.to, q.types, q.groups, q.teams, q.bbox]);
	const hit = pending.get(key);
	if (hit) return hit;
	const computing = computeQuestion(sql, orgId, q, k, version);
	pending.set(key, computing);
	const done = () => pending.delete(key);
	computing.then(done, done);
	return computing;
}

/** The question's keyed columns, and without a filter its splits by type and group (one statement where the rollup serves it). */
async function splitColumns(sql: Sql, orgId: number, q: HexQuery, plain: boolean): Promise<SplitColumns> {
	const one = plain ? await splitAggregateKeyed(sql, orgId, q) : null;
	if (one) return one;
	const [{ all, types }, groups] = await Promise.all([
		hexAggregateKeyed(sql, orgId, q, plain),
		plain ? groupAggregateKeyed(sql, orgId, q) : new Map<number, KeyedHexColumns>()
	]);
	return { all, types, groups };
}

async function computeQuestion(sql: Sql, orgId: number, q: HexQuery, k: number, version: string): Promise<PublishedQuestion> {
	const plain = !q.types && !q.groups && !q.teams;
	// areas only where the question covers the organisation (analysts never ask a bbox)
	const noLayers = new Map<string, AreaOf>();
	const [{ all, types, groups }, layers, known] = await Promise.all([
		splitColumns(sql, orgId, q, plain),
		q.bbox ? noLayers : layerAreas(sql, orgId, q.res, version),
		plain && !q.bbox ? keyedTargetCells(sql, orgId, q.res, q) : null
	]);
	if (!plain) return { ...publishPart(all, k, layers), types: new Map(), groups: new Map(), targets: null };

	// each type's cells as published alone, once: its own question's, and the parts of the cells
	const typeCells = new Map([...types].map(([id, cols]) => [id, publishColumns(cols, k)]));
	const typeParts = new Map([...types].map(([id, cols]) => [id, publishPart(cols, k, layers, typeCells.get(id))]));
	const groupParts = new Map([...groups].map(([id, cols]) => [id, publishPart(cols, k, layers)]));
	// cells against their per-type figures (as publishColumns(all, k, types) guards them)
	const pre = hexes(all, publishColumnsAgainst(all, k, [...typeCells.values()]));
	// Target groups may overlap (a contact with two groups is in both) or leave contacts out, so
	// their sum is no partition of a total: only a total whose upper end equals the groups' lows
	// can be pinned against them (an `overlapping` split).
	const partsIn = (parts: Map<number, PublishedPart>, layer: string, area: string) =>
		[...parts.values()].flatMap((p) => {
			const f = p.areas.get(layer)?.get(area);
			return f ? [f] : [];
		});
	// referrals by target category per area: parts of the area's referrals (publishTargets)
	const areaTargets = new Map(
		[...layers].map(([layer, areaOf]) => {
			const counts = known ? targetsByGroup(all, known, areaOf) : new Map();
			return [layer, new Map([...counts.keys()].map((area) => [area, publishTargets(counts.get(area), k)]))] as const;
		})
	);
	const areas = new Map(
		[...layers].map(([layer, areaOf]) => [
			layer,
			publishAreaTotals(all, pre, k, areaOf, (area): Split[] => [
				splitOf(partsIn(typeParts, layer, area), k),
				splitOf(partsIn(groupParts, layer, area), k, true),
				referralSplit(areaTargets.get(layer)?.get(area)?.values() ?? [], k)
			])
		])
	);
	const targets = known ? publishedTargets(all, known, k, areas, areaTargets) : null;
	const totalsOf = (parts: Map<number, PublishedPart>) => [...parts.values()].map((p) => p.published.totals);
	const splits = [
		splitOf(cellsOf(pre), k),
		splitOf(totalsOf(typeParts), k),
		splitOf(totalsOf(groupParts), k, true),
		...[...areas.values()].map((a) => splitOf(a.values(), k)),
		referralSplit(targets?.total.values() ?? [], k)
	];
	const totals = publishFigures(totalFigures(all), k, splits);
	return {
		keyed: all,
		published: withTotals(pre, totals),
		areas,
		types: typeParts,
		groups: groupParts,
		targets: targets && { areas: targets.areas, total: totals.contacts === null ? hidden(targets.total) : targets.total }
	};
}

const hidden = (m: ReadonlyMap<number, number | null>) => new Map([...m.keys()].map((t) => [t, null]));

/**
 * The categories as shown: an area's (the total's) none when its contacts are "< k", as its
 * referrals; each of the total's guarded against that category's areas in every layer.
 */
function publishedTargets(
	all: KeyedHexColumns,
	known: Parameters<typeof targetsByGroup>[1],
	k: number,
	areas: Map<string, Map<string, PublishedFigures>>,
	areaTargets: Map<string, Map<string, Map<number, number | null>>>
): PublishedTargets {
	const shown = new Map(
		[...areaTargets].map(([layer, byArea]) => [
			layer,
			new Map([...byArea].map(([area, m]) => [area, areas.get(layer)?.get(area)?.contacts === null ? hidden(m) : m]))
		])
	);
	const total = publishTargets(targetsByGroup(all, known, () => '').get(''), k);
	for (const [t, v] of total) {
		const parts = [...shown.values()].map((byArea) =>
			splitOfValues(
				[...byArea.values()].map((m) => (m.has(t) ? m.get(t)! : 0)),
				k
			)
		);
		total.set(t, guardValue(v, k, parts));
	}
	return { areas: shown, total };
}

/**
 * The map's question split by target group in one pass over the contacts: for each group, the
 * keyed columns `/api/hexes?groups=<id>` publishes (a contact with two groups is in both).
 */
export async function groupAggregateKeyed(sql: Sql, orgId: number, q: HexQuery): Promise<Map<number, KeyedHexColumns>> {
	const brussels = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Brussels')`;
	// At resolution 9 or coarser from the rollup's per-group rows (migration 0018), else from
	// contacts, one row a contact and group
	const part = coarseServes({ ...q, types: null, groups: null })
		? coarseGroupRows(sql, orgId, q)
		: sql`
			select cell, g, 1, persons, referral::int, occurred_at, record_key, case when referral then record_key else 0 end
			from contact_moment, unnest(target_groups) as g
			where org_id = ${orgId} and occurred_at >= ${brussels(q.from)} and occurred_at < (${brussels(q.to)} + interval '1 day')`;
	const out = new Map<number, KeyedHexColumns>();
	collectKeyed(await keyedCellRows(sql, q, part), q, null, out);
	return out;
}

/** An analyst's figures of a map question by area, as the report and the trend publish them. */
export interface PublishedAreas {
	/** The map's own answer to the question (cells and totals, as /api/hexes gives them). */
	published: PublishedHexes;
	keyed: KeyedHexColumns;
	/** Per area of the layer: its totals over the cells, guarded against those cells and its type and group splits. */
	areas: Map<string, PublishedFigures>;
	/** Per area, per contact type (and target group): the area total of `/api/hexes?types=<id>` (groups=<id>). */
	areaTypes: Map<string, Map<number, number | null>>;
	areaGroups: Map<string, Map<number, number | null>>;
	/** The organisation's totals: the map's. */
	total: PublishedFigures;
	/** The totals of the per-type (per-group) map questions. */
	totalTypes: Map<number, number | null>;
	totalGroups: Map<number, number | null>;
	/** Per area (and for the organisation), referrals by target category (id; 0: unknown). */
	areaTargets: Map<string, Map<number, number | null>>;
	totalTargets: Map<number, number | null>;
}

/**
 * One map question (no type, group or team filter) by the areas of `layer` (null: none): the
 * map's answer and the areas as publishedQuestion publishes them, so a report's area equals the
 * map's area total for the same cells and period, and its total is the map's total.
 */
export async function publishedAreas(sql: Sql, orgId: number, q: HexQuery, k: number, layer: string | null): Promise<PublishedAreas> {
	const plain: HexQuery = { ...q, types: null, groups: null, teams: null };
	const r = await publishedQuestion(sql, orgId, plain, k);
	const perArea = (parts: Map<number, PublishedPart>) => {
		const out = new Map<string, Map<number, number | null>>();
		for (const [id, part] of parts) {
			for (const [area, f] of (layer === null ? undefined : part.areas.get(layer)) ?? []) {
				let m = out.get(area);
				if (!m) out.set(area, (m = new Map()));
				m.set(id, f.contacts);
			}
		}
		return out;
	};
	const totals = (parts: Map<number, PublishedPart>) => new Map([...parts].map(([id, p]) => [id, p.published.totals.contacts]));
	return {
		published: r.published,
		keyed: r.keyed,
		areas: (layer === null ? undefined : r.areas.get(layer)) ?? new Map(),
		areaTypes: perArea(r.types),
		areaGroups: perArea(r.groups),
		total: r.published.totals,
		totalTypes: totals(r.types),
		totalGroups: totals(r.groups),
		areaTargets: (layer === null ? undefined : r.targets?.areas.get(layer)) ?? new Map(),
		totalTargets: r.targets?.total ?? new Map()
	};
}
