// One row of the coverage report (an area, or the organisation's total) for one period, from
// the exact counts: as they are for coordinators, or published for analysts. publishReportRow is
// the one place where the report meets the publication rule (privacy.ts), so a stronger rule
// changes the report here only.
import { publishCount, publishDays } from '../privacy';
import { coverageShare, median, perThousand } from './indicators';

/** What the database gives for an area (or the total) and a period, exact. */
export interface AreaCounts {
	contacts: number;
	persons: number;
	referrals: number;
	/** Cells of the area at the planning resolution with at least one contact in the period. */
	visitedCells: number;
	/** For each visited cell: days from its last contact to the period's last day. */
	daysSinceLast: number[];
	/** Underserved zones (score ≥ UNDERSERVED_ZONE_SCORE) whose centre lies in the area. */
	underserved: number;
	/** Signals open at the end of the period. */
	signals: number;
	/** Service locations in the area or within SERVICE_NEAR_M of it (public places: exact). */
	services: number;
}

/** What does not change with the period. */
export interface AreaShape {
	/** The area's cells at the planning resolution. */
	cells: number;
	/** Residents (the area's population), null when unknown. */
	population: number | null;
}

/** A report row's figures for one period; null is unknown or suppressed ("< k"). */
export interface ReportFigures {
	contacts: number | null;
	persons: number | null;
	/** Contacts per 1,000 residents, one decimal. */
	perThousand: number | null;
	/** Share 0..1 of the area's cells with a contact. */
	coverage: number | null;
	/** Median over the visited cells of the days since their last contact; whole weeks for analysts. */
	medianDays: number | null;
	referrals: number | null;
	underserved: number | null;
	signals: number | null;
	services: number | null;
}

export const FIGURES = ['contacts', 'persons', 'perThousand', 'coverage', 'medianDays', 'referrals', 'underserved', 'signals', 'services'] as const;
export type Figure = (typeof FIGURES)[number];

/** Zones scoring this or more count as underserved in the report. */
export const UNDERSERVED_ZONE_SCORE = 50;
/** Services this close to an area (metres) count for it. */
export const SERVICE_NEAR_M = 1000;

/** Exact figures, for coordinators. */
export function exactReportRow(c: AreaCounts, shape: AreaShape): ReportFigures {
	return {
		contacts: c.contacts,
		persons: c.persons,
		perThousand: perThousand(c.contacts, shape.population),
		coverage: coverageShare(c.visitedCells, shape.cells),
		medianDays: median(c.daysSinceLast),
		referrals: c.referrals,
		underserved: c.underserved,
		signals: c.signals,
		services: c.services
	};
}

/**
 * Published figures, for analysts: every count through publishCount; an area with 1..k−1
 * contacts shows none of its contact figures (its persons, referrals, coverage and last visit
 * would describe those few); the visited cells are a count too, so coverage is taken from the
 * published number of visited cells; per 1,000 from the published contacts; days in whole weeks.
 */
export function publishReportRow(c: AreaCounts, shape: AreaShape, k: number): ReportFigures {
	const contacts = publishCount(c.contacts, k);
	const small = contacts === null;
	const count = (n: number) => (small ? null : publishCount(n, k));
	const visited = count(c.visitedCells);
	return {
		contacts,
		persons: count(c.persons),
		perThousand: perThousand(contacts, shape.population),
		coverage: coverageShare(visited, shape.cells),
		medianDays: small ? null : publishDays(median(c.daysSinceLast)),
		referrals: count(c.referrals),
		// zones are scored from published figures and shown one by one on the analyst's map already
		underserved: c.underserved,
		signals: publishCount(c.signals, k),
		services: c.services
	};
}
