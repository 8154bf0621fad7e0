// Hand-picked zones (/zones): the cells a coordinator picks on the map, at the organisation's
// planning resolution. The page sends them as a list; the server checks them here before they
// are stored, and the picker shows the same summary (count, area, districts) as it goes.
import { cellArea, cellToLatLng } from 'h3-js';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { isCell } from './cells';
import { UserInputError } from './errors';
import { districtOf, type LatLng } from './orientation';

/** More than a coordinator would pick by hand; guards the form and the database. */
export const MAX_PICKED_CELLS = 2000;

/** The cell ids of a form field (space, comma or semicolon separated), lower case, once each. */
export function parsePickedCells(raw: string): string[] {
	return [
		...new Set(
			raw
				.toLowerCase()
				.split(/[\s,;]+/)
				.filter(Boolean)
		)
	];
}

/**
 * Refuses picked cells that are not H3 cells at the planning resolution, or whose centre lies
 * outside the organisation's area (`inside`), with a UserInputError on the field `cells`.
 */
export function checkPickedCells(cells: readonly string[], res: number, inside: (p: LatLng) => boolean): void {
	if (!cells.length) throw new UserInputError('cellsNotPicked', 'cells', 'pick one or more cells on the map');
	if (cells.length > MAX_PICKED_CELLS) {
		throw new UserInputError('cellsTooMany', 'cells', `at most ${MAX_PICKED_CELLS} cells`, { max: MAX_PICKED_CELLS, n: cells.length });
	}
	for (const cell of cells) {
		if (!isCell(cell, res)) throw new UserInputError('pickedCellInvalid', 'cells', `"${cell}" is not a cell at resolution ${res}`, { cell, res });
		const [lat, lng] = cellToLatLng(cell);
		if (!inside({ lat, lng })) throw new UserInputError('cellsOutside', 'cells', `"${cell}" lies outside the organisation's area`, { cell });
	}
}

export interface PickSummary {
	count: number;
	/** Square kilometres the cells cover. */
	km2: number;
	/** The districts the cells' centres fall in, by name, each once, sorted. */
	districts: string[];
}

/** What the picker shows under the map while the coordinator picks. */
export function pickSummary(
	cells: Iterable<string>,
	districts: readonly Feature<Polygon | MultiPolygon, { name: string }>[],
	locale = 'nl'
): PickSummary {
	let count = 0;
	let km2 = 0;
	const names = new Set<string>();
	for (const cell of cells) {
		count++;
		km2 += cellArea(cell, 'km2');
		const [lat, lng] = cellToLatLng(cell);
		const d = districtOf({ lat, lng }, districts);
		if (d) names.add(d);
	}
	return { count, km2, districts: [...names].sort((a, b) => a.localeCompare(b, locale)) };
}
