// Which aggregate questions an analyst may ask. Rounding and "< k" protect one answer, but not a
// family of overlapping ones: with every window of 20 to 30 days, a solver recovered the exact
// daily counts of 1 to 4 in a cell from the published ranges alone (a privacy review reproduced
// it). So analysts ask from a small family of non-overlapping questions:
// - one whole calendar quarter that has ended (no overlapping windows; no day-by-day growth of an
//   open quarter to difference);
// - their policy resolution only (no parent cell to set against its children);
// - the whole organisation (no bbox: the totals are not over a chosen set of cells);
// - at most one filter value: one contact type or one target group (no unions of values).
// What remains is a cell set against its own per-type or per-group figures; see the README.
import { maxResolutionFor, type ResolutionPolicy } from './access';
import type { HexQuery, ParamError } from './hex-query';
import { endedQuarters, wholeQuarter, type Quarter } from './calendar';

/** The resolution analysts see: the finest they may (their policy resolution), and no other. */
export function analystRes(org: ResolutionPolicy): number {
	return maxResolutionFor('analyst', org);
}

/** The quarter an analyst's map opens on (and the API's default for them). */
export function defaultAnalystQuarter(today: string): Quarter {
	return endedQuarters(today, 1)[0]!;
}

export function analystQueryRefusal(q: HexQuery, org: ResolutionPolicy, today: string): ParamError | null {
	const res = analystRes(org);
	if (q.res !== res) return { param: 'res', message: `analysts see resolution ${res} only` };
	const quarter = wholeQuarter(q.from, q.to);
	if (!quarter) {
		const example = defaultAnalystQuarter(today);
		return {
			param: 'from',
			message: `analysts see one whole calendar quarter at a time, e.g. from=${example.from}&to=${example.to}`
		};
	}
	if (quarter.to >= today) {
		return { param: 'to', message: `Q${quarter.q} ${quarter.year} has not ended yet; analysts see quarters that have ended` };
	}
	if (q.bbox) return { param: 'bbox', message: 'analysts see the whole organisation at once; leave bbox out' };
	const values = (q.types?.length ?? 0) + (q.groups?.length ?? 0);
	if (values > 1) {
		return { param: q.groups?.length ? 'groups' : 'types', message: 'analysts filter on one contact type or one target group at a time' };
	}
	return null;
}
