// What an analyst gets: the map aggregation published by the one rule (domain/privacy.ts). Every
// analyst figure of a cell (map, hex panel, underserved, hotspots) comes from here, so the same
// question gives the same figures wherever it is asked.
import type { HexQuery } from '../../domain/hex-query';
import { packCell } from '../../domain/cells';
import {
	addLows,
	bounds,
	CELL_KEY_MODULUS,
	guardTotal,
	lowsOf,
	publishAreaTotals,
	publishColumns,
	ZERO_LOWS,
	type Lows,
	type PublishedColumns,
	type PublishedFigures
} from '../../domain/privacy';
import type { Sql } from '../db';
import { coarseGroupRows, coarseServes, hexAggregateKeyed, type KeyedHexColumns } from './hexes';

export interface PublishedHexes extends PublishedColumns {
	res: number;
	from: string;
	to: string;
}

/**
 * The published columns of a map question. Without a contact-type or target-group filter, the
 * cells and totals are also guarded against the per-type answers (which an analyst can ask one by
 * one), so a cell set against its own per-type figures pins nothing.
 */
export async function publishedHexes(sql: Sql, orgId: number, q: HexQuery, k: number): Promise<PublishedHexes> {
	return (await keyedAndPublished(sql, orgId, q, k)).published;
}

/** The true keyed columns with their publication (for callers that group cells, e.g. areas). */
export async function keyedAndPublished(
	sql: Sql,
	orgId: number,
	q: HexQuery,
	k: number
): Promise<{ keyed: KeyedHexColumns; published: PublishedHexes; types: Map<number, KeyedHexColumns> }> {
	const byType = !q.types && !q.groups && !q.teams;
	const { all, types } = await hexAggregateKeyed(sql, orgId, q, byType);
	const published = publishColumns(all, k, [...types.values()]);
	return { keyed: all, published: { res: all.res, from: all.from, to: all.to, ...published }, types };
}

/**
 * The map's question split by target group in one pass over the contacts: for each group, the
 * keyed columns `/api/hexes?groups=<id>` publishes (a contact with two groups is in both).
 */
async function groupAggregateKeyed(sql: Sql, orgId: number, q: HexQuery): Promise<Map<number, KeyedHexColumns>> {
	const brussels = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Brussels')`;
	// At resolution 9 or coarser from the rollup's per-group rows (migration 0018), else from contacts.
	const rows = coarseServes({ ...q, types: null, groups: null })
		? await sql`
		select h3_parent(cell, ${q.res})::text as cell, target_group::int as grp,
			sum(contacts)::int as contacts, sum(persons)::int as persons, sum(referrals)::int as referrals,
			(sum(key_sum::bigint) % ${CELL_KEY_MODULUS})::int as ck,
			(sum(referral_key_sum::bigint) % ${CELL_KEY_MODULUS})::int as rk,
			(${q.to}::date - max((last_at at time zone 'Europe/Brussels')::date)) as days
		from (${coarseGroupRows(sql, orgId, q)}) as part (cell, target_group, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
		group by 1, 2 order by 1, 2`
		: await sql`
		select h3_parent(cell, ${q.res})::text as cell, g::int as grp,
			count(*)::int as contacts, sum(persons)::int as persons, count(*) filter (where referral)::int as referrals,
			(sum(record_key::bigint) % ${CELL_KEY_MODULUS})::int as ck,
			(coalesce(sum(record_key::bigint) filter (where referral), 0) % ${CELL_KEY_MODULUS})::int as rk,
			(${q.to}::date - max((occurred_at at time zone 'Europe/Brussels')::date)) as days
		from contact_moment, unnest(target_groups) as g
		where org_id = ${orgId} and occurred_at >= ${brussels(q.from)} and occurred_at < (${brussels(q.to)} + interval '1 day')
		group by 1, 2 order by 1, 2`;
	const out = new Map<number, KeyedHexColumns>();
	for (const r of rows) {
		const g = r.grp as number;
		let c = out.get(g);
		if (!c) {
			c = {
				res: q.res,
				from: q.from,
				to: q.to,
				cells: [],
				contacts: [],
				persons: [],
				referrals: [],
				daysSinceLast: [],
				contactKeys: [],
				referralKeys: []
			};
			out.set(g, c);
		}
		c.cells.push(packCell(BigInt(r.cell as string).toString(16)));
		c.contacts.push(r.contacts as number);
		c.persons.push(r.persons as number);
		c.referrals.push(r.referrals as number);
		c.daysSinceLast.push(r.days as number);
		c.contactKeys.push(r.ck as number);
		c.referralKeys.push(r.rk as number);
	}
	return out;
}

