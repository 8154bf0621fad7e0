// Map aggregation: contact moments grouped into parent cells in SQL (h3_parent on the stored
// bigint), returned as columns. The work scales with cells, and rows never reach JavaScript.
import { POLYGON_TO_CELLS_FLAGS, cellToLatLng, getHexagonEdgeLengthAvg, polygonToCellsExperimental } from 'h3-js';
import { cellToBigInt, packCell } from '../../domain/cells';
import { addDays, type Bbox, type HexQuery } from '../../domain/hex-query';
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
}

/** Thrown when a bbox would need too many cells at the asked resolution. */
export class BboxTooLarge extends Error {}

const MAX_COVER_CELLS = 4000;

export async function hexAggregate(sql: Sql, orgId: number, q: HexQuery): Promise<HexColumns> {
	const cover = q.bbox ? coarseCover(q.bbox, q.res) : null;
	const toExclusive = addDays(q.to, 1);
	const rows = await sql`
		with agg as (
			select h3_parent(cell, ${q.res}) as c,
				count(*)::int as contacts,
				sum(persons)::int as persons,
				(count(*) filter (where referral))::int as referrals,
				max(occurred_at) as last_at
			from contact_moment
			where org_id = ${orgId}
				and occurred_at >= (${q.from}::date::timestamp at time zone 'Europe/Brussels')
				and occurred_at < (${toExclusive}::date::timestamp at time zone 'Europe/Brussels')
				${q.types ? sql`and contact_type = any(${q.types}::smallint[])` : sql``}
				${q.groups ? sql`and target_groups && ${q.groups}::smallint[]` : sql``}
				${q.teams ? sql`and team_id = any(${q.teams}::smallint[])` : sql``}
				${cover ? sql`and h3_parent(cell, ${cover.res}) = any(${cover.cells}::bigint[])` : sql``}
			group by 1
		)
		select to_hex(c) as cell, contacts, persons, referrals,
			(${q.to}::date - (last_at at time zone 'Europe/Brussels')::date) as days
		from agg order by c`;

	const out: HexColumns = {
		res: q.res, from: q.from, to: q.to,
		cells: [], contacts: [], persons: [], referrals: [], daysSinceLast: []
	};
	const keep = q.bbox ? nearBbox(q.bbox, q.res) : () => true;
	for (const r of rows) {
		const cell = r.cell as string;
		if (!keep(cell)) continue;
		out.cells.push(packCell(cell));
		out.contacts.push(r.contacts as number);
		out.persons.push(r.persons as number);
		out.referrals.push(r.referrals as number);
		out.daysSinceLast.push(r.days as number);
	}
	return out;
}

/** Cells two resolutions coarser that overlap the bbox: a short list for the SQL filter. */
function coarseCover(bbox: Bbox, res: number): { res: number; cells: string[] } {
	const coarse = Math.max(5, res - 2);
	const [w, s, e, n] = bbox;
	const ring = [[w, s], [e, s], [e, n], [w, n], [w, s]];
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
