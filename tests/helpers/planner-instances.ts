// Random street-round instances on fixed seeds, shared by the planner tests and
// scripts/bench-planner.ts: zones scattered over central Ghent (about 3 × 3 km), walking minutes
// by great-circle distance × 1.3 at 4.5 km/h, scores 5–100, 10–20 minutes a zone.
import { heldKarp } from '../../src/lib/domain/planner/held-karp';
import type { MatrixStop } from '../../src/lib/domain/planner/orienteering';
import { mulberry32, type Rng } from '../../src/lib/domain/planner/random';
import type { Matrix } from '../../src/lib/domain/planner/tour';
import { walkingMinutesMatrix, type LatLng } from '../../src/lib/domain/planner/walking';

export const ghentPoint = (rng: Rng): LatLng => ({ lat: 51.04 + rng() * 0.027, lng: 3.705 + rng() * 0.043 });

export interface Instance {
	minutes: Matrix;
	/** Node 0 is the start (and end); stop k is node k + 1. */
	stops: MatrixStop[];
	budgetMinutes: number;
}

/** An orienteering instance with `n` candidates and a budget of 40–160 minutes. */
export function randomInstance(seed: number, n: number): Instance {
	const rng = mulberry32(seed);
	const points = Array.from({ length: n + 1 }, () => ghentPoint(rng));
	const stops = points.slice(1).map((_, k) => ({
		id: `z${String(k).padStart(2, '0')}`,
		value: 5 + Math.floor(rng() * 96),
		dwellMinutes: 10 + Math.floor(rng() * 11),
		node: k + 1
	}));
	return { minutes: walkingMinutesMatrix(points), stops, budgetMinutes: 40 + Math.round(rng() * 120) };
}

/**
 * The best total value by brute force, independently of the planner: subsets by value, highest
 * first, each checked with Held–Karp (after two cheap necessary conditions) until one fits.
 */
export function bruteForceBest(instance: Instance, start = 0, end = start): number {
	const { minutes: m, stops, budgetMinutes } = instance;
	const n = stops.length;
	const subsets = Array.from({ length: 1 << n }, (_, mask) => {
		const chosen = stops.filter((_, k) => mask & (1 << k));
		return { chosen, value: chosen.reduce((a, s) => a + s.value, 0) };
	}).sort((a, b) => b.value - a.value);
	for (const { chosen, value } of subsets) {
		const dwell = chosen.reduce((a, s) => a + s.dwellMinutes, 0);
		const reach = Math.max(m[start]![end]!, ...chosen.map((s) => m[start]![s.node]! + m[s.node]![end]!));
		if (dwell + reach > budgetMinutes + 1e-9) continue;
		if (
			heldKarp(
				m,
				start,
				chosen.map((s) => s.node),
				end
			).length +
				dwell <=
			budgetMinutes
		)
			return value;
	}
	return 0;
}
