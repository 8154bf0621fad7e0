// The coverage gap ranking: which areas need the next outreach hours. An area's gap is the mean
// underserved score (analysis/underserved.ts: need against reach, 0..100) of its zones, each zone
// weighted by its residents plus the area's mean residents per zone:
//
//   gap = Σ score_z · (r_z + r̄) / Σ (r_z + r̄)     over all the area's zones (unscored zones: 0)
//   r̄  = residents of the area / its zones          (1 when no residents are known)
//
// Half the weight follows where people live, half is spread over the area's ground: a purely
// residents-weighted mean would give a park or a station (few residents, many signals: where
// outreach often matters most) no weight at all, a plain mean would let empty ground dilute a
// crowded area. The reasons say in words what makes the area stand out against the organisation.
import type { ReportFigures } from './row';
import { UNDERSERVED_ZONE_SCORE } from './row';

export interface GapZone {
	score: number;
	residents: number;
}

export interface GapArea {
	code: string;
	name: string;
	/** The area's scored zones (zones absent here score 0). */
	zones: readonly GapZone[];
	/** How many zones (cells at the scoring resolution) the area holds. */
	zoneCount: number;
	/** The area's figures for the period (published ones for analysts). */
	figures: ReportFigures;
}

export type GapReason =
	| { kind: 'zones'; n: number; of: number }
	| { kind: 'signals'; count: number | null }
	| { kind: 'coverage'; share: number; org: number }
	| { kind: 'perThousand'; value: number; org: number }
	| { kind: 'lastVisit'; days: number }
	| { kind: 'noService' };

export interface GapRow {
	code: string;
	name: string;
	/** 0..100, one decimal. */
	score: number;
	reasons: GapReason[];
}

/** Days since the last visit (median over visited cells) from which it is a reason. */
export const LAST_VISIT_REASON_DAYS = 28;

/** The area's gap score (see the top of this file). */
export function gapScore(zones: readonly GapZone[], zoneCount: number): number {
	const n = Math.max(zoneCount, zones.length);
	if (n === 0) return 0;
	const residents = zones.reduce((a, z) => a + Math.max(z.residents, 0), 0);
	const mean = residents > 0 ? residents / n : 1;
	const weighted = zones.reduce((a, z) => a + z.score * (Math.max(z.residents, 0) + mean), 0);
	return Math.round((weighted / (residents + n * mean)) * 10) / 10;
}

/** The facts that set the area apart from the organisation, most telling first. */
export function gapReasons(a: GapArea, org: ReportFigures): GapReason[] {
	const f = a.figures;
	const out: GapReason[] = [];
	const high = a.zones.filter((z) => z.score >= UNDERSERVED_ZONE_SCORE).length;
	if (high > 0) out.push({ kind: 'zones', n: high, of: Math.max(a.zoneCount, a.zones.length) });
	// a suppressed count of signals is still some signals ("< k")
	if (f.signals === null || f.signals > 0) out.push({ kind: 'signals', count: f.signals });
	if (f.coverage !== null && org.coverage !== null && f.coverage < org.coverage) out.push({ kind: 'coverage', share: f.coverage, org: org.coverage });
	if (f.perThousand !== null && org.perThousand !== null && f.perThousand < org.perThousand)
		out.push({ kind: 'perThousand', value: f.perThousand, org: org.perThousand });
	if (f.medianDays !== null && f.medianDays >= LAST_VISIT_REASON_DAYS) out.push({ kind: 'lastVisit', days: f.medianDays });
	if (f.services === 0) out.push({ kind: 'noService' });
	return out;
}

/** Areas by gap, highest first (ties: more signals, then by name), each with its reasons. */
export function gapRanking(areas: readonly GapArea[], org: ReportFigures): GapRow[] {
	return areas
		.map((a) => ({ code: a.code, name: a.name, score: gapScore(a.zones, a.zoneCount), reasons: gapReasons(a, org), signals: a.figures.signals ?? 0 }))
		.sort((x, y) => y.score - x.score || y.signals - x.signals || x.name.localeCompare(y.name) || x.code.localeCompare(y.code))
		.map(({ code, name, score, reasons }) => ({ code, name, score, reasons }));
}
