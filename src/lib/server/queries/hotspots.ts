// Hot spots of contacts (Getis-Ord Gi*): contacts per cell over the whole organisation from
// hexAggregate, then the pure step (domain/analysis/hotspots). For analysts (`analystK`) the counts
// are the hex map's published ones (a suppressed count as k/2), before any statistic sees them.
import { unpackCell } from '../../domain/cells';
import type { HexQuery } from '../../domain/hex-query';
import { classifyHotspots, type HotspotResult } from '../../domain/analysis/hotspots';
import type { Sql } from '../db';
import { hexAggregate } from './hexes';
import { publishedHexes } from './published';

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
	return { res: q.res, from: q.from, to: q.to, ...classifyHotspots(counts, HOTSPOT_K) };
}
