// Contacts per period (quarter or month) and per contact type or target group, for the whole
// organisation or the cells of one area. Trend periods are whole months, so types and totals
// come from the monthly rollup alone; target groups are not in the rollup's key (see
// migrations/0002), so that split reads contact_moment.
import type { ShapedTrend, TrendCount, TrendGrain, TrendPeriod, TrendSplit } from '../../domain/reports-trend';
import { addDays } from '../../domain/calendar';
import type { Sql } from '../db';
import { publishedAreas, type PublishedAreas } from './published';

export interface TrendQuestion {
	periods: readonly TrendPeriod[];
	grain: TrendGrain;
	by: TrendSplit;
	/** The area's cells at `cellRes` (decimal bigint text), or null for the whole organisation. */
	cells: readonly string[] | null;
	cellRes: number;
}

export interface TrendRows {
	counts: TrendCount[];
	totals: { period: string; contacts: number }[];
}

export async function trendCounts(sql: Sql, orgId: number, q: TrendQuestion): Promise<TrendRows> {
	const first = q.periods[0]!.from;
	const end = addDays(q.periods[q.periods.length - 1]!.to, 1);
	const unit = q.grain;
	const inArea = q.cells ? sql`and h3_parent(cell, ${q.cellRes}) = any(${q.cells as string[]}::bigint[])` : sql``;
	const byType = await sql`
		select to_char(date_trunc(${unit}::text, month::timestamp), 'YYYY-MM-DD') as period,
			contact_type as id, sum(contacts)::int as contacts
		from contact_rollup_month
		where org_id = ${orgId} and month >= ${first}::date and month < ${end}::date ${inArea}
		group by 1, 2`;
	const typeCounts = byType.map((r) => ({ period: r.period as string, id: r.id as number, contacts: r.contacts as number }));
	const totals = new Map<string, number>();
	for (const c of typeCounts) totals.set(c.period, (totals.get(c.period) ?? 0) + c.contacts);
	const totalRows = [...totals].map(([period, contacts]) => ({ period, contacts }));
	if (q.by === 'type') return { counts: typeCounts, totals: totalRows };

	const brussels = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Brussels')`;
	const byGroup = await sql`
		select to_char(date_trunc(${unit}::text, occurred_at at time zone 'Europe/Brussels'), 'YYYY-MM-DD') as period,
			g as id, count(*)::int as contacts
		from contact_moment, unnest(target_groups) as g
		where org_id = ${orgId} and occurred_at >= ${brussels(first)} and occurred_at < ${brussels(end)} ${inArea}
		group by 1, 2`;
	return {
		counts: byGroup.map((r) => ({ period: r.period as string, id: r.id as number, contacts: r.contacts as number })),
		totals: totalRows
	};
}

export interface AnalystTrendQuestion {
	periods: readonly TrendPeriod[];
	by: TrendSplit;
	/** The type or group ids in the vocabulary's order. */
	ids: readonly number[];
	/** The analyst's map resolution: the trend's figures are the map's at it. */
	res: number;
	k: number;
	/** The area's code, or null for the whole organisation. */
	area: string | null;
	/** The area layer the areas are of (null: the organisation has no such layer). */
	layer: string | null;
}

/**
 * An analyst's trend by the one publication rule: each period is the map's question for that
 * quarter (publishedAreas), so the area's total equals the report's area figure and the map's
 * area total for the same cells and quarter; a type's (group's) value is the area total of the
 * map's per-type (per-group) question; every total is guarded against both splits.
 */
export async function analystTrend(
	sql: Sql,
	orgId: number,
	q: AnalystTrendQuestion
): Promise<ShapedTrend & { areaTotals: Map<string, (number | null)[]> }> {
	const answers: PublishedAreas[] = [];
	// one period at a time: each is a map question of its own, and PGlite serialises them anyway
	for (const p of q.periods) {
		answers.push(
			await publishedAreas(sql, orgId, { res: q.res, from: p.from, to: p.to, types: null, groups: null, teams: null, bbox: null }, q.k, q.layer)
		);
	}
	const order = [...q.ids];
	for (const a of answers) {
		const parts = q.by === 'type' ? a.totalTypes : a.totalGroups;
		for (const id of parts.keys()) if (!order.includes(id)) order.push(id);
	}
	// a missing id is no contact (0); a present one may be null ("< k"), so no `??` on the value
	const pick = (m: Map<number, number | null> | undefined, id: number) => (m?.has(id) ? m.get(id)! : 0);
	const value = (a: PublishedAreas, id: number) => {
		if (q.area === null) return pick(q.by === 'type' ? a.totalTypes : a.totalGroups, id);
		return pick((q.by === 'type' ? a.areaTypes : a.areaGroups).get(q.area), id);
	};
	const total = (a: PublishedAreas) => {
		if (q.area === null) return a.total.contacts;
		const f = a.areas.get(q.area);
		return f ? f.contacts : 0;
	};
	// every area's totals too (the same figure as its own trend's), for the report's sparklines
	const codes = new Set(answers.flatMap((a) => [...a.areas.keys()]));
	const areaTotals = new Map([...codes].map((code) => [code, answers.map((a) => (a.areas.has(code) ? a.areas.get(code)!.contacts : 0))]));
	return {
		series: order.map((id) => ({ id, values: answers.map((a) => value(a, id)) })),
		totals: answers.map(total),
		areaTotals
	};
}

/**
 * Each area's contacts per period (exact, for coordinators) from the monthly rollup, in one
 * statement: the same cells and counts as trendCounts for one area.
 */
export async function areaTrendTotals(
	sql: Sql,
	orgId: number,
	q: { periods: readonly TrendPeriod[]; grain: TrendGrain; cellRes: number; areas: readonly { code: string; cells: readonly string[] }[] }
): Promise<Map<string, number[]>> {
	const out = new Map(q.areas.map((a) => [a.code, q.periods.map(() => 0)]));
	const codes = q.areas.flatMap((a) => a.cells.map(() => a.code));
	const cells = q.areas.flatMap((a) => [...a.cells]);
	if (!cells.length) return out;
	const first = q.periods[0]!.from;
	const end = addDays(q.periods[q.periods.length - 1]!.to, 1);
	const rows = await sql`
		select to_char(date_trunc(${q.grain}::text, r.month::timestamp), 'YYYY-MM-DD') as period, a.code, sum(r.contacts)::int as contacts
		from contact_rollup_month r
		join unnest(${codes}::text[], ${cells}::bigint[]) as a (code, cell) on h3_parent(r.cell, ${q.cellRes}) = a.cell
		where r.org_id = ${orgId} and r.month >= ${first}::date and r.month < ${end}::date
		group by 1, 2`;
	const index = new Map(q.periods.map((p, i) => [p.from, i]));
	for (const r of rows) {
		const i = index.get(r.period as string);
		const values = out.get(r.code as string);
		if (i !== undefined && values) values[i] = r.contacts as number;
	}
	return out;
}
