// The reports' read API: the coverage report per area of an area layer, with each figure for
// the period, the period before it and a year earlier. Declared once for the +server.ts route
// and the browser client.
import { z } from 'zod';
import { parseDay } from '$lib/domain/calendar';
import type { ReportFigures } from '$lib/domain/reports/row';
import type { GapRow } from '$lib/domain/reports/gap';
import type { VocabularyEntry } from '$lib/domain/vocabulary';
import { endpoint } from './endpoint';
import { textParam } from './params';

const day = textParam((raw) => {
	const v = parseDay(raw);
	return v ? { ok: true, value: v } : { ok: false, message: 'expected a date as YYYY-MM-DD' };
});

/**
 * layer: an area layer of the organisation (default: the organisation's district layer); from/to: inclusive
 * days (default: the last ended quarter). Analysts may ask one ended quarter only.
 */
export const coverageQuery = z
	.object({
		layer: z
			.string()
			.regex(/^[\p{L}\p{N}_.\- ]{1,100}$/u, 'expected the name of an area layer')
			.optional(),
		from: day.optional(),
		to: day.optional()
	})
	.strict();

export type CoverageQuery = z.output<typeof coverageQuery>;

/** One figure per area, in the order of `areas`; null is unknown or suppressed ("< k"). */
export type FigureColumns = { [F in keyof ReportFigures]: ReportFigures[F][] };

export interface PeriodFigures {
	from: string;
	to: string;
	areas: FigureColumns;
	/** The organisation as a whole (all its contacts, inside an area or not), from the true counts. */
	total: ReportFigures;
	/**
	 * Referrals by target category, in the order of `targets`: per target, one figure per area
	 * (`areas[t][i]`), and the organisation's. Null: "< k" (analysts).
	 */
	byTarget: { areas: (number | null)[][]; total: (number | null)[] };
}

export interface CoverageReport {
	layer: string;
	/** Every area layer of the organisation, for the layer picker. */
	layers: string[];
	/** The resolution coverage is counted at (the planning resolution). */
	res: number;
	/** The resolution underserved zones were scored at. */
	zoneRes: number;
	/** Set for analysts: counts are published with this k, rounded to `rounding`. */
	published: { k: number; rounding: number } | null;
	areas: { codes: string[]; names: string[]; population: (number | null)[]; cells: number[] };
	/** The referral target categories of `byTarget`; id 0 (code "unknown"): referrals that name none. */
	targets: VocabularyEntry[];
	current: PeriodFigures;
	previous: PeriodFigures;
	yearEarlier: PeriodFigures;
	/** Areas by coverage gap, highest first. */
	gap: GapRow[];
}

/** GET /api/reports/coverage?layer=&from=&to= */
export const coverage = endpoint<CoverageReport>()({ method: 'GET', path: '/api/reports/coverage', query: coverageQuery });
