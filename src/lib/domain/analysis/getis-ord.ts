// Hot spots by the Getis-Ord Gi* statistic (Getis & Ord 1992; Ord & Getis 1995) over H3 cells.
// Pure and deterministic: a z-score per cell says whether its neighbourhood holds more (hot) or
// less (cold) than the study area as a whole would by chance.
import { gridDisk } from 'h3-js';
import { assertCellsOfOneResolution } from '../cells';

export interface GiStarOptions {
	/** Neighbourhood: the gridDisk of this radius, the cell itself included. Default 1 (7 cells). */
	k?: number;
	/**
	 * The study area's cells. A cell in it without a value counts as 0 (e.g. no contacts there).
	 * Default: the cells that have a value. Either way, a neighbour outside the study area is not
	 * a cell of the analysis at all: it is left out, not counted as 0.
	 */
	studyArea?: Iterable<string>;
}

// A spread this small next to the values is rounding noise (0.1 + 0.2 …), not a pattern.
const FLAT_FIELD_RELATIVE_SPREAD = 1e-12;

/**
 * Gi* z-score per cell of the study area, with binary weights w_ij = 1 when j lies in the
 * gridDisk of radius k around i (j = i included), else 0:
 *
 *   G*_i = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S · √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
 *
 * where X̄ = Σ_j x_j / n and S = √(Σ_j x_j² / n − X̄²) over all n cells of the study area.
 * A flat field (S = 0), a one-cell area, or a cell whose neighbourhood is the whole area has no
 * contrast to show: its z is 0. The z-scores are not corrected for testing many cells at once.
 */
export function getisOrdGiStar(values: ReadonlyMap<string, number>, options: GiStarOptions = {}): Map<string, number> {
	const k = options.k ?? 1;
	if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number >= 0, got ${k}`);
	const field = studyField(values, options.studyArea);
	const n = field.size;

	// Work on deviations from the mean: Σ_j w_ij (x_j − X̄) is the numerator, and centring first
	// keeps the result steady when all values share a large offset.
	const xs = [...field.values()];
	const mean = xs.reduce((sum, x) => sum + x, 0) / n;
	const deviation = new Map([...field].map(([cell, x]) => [cell, x - mean]));
	const spread = Math.sqrt([...deviation.values()].reduce((sum, d) => sum + d * d, 0) / n); // S
	const largest = xs.reduce((max, x) => Math.max(max, Math.abs(x)), 0);

	const z = new Map([...field.keys()].map((cell) => [cell, 0]));
	if (n < 2 || spread <= FLAT_FIELD_RELATIVE_SPREAD * largest) return z; // flat: no contrast
	for (const cell of field.keys()) {
		let weightSum = 0; // Σ_j w_ij, which with 0/1 weights is also Σ_j w_ij²
		let numerator = 0;
		for (const neighbour of gridDisk(cell, k)) {
			const d = deviation.get(neighbour);
			if (d === undefined) continue;
			weightSum += 1;
			numerator += d;
		}
		const weightVariance = (n * weightSum - weightSum * weightSum) / (n - 1);
		if (weightVariance > 0) z.set(cell, numerator / (spread * Math.sqrt(weightVariance)));
	}
	return z;
}

// Cell → value over the study area, missing values 0. A value outside a given area is a caller's
// mistake (which area was meant?).
function studyField(values: ReadonlyMap<string, number>, studyArea: Iterable<string> | undefined): Map<string, number> {
	const cells = studyArea === undefined ? [...values.keys()] : [...new Set(studyArea)];
	const field = new Map(cells.map((cell) => [cell, values.get(cell) ?? 0]));
	for (const [cell, x] of values) {
		if (!field.has(cell)) throw new RangeError(`value for ${cell}, outside the study area`);
		if (!Number.isFinite(x)) throw new RangeError(`value of ${cell} must be finite, got ${x}`);
	}
	assertCellsOfOneResolution(cells);
	return field;
}

export type SpotConfidence = 90 | 95 | 99;
export interface Spot {
	kind: 'hot' | 'cold';
	confidence: SpotConfidence;
}

/** Two-sided critical |z| of the standard normal, strictest first. */
export const SPOT_THRESHOLDS: readonly { confidence: SpotConfidence; z: number }[] = [
	{ confidence: 99, z: 2.576 },
	{ confidence: 95, z: 1.96 },
	{ confidence: 90, z: 1.645 }
];

/** Hot spot when z ≥ 1.645 / 1.96 / 2.576 (90 / 95 / 99 %), cold when z ≤ the negatives; else null. */
export function classifySpot(z: number): Spot | null {
	const level = SPOT_THRESHOLDS.find((t) => Math.abs(z) >= t.z);
	return level ? { kind: z > 0 ? 'hot' : 'cold', confidence: level.confidence } : null;
}
