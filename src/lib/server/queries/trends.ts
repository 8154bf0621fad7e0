// Contacts per period (quarter or month) and per contact type or target group, for the whole
// organisation or the cells of one area. Trend periods are whole months, so types and totals
// come from the monthly rollup alone; target groups are not in the rollup's key (see
// migrations/0002), so that split reads contact_moment.
import type { TrendCount, TrendGrain, TrendPeriod, TrendSplit } from '../../domain/reports-trend';
import { addDays } from '../../domain/calendar';
import type { Sql } from '../db';

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
