// What an analyst gets: the map aggregation published by the one rule (domain/privacy.ts). Every
// analyst figure of a cell (map, hex panel, underserved, hotspots) comes from here, so the same
// question gives the same figures wherever it is asked.
import type { HexQuery } from '../../domain/hex-query';
import { publishColumns, type PublishedColumns } from '../../domain/privacy';
import type { Sql } from '../db';
import { hexAggregateKeyed, type KeyedHexColumns } from './hexes';

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
): Promise<{ keyed: KeyedHexColumns; published: PublishedHexes }> {
	const byType = !q.types && !q.groups && !q.teams;
	const { all, types } = await hexAggregateKeyed(sql, orgId, q, byType);
	const published = publishColumns(all, k, [...types.values()]);
	return { keyed: all, published: { res: all.res, from: all.from, to: all.to, ...published } };
}
