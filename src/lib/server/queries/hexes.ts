// Map aggregation: contact moments grouped into parent cells in SQL (h3_parent on the stored
// bigint), returned as columns. Whole months come from contact_rollup_month and the edge days
// from contact_moment, so the work follows cells rather than contacts; rows never reach JavaScript.
import { POLYGON_TO_CELLS_FLAGS, cellToLatLng, getHexagonEdgeLengthAvg, polygonToCellsExperimental } from 'h3-js';
import { cellToBigInt, packCell } from '../../domain/cells';
import type { Bbox, HexQuery } from '../../domain/hex-query';
import { splitPeriod, wholePeriod } from '../../domain/period-split';
import type { Sql } from '../db';

export interface HexColumns {
	res: number;
	from: string;
	to: string;
	/** Packed cell ids (see packCell); the browser expands them with unpackCell(id, res). */
	cells: string[];
	contacts: number[];
	persons: number[];
	referrals: number[];
	/** Days from the last matching contact to the period's last day. */
	daysSinceLast: number[];
	/** With `targets`: the referral target most referred to in the cell (a vocabulary id), or null. */
	topTarget?: (number | null)[];
	/** With `targets`: the referrals to that target (0 when none had a known target). */
	topTargetReferrals?: number[];
}

/** Thrown when a bbox would need too many cells at the asked resolution. */
export class BboxTooLarge extends Error {}

const MAX_COVER_CELLS = 4000;

export interface AggregateOptions {
	/** Also find each cell's largest referral target (the hex panel's "waarvan 7 naar CAW"). */
	targets?: boolean;
}

export async function hexAggregate(sql: Sql, orgId: number, q: HexQuery, opts: AggregateOptions = {}): Promise<HexColumns> {
	const cover = q.bbox ? coarseCover(q.bbox, q.res) : null;
	// The rollup knows cells and contact types only; target-group and team filters read contacts.
	const rollupServes = !q.groups && !q.teams;
	const { months, days } = rollupServes ? splitPeriod(q.from, q.to) : wholePeriod(q.from, q.to);
	const common = sql`
		${q.types ? sql`and contact_type = any(${q.types}::smallint[])` : sql``}
		${cover ? sql`and h3_parent(cell, ${cover.res}) = any(${cover.cells}::bigint[])` : sql``}`;
	const filters = sql`${common}
		${q.groups ? sql`and target_groups && ${q.groups}::smallint[]` : sql``}
		${q.teams ? sql`and team_id = any(${q.teams}::smallint[])` : sql``}`;
	const brussels = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Brussels')`;
	const monthPart = months
		? sql`
			select cell, contacts, persons, referrals, last_at from contact_rollup_month
			where org_id = ${orgId} and month >= ${months[0]}::date and month < ${months[1]}::date ${common}`
		: null;
	const dayParts = days.map(
		([from, to]) => sql`
			select cell, 1, persons::int, referral::int, occurred_at from contact_moment
			where org_id = ${orgId} and occurred_at >= ${brussels(from)} and occurred_at < ${brussels(to)} ${filters}`
	);
	const parts = [monthPart, ...dayParts].filter((p) => p !== null);
	const union = parts.reduce((acc, part) => sql`${acc} union all ${part}`);
	// Per cell, the referral target with the most referrals in the period (ties: the lower id),
	// read from contact_moment through the partial index of referrals with a known target
	// (migration 0013): it costs in proportion to those referrals; the rollup has no target.
	const targetRows = opts.targets
		? sql`
			with t as (
				select h3_parent(cell, ${q.res}) as c, referral_target as target, count(*)::int as n
				from contact_moment
				where org_id = ${orgId} and referral_target is not null
					and occurred_at >= ${brussels(q.from)} and occurred_at < ((${q.to}::date + 1)::timestamp at time zone 'Europe/Brussels')
					${filters}
				group by 1, 2
			)
			select distinct on (c) to_hex(c) as cell, target, n from t order by c, n desc, target`
		: null;
	const rows = await sql`
		with agg as (
			select h3_parent(cell, ${q.res}) as c,
				sum(contacts)::int as contacts,
				sum(persons)::int as persons,
				sum(referrals)::int as referrals,
				max(last_at) as last_at
			from (${union}) as part (cell, contacts, persons, referrals, last_at)
			group by 1
		)
		select to_hex(c) as cell, contacts, persons, referrals,
			(${q.to}::date - (last_at at time zone 'Europe/Brussels')::date) as days
		from agg order by c`;

	const out: HexColumns = {
		res: q.res,
		from: q.from,
		to: q.to,
		cells: [],
		contacts: [],
		persons: [],
		referrals: [],
		daysSinceLast: []
	};
	const top = targetRows ? new Map((await targetRows).map((r) => [r.cell as string, r])) : null;
	if (top) {
		out.topTarget = [];
		out.topTargetReferrals = [];
	}
	const keep = q.bbox ? nearBbox(q.bbox, q.res) : () => true;
	for (const r of rows) {
		const cell = r.cell as string;
		if (!keep(cell)) continue;
		out.cells.push(packCell(cell));
		out.contacts.push(r.contacts as number);
		out.persons.push(r.persons as number);
		out.referrals.push(r.referrals as number);
		out.daysSinceLast.push(r.days as number);
		if (top) {
			const t = top.get(cell);
			out.topTarget!.push(t ? (t.target as number) : null);
			out.topTargetReferrals!.push(t ? (t.n as number) : 0);
		}
	}
	return out;
}

/** Cells two resolutions coarser that overlap the bbox: a short list for the SQL filter. */
function coarseCover(bbox: Bbox, res: number): { res: number; cells: string[] } {
	const coarse = Math.max(5, res - 2);
	const [w, s, e, n] = bbox;
	const ring = [
		[w, s],
		[e, s],
		[e, n],
		[w, n],
		[w, s]
	];
	const cells = polygonToCellsExperimental(ring, coarse, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true);
	if (cells.length > MAX_COVER_CELLS) throw new BboxTooLarge(`bbox too large for resolution ${res}`);
	return { res: coarse, cells: cells.map((c) => cellToBigInt(c).toString()) };
}

/** True for cells whose centre lies within the bbox grown by about one cell. */
function nearBbox([w, s, e, n]: Bbox, res: number): (cell: string) => boolean {
	const marginDeg = (getHexagonEdgeLengthAvg(res, 'km') * 2) / 111;
	const lngMargin = marginDeg / Math.cos((((s + n) / 2) * Math.PI) / 180);
	return (cell) => {
		const [lat, lng] = cellToLatLng(cell);
		return lat >= s - marginDeg && lat <= n + marginDeg && lng >= w - lngMargin && lng <= e + lngMargin;
	};
}
