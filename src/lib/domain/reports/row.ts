// One row of the coverage report (an area, or the organisation's total) for one period, from
// the exact counts: as they are for coordinators, or published for analysts. publishReportRow is
// the one place where the report meets the publication rule (privacy.ts), so a stronger rule
// changes the report here only.
import { cellKey, guardValue, publishDays, publishValue, type PublishedFigures, type SplitBound } from '../privacy';
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

/** What the cell-key rule needs besides the exact counts (server side only; never sent). */
export interface AreaKeys {
	/** The area's contacts, persons and referrals as the map's area total publishes them (publishAreaTotals). */
	published: PublishedFigures;
	/** Sum of the record keys of the area's contacts (mod 256): the visited cells' cell key. */
	contactKey: number;
	/** Sum of the record keys of its open signals (mod 256). */
	signalKey: number;
	/**
	 * What the signals' published parts say (the zones inside the area as an analyst's underserved
	 * zones publish them; for the total also the areas), for publishTotal's guard.
	 */
	signalParts?: readonly SplitBound[];
}

/**
 * Published figures, for analysts, by the one publication rule (privacy.ts, the cell-key method):
 * contacts, persons and referrals are the map's area totals for the same cells and period (the
 * server computes them with publishAreaTotals), so the report and the map agree; an area with
 * 1..k−1 contacts ("< k") shows none of its contact figures (its persons, referrals, coverage and
 * last visit would describe those few); the visited cells are a count too, perturbed from the
 * area's contact keys, and coverage is taken from that; per 1,000 from the published contacts;
 * open signals from their own keys; days in whole weeks.
 */
export function publishReportRow(c: AreaCounts, shape: AreaShape, k: number, keys: AreaKeys): ReportFigures {
	const { contacts, persons, referrals } = keys.published;
	const small = contacts === null;
	const visited = small ? null : publishValue(c.visitedCells, cellKey(keys.contactKey, 'visited'), k);
	return {
		contacts,
		persons: small ? null : persons,
		perThousand: perThousand(contacts, shape.population),
		coverage: coverageShare(visited, shape.cells),
		medianDays: small ? null : publishDays(median(c.daysSinceLast)),
		referrals: small ? null : referrals,
		// zones are scored from published figures and shown one by one on the analyst's map already
		underserved: c.underserved,
		signals: guardValue(publishValue(c.signals, cellKey(keys.signalKey, 'signals'), k), k, keys.signalParts ?? []),
		services: c.services
	};
}
