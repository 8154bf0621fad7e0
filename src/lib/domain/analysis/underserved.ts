// Underserved zones: need without reach. Each cell gets a score from 0 to 100 and the facts behind
// it, so a coordinator can see why a zone is on the list and disagree with it.
//
//   need  = 1 − (1 − s)(1 − p)(1 − d)      any source of need counts, several count more
//     s   = 1 − 2^(−open signals / SIGNAL_HALF)                      signals weigh most
//     p   = POPULATION_WEIGHT · ρ / (ρ + DENSITY_HALF)               ρ: residents per km²
//     d   = DEMAND_WEIGHT · δ / (δ + DEMAND_HALF)                    δ: contacts per km² a year
//   gap   = STALE_WEIGHT · t + REMOTE_WEIGHT · r
//     t   = min(days since the last visit / STALE_DAYS, 1)           1 when none in STALE_DAYS
//     r   = 1 / (1 + A / Ā)            A: E2SFCA service access, Ā: its mean over residents
//   score = round(100 · need · gap)
//
// The saturating curves use fixed half-points rather than the data's own range, so a zone's score
// does not change because another zone changed, and two periods can be compared. Each reason says
// how many points the score would lose without it; the strongest come first.
import { cellArea, cellToChildren, cellToParent, getResolution } from 'h3-js';
import { assertCellsOfOneResolution, cellCentre, distanceM, EARTH_RADIUS_M, memoByCell, RAD, WALKING_DETOUR_FACTOR } from '../cells';
import { DEFAULT_WALKING_SIGMA_M, e2sfcaCells } from './e2sfca';

export const UNDERSERVED = {
	/** Open signals that make half the signal need. */
	SIGNAL_HALF: 2,
	/** Residents per km² that make half the population part (Ghent: ~1,700 on average, ~10,000 in the centre). */
	DENSITY_HALF: 8000,
	POPULATION_WEIGHT: 0.5,
	/** Contacts per km² a year that make half the demand part. */
	DEMAND_HALF: 200,
	DEMAND_WEIGHT: 0.5,
	/** Days without a visit after which a zone counts as wholly unvisited. */
	STALE_DAYS: 90,
	STALE_WEIGHT: 0.65,
	REMOTE_WEIGHT: 0.35,
	/** Services further than this (walking metres) do not count for access. */
	ACCESS_CUTOFF_M: 2400,
	/** Access is measured on cells at least this fine (res 9: ~350 m apart). */
	ACCESS_RES: 9,
	/** A reason worth less than this many points is not listed. */
	MIN_REASON_POINTS: 1
} as const;

export interface ZoneInput {
	/** An H3 cell; all zones of one call share a resolution. */
	cell: string;
	openSignals: number;
	/** Estimated residents (see populationByCell). */
	population: number;
	/** Contacts in the period (see ScoreOptions.periodDays). */
	contacts: number;
	/** Days since the last contact, or null when there was none in the last STALE_DAYS. */
	daysSinceLast: number | null;
	/** Contacts in the last STALE_DAYS (for publishing: a last visit among few is not shown). */
	recentContacts?: number;
	/**
	 * The last visit is not to be shown (an analyst's zone with 1..k-1 recent contacts): the score
	 * counts it as half-way to "long unvisited" and the reason says it is withheld.
	 */
	visitWithheld?: boolean;
	/** Referrals in the period, and the target most referred to (its id and count), when known. */
	referrals?: number;
	topTarget?: { id: number; referrals: number } | null;
}

export interface ServiceInput {
	/** An H3 cell at resolution ACCESS_RES (9) or finer, and no coarser than the zones. */
	cell: string;
	category: number;
	/** Places or clients a day; null when unknown (counted as the median known capacity). */
	capacity: number | null;
}

export type Reason =
	// count and contacts are null when suppressed for analysts ("< k")
	| { kind: 'signals'; points: number; count: number | null }
	// withheld: an analyst's zone with 1..k-1 recent contacts, whose last visit is not published
	| { kind: 'noVisit'; points: number; days: number | null; withheld?: true }
	| { kind: 'services'; points: number; accessRatio: number; nearestM: number | null; category: number | null }
	| { kind: 'population'; points: number; perKm2: number }
	// referrals and topTarget: "12 toeleidingen, waarvan 7 naar CAW", when a target is known
	| { kind: 'demand'; points: number; contacts: number | null; referrals?: number; topTarget?: { id: number; referrals: number } };

export interface ZoneScore {
	cell: string;
	score: number;
	need: number;
	gap: number;
	/** Strongest first; only those worth at least MIN_REASON_POINTS. */
	reasons: Reason[];
}

interface Parts {
	s: number;
	p: number;
	d: number;
	t: number;
	r: number;
}

