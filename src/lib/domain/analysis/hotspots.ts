// Hot spots of contacts: contacts per cell → the cells Gi* classifies as hot or cold. Pure: the
// server hands in the counts (for analysts the published ones), the map gets class codes.
import { gridDisk } from 'h3-js';
import { classifySpot, getisOrdGiStar, type Spot } from './getis-ord';

/**
 * A cell's class as one number: 3 / 2 / 1 hot spot at 99 / 95 / 90 % confidence, −1 / −2 / −3
 * cold spot at 90 / 95 / 99 %. Unclassified cells are left out of the answer, never coded 0.
 */
export type SpotCode = 3 | 2 | 1 | -1 | -2 | -3;
/** Every code from cold 99 % to hot 99 % (the map's legend and colour order). */
export const SPOT_CODES: readonly SpotCode[] = [-3, -2, -1, 1, 2, 3];

export function spotCode(spot: Spot): SpotCode {
	const level = spot.confidence === 99 ? 3 : spot.confidence === 95 ? 2 : 1;
	return (spot.kind === 'hot' ? level : -level) as SpotCode;
}

export interface HotspotResult {
	/** Classified cells, sorted by id (the same answer whatever order the counts came in). */
	cells: string[];
	codes: SpotCode[];
	counts: { hot: number; cold: number };
	/** Cells Gi* was computed over: the cells with contacts and their zero-valued neighbours. */
	studyCells: number;
}

/**
 * Gi* over the cells with contacts PLUS every cell within gridDisk(k) of one of them, those with
 * 0 contacts: a cell next to activity is a 0, not missing. Cells further out do not take part
 * (the whole city's empty cells would make every visited cell look hot). k is also the Gi*
 * neighbourhood radius.
 */
export function classifyHotspots(contacts: ReadonlyMap<string, number>, k = 1): HotspotResult {
	const study = new Set<string>();
	for (const [cell, n] of contacts) {
		if (!(n > 0)) continue;
		for (const c of gridDisk(cell, k)) study.add(c);
	}
	const values = new Map<string, number>();
	for (const [cell, n] of contacts) if (n > 0) values.set(cell, n);
	const out: HotspotResult = { cells: [], codes: [], counts: { hot: 0, cold: 0 }, studyCells: study.size };
	if (study.size === 0) return out;
	const z = getisOrdGiStar(values, { k, studyArea: [...study].sort() });
	for (const [cell, score] of z) {
		const spot = classifySpot(score);
		if (!spot) continue;
		out.cells.push(cell);
		out.codes.push(spotCode(spot));
		out.counts[spot.kind]++;
	}
	return out;
}
