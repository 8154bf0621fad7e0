// The hex source's bookkeeping per cell: which cells the source holds (the set grows while the
// resolution stays the same; undrawn cells stay transparent) and the feature-state class and
// colour each has, updated by difference. WHY: at 10,000 cells both a new source and a state on
// every cell cost MapLibre a full rebuild (issue 11), so only what changed is sent.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { updateClasses } from './hexgeom';

export class HexCells {
	/** Resolution of the source's cells (0 before the first answer). */
	res = 0;
	/** The source's cells. */
	cells = new Set<string>();
	/** The class each cell's feature-state has now, and the resolution it is for. */
	private stateClasses: ReadonlyMap<string, number> = new Map();
	private stateRes = 0;
	/** The mode and class count the cells' `colour` feature-state was set for. */
	private palette = '';

	constructor(private readonly source: string) {}

	/**
	 * Takes a mode's cells into the source: all new ones when the resolution changed ('all': the
	 * source's data must be replaced), else the missing ones, returned (empty: nothing to send).
	 */
	sync(res: number, next: ReadonlyMap<string, number>): 'all' | string[] {
		if (res !== this.res) {
			this.res = res;
			this.cells = new Set(next.keys());
			return 'all';
		}
		const added: string[] = [];
		for (const c of next.keys()) {
			if (!this.cells.has(c)) {
				this.cells.add(c);
				added.push(c);
			}
		}
		return added;
	}

	/** A new source (the style (re)loaded): it has no feature-state yet. */
	forgetState() {
		this.stateClasses = new Map();
		this.palette = '';
		this.stateRes = this.res;
	}

	/**
	 * Sets the classes and colours of `classes` as feature-state: every cell when the palette
	 * (e.g. `mode:classCount`) changed, else only the cells whose class changed.
	 */
	colour(map: MapLibreMap, classes: ReadonlyMap<string, number>, palette: string, colours: ReadonlyMap<number, string>) {
		if (this.stateRes !== this.res) {
			// other cells now: forget the old ones' states (the caller sets selected and hover again)
			map.removeFeatureState({ source: this.source });
			this.stateClasses = new Map();
			this.stateRes = this.res;
		}
		const all = palette !== this.palette;
		this.palette = palette;
		this.stateClasses = updateClasses(map, this.source, this.stateClasses, classes, colours, all);
	}
}