const half = (x: number, h: number) => (x <= 0 ? 0 : x / (x + h));
const needOf = ({ s, p, d }: Parts) => 1 - (1 - s) * (1 - p) * (1 - d);
const gapOf = ({ t, r }: Parts) => UNDERSERVED.STALE_WEIGHT * t + UNDERSERVED.REMOTE_WEIGHT * r;
const pointsOf = (x: Parts) => 100 * needOf(x) * gapOf(x);

function median(xs: number[]): number {
	if (xs.length === 0) return 0;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The city's average access, the yardstick for "low access": the mean over residents (zones
 * weighted by population; for E2SFCA that is the capacity in reach per resident), or the plain
 * mean when no zone has residents. Not the median: where more than half the zones have no
 * service in reach the median is 0, and every zone would read as having none.
 */
function averageAccess(zones: readonly ZoneInput[], accessibility: ReadonlyMap<string, number>): number {
	let people = 0;
	let weighted = 0;
	let plain = 0;
	for (const z of zones) {
		const a = accessibility.get(z.cell) ?? 0;
		people += Math.max(z.population, 0);
		weighted += Math.max(z.population, 0) * a;
		plain += a;
	}
	return people > 0 ? weighted / people : plain / zones.length;
}

/** Capacities with the unknown ones set to the median known one (1 when none is known). */
function capacityByCell(services: readonly ServiceInput[], res: number): Map<string, number> {
	const known = services.map((s) => s.capacity).filter((c): c is number => c !== null && c > 0);
	const fallback = median(known) || 1;
	const out = new Map<string, number>();
	for (const s of services) {
		const cell = getResolution(s.cell) === res ? s.cell : cellToParent(s.cell, res);
		out.set(cell, (out.get(cell) ?? 0) + (s.capacity ?? fallback));
	}
	return out;
}

// Kept per cell across calls (a scoring asks the same cells again; see memoByCell).
const centreOf = memoByCell(cellCentre);
const areaKm2 = memoByCell((cell) => cellArea(cell, 'km2'));

/**
 * The nearest service in walking metres (the first in `services`' order among equals), and its
 * index. Starts from `hint` (the previous zone's nearest: neighbours share one), then skips every
 * service whose difference in latitude alone (a lower bound of the great-circle distance) is
 * clearly beyond the best so far; the others are measured exactly as walkingDistanceM does.
 */
function nearestService(
	at: { lat: number; lng: number },
	services: readonly { centre: { lat: number; lng: number }; category: number }[],
	hint: number
) {
	if (services.length === 0) return null;
	let bestIndex = Math.min(Math.max(hint, 0), services.length - 1);
	let best = distanceM(at, services[bestIndex]!.centre) * WALKING_DETOUR_FACTOR;
	for (let i = 0; i < services.length; i++) {
		if (i === bestIndex) continue;
		const c = services[i]!.centre;
		// R·|Δφ| ≤ the haversine distance; the margin keeps rounding from skipping an equal one
		if (Math.abs(c.lat - at.lat) * RAD * EARTH_RADIUS_M * WALKING_DETOUR_FACTOR > best * (1 + 1e-9)) continue;
		const metres = distanceM(at, c) * WALKING_DETOUR_FACTOR;
		if (metres < best || (metres === best && i < bestIndex)) {
			best = metres;
			bestIndex = i;
		}
	}
	return { metres: best, category: services[bestIndex]!.category, index: bestIndex };
}

/**
 * E2SFCA access per zone, measured on cells of at least ACCESS_RES: a coarse zone (res 7 is
 * ~1.4 km across) is split into its res-9 cells, its residents spread evenly over them, and its
 * access is their mean. Measured between coarse cell centres, a service one zone away would be
 * ~3 km off and out of reach, and only zones holding a service would have any access.
 */
function zoneAccess(
	zones: readonly ZoneInput[],
	services: readonly ServiceInput[],
	res: number,
	centres: ReadonlyMap<string, { lat: number; lng: number }>
): Map<string, number> {
	const fine = Math.max(res, UNDERSERVED.ACCESS_RES);
	const supply = capacityByCell(services, fine);
	if (supply.size === 0) return new Map();
	// Without residents anywhere (no populated area layer) E2SFCA has no demand to share the
	// supply over and every access would be 0: weigh every cell alike instead.
	const anyone = zones.some((z) => z.population > 0);
	const options = { cutoffM: UNDERSERVED.ACCESS_CUTOFF_M, sigmaM: DEFAULT_WALKING_SIGMA_M };
	if (fine === res) {
		// each zone is its own access cell (the mean over one cell is its access)
		const demand = new Map<string, number>();
		for (const z of zones) demand.set(z.cell, anyone ? Math.max(z.population, 0) : 1);
		return e2sfcaCells(demand, supply, options, centres).accessibility;
	}
	const parts = new Map(zones.map((z) => [z.cell, cellToChildren(z.cell, fine)]));
	const demand = new Map<string, number>();
	for (const z of zones) {
		const cells = parts.get(z.cell)!;
		for (const c of cells) demand.set(c, anyone ? Math.max(z.population, 0) / cells.length : 1);
	}
	const { accessibility } = e2sfcaCells(demand, supply, options);
	const out = new Map<string, number>();
	for (const [zone, cells] of parts) out.set(zone, cells.reduce((a, c) => a + (accessibility.get(c) ?? 0), 0) / cells.length);
	return out;
}

