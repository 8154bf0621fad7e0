// Hot spots of contacts (Getis-Ord Gi*): contacts per cell over the whole organisation from
// hexAggregate, then the pure step (domain/analysis/hotspots). For analysts (`analystK`) the counts
// are the hex map's published ones (a suppressed count as k/2), before any statistic sees them.
import { unpackCell } from '../../domain/cells';
import type { HexQuery } from '../../domain/hex-query';
import type { HotspotResult } from '../../domain/analysis/hotspots';
import type { Sql } from '../db';
import { hexAggregate } from './hexes';
import { publishedHexes } from './published';
import { compute } from '../compute-pool';

/**
 * Fewer cells than this are classified on the request thread: measured on a 2-core machine, up to
 * ~2,000 cells take ~10 ms inline (and would wait behind a long task in the pool); 5,000 take
 * ~100 ms and 12,000 ~200 ms (Gi* grows faster than the cells), which go to the pool.
 */
export const HOTSPOTS_INLINE_BELOW = 1500;

export type HotspotQuery = Omit<HexQuery, 'bbox'>;

/** The Gi* neighbourhood: the cell and its gridDisk(1) ring. */
export const HOTSPOT_K = 1;

export interface HotspotAnswer extends HotspotResult {
	res: number;
	from: string;
	to: string;
}

export async function hotspotCells(sql: Sql, orgId: number, q: HotspotQuery, analystK?: number): Promise<HotspotAnswer> {
	const cols =
		analystK === undefined ? await hexAggregate(sql, orgId, { ...q, bbox: null }) : await publishedHexes(sql, orgId, { ...q, bbox: null }, analystK);
	const counts = new Map(cols.cells.map((packed, i) => [unpackCell(packed, q.res), cols.contacts[i] ?? analystK! / 2]));
	const classified = await compute('classifyHotspots', [counts, HOTSPOT_K], { work: counts.size, inlineBelow: HOTSPOTS_INLINE_BELOW });
	return { res: q.res, from: q.from, to: q.to, ...classified };
}
