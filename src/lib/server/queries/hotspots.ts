// Hot spots of contacts (Getis-Ord Gi*): contacts per cell over the whole organisation from
// hexAggregate, then the pure step (domain/analysis/hotspots). `publish` turns each true count into
// the one the caller may know (analysts: published counts), before any statistic sees it.
import { unpackCell } from '../../domain/cells';
import type { HexQuery } from '../../domain/hex-query';
import { classifyHotspots, type HotspotResult } from '../../domain/analysis/hotspots';
import type { Sql } from '../db';
import { hexAggregate } from './hexes';

export type HotspotQuery = Omit<HexQuery, 'bbox'>;

/** The Gi* neighbourhood: the cell and its gridDisk(1) ring. */
export const HOTSPOT_K = 1;

export interface HotspotAnswer extends HotspotResult {
	res: number;
	from: string;
	to: string;
}

export async function hotspotCells(sql: Sql, orgId: number, q: HotspotQuery, publish: (count: number) => number = (n) => n): Promise<HotspotAnswer> {
	const cols = await hexAggregate(sql, orgId, { ...q, bbox: null });
	const counts = new Map(cols.cells.map((packed, i) => [unpackCell(packed, q.res), publish(cols.contacts[i]!)]));
	return { res: q.res, from: q.from, to: q.to, ...classifyHotspots(counts, HOTSPOT_K) };
}