/**
 * Scores every zone, highest first (ties: more need first, then by cell id, so the order is
 * deterministic). Zones with no need at all score 0 and have no reasons.
 */
export interface ScoreOptions {
	/** Days the zones' contacts were counted over: demand is taken per year, so periods compare. */
	periodDays?: number;
}

export function scoreZones(givenZones: readonly ZoneInput[], givenServices: readonly ServiceInput[], opts: ScoreOptions = {}): ZoneScore[] {
	const perYear = 365 / (opts.periodDays ?? 365);
	if (givenZones.length === 0) return [];
	// one summation order whatever the input order, so equal inputs give equal floats
	const zones = [...givenZones].sort((a, b) => byCell(a.cell, b.cell));
	const services = [...givenServices].sort((a, b) => byCell(a.cell, b.cell) || a.category - b.category || (a.capacity ?? -1) - (b.capacity ?? -1));
	assertCellsOfOneResolution(zones.map((z) => z.cell));
	const res = getResolution(zones[0]!.cell);
	const U = UNDERSERVED;

	// each zone's centre once, for access and for the nearest service
	const zoneCentres = new Map(zones.map((z) => [z.cell, centreOf(z.cell)]));
	const accessibility = zoneAccess(zones, services, res, zoneCentres);
	const typical = averageAccess(zones, accessibility);
	const centres = services.map((s) => ({ centre: centreOf(s.cell), category: s.category }));
	let nearestHint = 0;

	const scored = zones.map((z): ZoneScore => {
		const km2 = areaKm2(z.cell);
		const density = z.population / km2;
		const ratio = typical > 0 ? (accessibility.get(z.cell) ?? 0) / typical : 0;
		const x: Parts = {
			s: z.openSignals > 0 ? 1 - 2 ** (-z.openSignals / U.SIGNAL_HALF) : 0,
			p: U.POPULATION_WEIGHT * half(density, U.DENSITY_HALF),
			d: U.DEMAND_WEIGHT * half((z.contacts * perYear) / km2, U.DEMAND_HALF),
			t: z.visitWithheld ? 0.5 : z.daysSinceLast === null ? 1 : Math.min(Math.max(z.daysSinceLast, 0) / U.STALE_DAYS, 1),
			r: 1 / (1 + ratio)
		};
		const total = pointsOf(x);
		// each part set to 0 in a plain copy (a computed-key spread is slow over 12,000 zones)
		const without = (k: keyof Parts) => {
			const y: Parts = { s: x.s, p: x.p, d: x.d, t: x.t, r: x.r };
			y[k] = 0;
			return total - pointsOf(y);
		};
		// each reason worth listing, its points rounded, strongest first (a stable sort: ties keep
		// this order); built directly, as a scoring of 12,000 zones makes 60,000 of them
		const reasons: Reason[] = [];
		const min = U.MIN_REASON_POINTS;
		const signals = without('s');
		if (signals >= min) reasons.push({ kind: 'signals', points: Math.round(signals), count: z.openSignals });
		const visit = without('t');
		if (visit >= min)
			reasons.push(
				z.visitWithheld
					? { kind: 'noVisit', points: Math.round(visit), days: null, withheld: true }
					: { kind: 'noVisit', points: Math.round(visit), days: z.daysSinceLast }
			);
		const remote = without('r');
		if (remote >= min) {
			const nearest = nearestService(zoneCentres.get(z.cell)!, centres, nearestHint);
			if (nearest) nearestHint = nearest.index;
			reasons.push({
				kind: 'services',
				points: Math.round(remote),
				accessRatio: ratio,
				nearestM: nearest ? Math.round(nearest.metres) : null,
				category: nearest?.category ?? null
			});
		}
		const population = without('p');
		if (population >= min) reasons.push({ kind: 'population', points: Math.round(population), perKm2: Math.round(density) });
		const demand = without('d');
		if (demand >= min)
			reasons.push(
				z.referrals && z.topTarget
					? { kind: 'demand', points: Math.round(demand), contacts: z.contacts, referrals: z.referrals, topTarget: z.topTarget }
					: { kind: 'demand', points: Math.round(demand), contacts: z.contacts }
			);
		return {
			cell: z.cell,
			score: Math.round(total),
			need: needOf(x),
			gap: gapOf(x),
			reasons: reasons.length > 1 ? reasons.sort((a, b) => b.points - a.points) : reasons
		};
	});
	return scored.sort((a, b) => b.score - a.score || b.need - a.need || byCell(a.cell, b.cell));
}

const byCell = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
