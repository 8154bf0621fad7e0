// The point of a row (CSV columns, a GeoJSON Point, a package's latitude/longitude) with the
// contacts import's rules: swapped pairs and a wrong CRS are named with their fix; points outside
// the organisation's area are refused unless accepted.
import { parseDecimal } from './values';
import { resolvePoint, type Crs, type CrsChoice, type LatLng, type OrgArea } from './coordinates';
import { rowIssue, type IssueCode, type RowIssue } from './row-errors';

export const CRS_NAMES: Record<Crs, string> = { wgs84: 'WGS84', lambert72: 'Lambert 72', lambert2008: 'Lambert 2008' };

export interface PointOptions {
	area: OrgArea;
	/** Accept swapped coordinates, fixed, with a warning (default: reject, suggest the fix). */
	fixSwapped?: boolean;
	/** Accept points outside the area with a warning (default: reject). */
	acceptOutside?: boolean;
}

/** Makes an issue about the named field(s) of the row, feature or table line being read. */
export type IssueMaker = (fields: string | readonly string[], code: IssueCode, value?: string, extra?: Record<string, string>) => RowIssue;

/**
 * An (east, north) pair → a WGS84 point inside the area, with the contacts import's rules:
 * swapped pairs and a wrong CRS are named with their fix; outside points are refused unless
 * accepted. `fields` are the north and east column (or property) names, for the messages.
 */
export function checkPoint(
	east: number,
	north: number,
	crs: CrsChoice,
	fields: readonly [string, string],
	o: PointOptions,
	issue: IssueMaker
): { point: LatLng | null; errors: RowIssue[]; warnings: RowIssue[] } {
	const errors: RowIssue[] = [];
	const warnings: RowIssue[] = [];
	const text = `${north} / ${east}`;
	const p = resolvePoint(east, north, crs, o.area);
	let point: LatLng | null = null;
	if (p.ok) point = p.point;
	else if (p.code === 'swapped' && o.fixSwapped) {
		point = p.fixed;
		warnings.push(issue(fields, 'swapped_fixed', text));
	} else if (p.code === 'swapped') errors.push(issue(fields, 'swapped', text, { a: fields[0], b: fields[1] }));
	else if (p.code === 'crs_mismatch')
		errors.push(issue(fields, 'crs_mismatch', text, { detected: CRS_NAMES[p.detected], declared: CRS_NAMES[p.crs] }));
	else if (p.code === 'outside' && o.acceptOutside) {
		point = p.point;
		warnings.push(issue(fields, 'outside', text));
	} else errors.push(issue(fields, p.code, text));
	return { point, errors, warnings };
}

export interface PointColumns {
	lat?: string;
	lng?: string;
	x?: string;
	y?: string;
	crs?: CrsChoice;
}

/** The point of a CSV row: the lat/lng pair when both are filled, else x/y (as contacts). */
export function pointFromColumns(
	get: (col: string | undefined) => string,
	m: PointColumns,
	row: number,
	o: PointOptions
): { point: LatLng | null; errors: RowIssue[]; warnings: RowIssue[] } {
	const useLatLng = m.lat !== undefined && m.lng !== undefined && get(m.lat) !== '' && get(m.lng) !== '';
	const northCol = useLatLng ? m.lat : (m.y ?? m.lat);
	const eastCol = useLatLng ? m.lng : (m.x ?? m.lng);
	const errors: RowIssue[] = [];
	if (northCol === undefined || eastCol === undefined) return { point: null, errors, warnings: [] };
	const nRaw = get(northCol);
	const eRaw = get(eastCol);
	const n = parseDecimal(nRaw);
	const e = parseDecimal(eRaw);
	if (nRaw === '') errors.push(rowIssue(row, northCol, 'required'));
	else if (!n.ok) errors.push(rowIssue(row, northCol, n.code, nRaw));
	if (eRaw === '') errors.push(rowIssue(row, eastCol, 'required'));
	else if (!e.ok) errors.push(rowIssue(row, eastCol, e.code, eRaw));
	if (!n.ok || !e.ok || errors.length) return { point: null, errors, warnings: [] };
	return checkPoint(e.value, n.value, m.crs ?? 'auto', [northCol, eastCol], o, (f, c, v, x) => {
		const text = `${nRaw} / ${eRaw}`;
		return rowIssue(
			row,
			f,
			c,
			c === 'swapped' || c === 'swapped_fixed' || c === 'crs_mismatch' || c === 'outside' || c === 'unrecognised_coordinates' ? text : v,
			x
		);
	});
}