/** An analyst's figures of a map question by area, as the report and the trend publish them. */
export interface PublishedAreas {
	/** The map's own answer to the question (cells and totals, as /api/hexes gives them). */
	published: PublishedHexes;
	keyed: KeyedHexColumns;
	/** Per area: its totals over the cells, guarded against those cells and its type and group splits. */
	areas: Map<string, PublishedFigures>;
	/** Per area, per contact type (and target group): the area total of `/api/hexes?types=<id>` (groups=<id>). */
	areaTypes: Map<string, Map<number, number | null>>;
	areaGroups: Map<string, Map<number, number | null>>;
	/** The organisation's totals: the map's, also guarded against the group totals. */
	total: PublishedFigures;
	/** The totals of the per-type (per-group) map questions. */
	totalTypes: Map<number, number | null>;
	totalGroups: Map<number, number | null>;
}

/**
 * One map question (no type, group or team filter) published by area: the map's answer
 * (keyedAndPublished), each area through publishAreaTotals, so a report's area equals the map's
 * area total for the same cells and period. The same question split by contact type and by
 * target group (each a question an analyst may ask the map one by one) is published the same
 * way, and every total is guarded against both splits (publishTotal's guard, as publishColumns
 * guards the map's totals against the types).
 */
export async function publishedAreas(
	sql: Sql,
	orgId: number,
	q: HexQuery,
	k: number,
	areaOf: (packedCell: string) => string | null
): Promise<PublishedAreas> {
	const plain: HexQuery = { ...q, types: null, groups: null, teams: null };
	const [{ keyed, published, types }, groups] = await Promise.all([keyedAndPublished(sql, orgId, plain, k), groupAggregateKeyed(sql, orgId, plain)]);
	const split = (parts: Map<number, KeyedHexColumns>) => {
		const perArea = new Map<string, Map<number, number | null>>();
		const areaLow = new Map<string, Lows>();
		const totals = new Map<number, number | null>();
		let totalLow = ZERO_LOWS;
		for (const [id, cols] of parts) {
			const pub = publishColumns(cols, k);
			totals.set(id, pub.totals.contacts);
			totalLow = addLows(totalLow, lowsOf(pub.totals, k));
			for (const [area, f] of publishAreaTotals(cols, pub, k, areaOf)) {
				let m = perArea.get(area);
				if (!m) perArea.set(area, (m = new Map()));
				m.set(id, f.contacts);
				areaLow.set(area, addLows(areaLow.get(area) ?? ZERO_LOWS, lowsOf(f, k)));
			}
		}
		return { perArea, areaLow, totals, totalLow };
	};
	const byType = split(types);
	const byGroup = split(groups);
	// Target groups may overlap (a contact with two groups is in both) or leave contacts out, so
	// their sum is no partition of the total: a total can only be pinned against them when its
	// upper end equals the groups' lows (publishTotal's case (d)); a larger sum of lows shows an
	// overlap and pins nothing. So the groups' guard raises a total in that one case only.
	const groupGuard = (f: PublishedFigures, low: number | undefined): PublishedFigures => {
		if (low === undefined || f.contacts === 0 || bounds(f.contacts, k).hi !== low) return f;
		return { ...f, contacts: guardTotal(f.contacts, k, low) };
	};
	const areas = new Map(
		[...publishAreaTotals(keyed, published, k, areaOf, (area) => byType.areaLow.get(area) ?? ZERO_LOWS)].map(([area, f]) => [
			area,
			groupGuard(f, byGroup.areaLow.get(area)?.contacts)
		])
	);
	const total = groupGuard(published.totals, byGroup.totals.size ? byGroup.totalLow.contacts : undefined);
	return {
		published,
		keyed,
		areas,
		areaTypes: byType.perArea,
		areaGroups: byGroup.perArea,
		total,
		totalTypes: byType.totals,
		totalGroups: byGroup.totals
	};
}
