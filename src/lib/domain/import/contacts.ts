// One CSV record → one contact row, or the list of everything wrong with it. Pure: the caller
// passes the org's vocabularies, area, storage resolution and `now`.
import type { Vocabularies, VocabularyKind } from '../vocabulary';
import { TIME_ZONE } from '../calendar';
import { parseDateTime } from './dates';
import { parseBoolean, parseDecimal } from './values';
import { matchValues, problemCode, ValueResolver, valueSplitter, type Resolved, type ValueTally } from './value-map';
import { resolvePoint, snapPoint, type OrgArea } from './coordinates';
import { CRS_NAMES } from './points';
import { rowIssue, type RowIssue } from './row-errors';
import { hash128 } from './hash';
import { SeenIds } from './seen-ids';
import type { ColumnMapping } from './mapping';
import type { Separator } from './sniff';

/** What the importer stores. No coordinates: the cell is the location. */
export interface ContactRow {
	externalId: string;
	/** ISO 8601 UTC. */
	occurredAt: string;
	/** H3 cell (hex) at the org's storage resolution. */
	cell: string;
	contactType: number;
	targetGroups: number[];
	themes: number[];
	persons: number;
	referral: boolean;
	/** To whom (a referral_target id), when the referral column named a target rather than yes/no. */
	referralTarget?: number;
	team?: string;
}

export interface ContactContext {
	mapping: ColumnMapping;
	vocabularies: Pick<Vocabularies, 'contact_type' | 'target_group' | 'theme'> & Partial<Pick<Vocabularies, 'referral_target'>>;
	area: OrgArea;
	/** Storage resolution (org policy, default 10). */
	resolution: number;
	now: Date | number;
	/** The file's column separator: decides how multi-valued cells split (default ';'). */
	separator?: Separator;
	timeZone?: string;
	/** Accept swapped coordinates, fixed, with a warning (default: reject, suggest the fix). */
	fixSwapped?: boolean;
	/** Accept points outside the area with a warning (default: reject). */
	acceptOutside?: boolean;
	/** Largest accepted number of people in one contact (default 500). */
	maxPersons?: number;
	/** Counts each distinct vocabulary value and how it matched (the dry run lists them). */
	tally?: ValueTally;
}

export type RowResult =
	| { ok: true; row: ContactRow; warnings: RowIssue[]; /** the canonical content, to compare rows */ contentKey: string }
	| { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

const LIST_NAMES: Record<VocabularyKind, { listNl: string; listEn: string }> = {
	contact_type: { listNl: 'contacttypes', listEn: 'contact type' },
	target_group: { listNl: 'doelgroepen', listEn: 'target group' },
	theme: { listNl: 'thema’s', listEn: 'theme' },
	service_category: { listNl: 'voorzieningen', listEn: 'service category' },
	referral_target: { listNl: 'doorverwijzingen', listEn: 'referral target' }
};
const MAX_ID = 200;
const MAX_TEAM = 100;

/**
 * Builds a validator for one file: vocabulary indexes are built once. `row` is the 1-based line
 * the record starts on; messages name it together with the file's column names.
 *
 * externalId: the ID column when mapped and filled; otherwise "h" + a hash of the row's canonical
 * content (time, cell, type, groups, themes, persons, referral, team), so importing the same file
 * again yields the same ids and no duplicates. Rows without an ID that are equal in that sense
 * are separate contacts (a date-only export lists two short contacts at one place as two equal
 * rows): the nth copy gets "#n" after the hash, so a re-import still finds each one, and a
 * warning names the first. The hash never covers the raw coordinates: a hash over (time, exact
 * point) could be brute-forced back to the point, which the cell exists to hide.
 */
export function createContactValidator(ctx: ContactContext): (record: Record<string, string>, row: number) => RowResult {
	const m = ctx.mapping;
	const sep = ctx.separator ?? ';';
	const tz = ctx.timeZone ?? TIME_ZONE;
	const maxPersons = ctx.maxPersons ?? 500;
	// derived ids seen so far (~20 bytes a row), and how many copies of the ones seen twice
	const derivedSeen = new SeenIds();
	const copies = new Map<string, number>();
	const values = m.values ?? {};
	const resolvers = {
		contactType: new ValueResolver(ctx.vocabularies.contact_type, values.contactType),
		targetGroups: new ValueResolver(ctx.vocabularies.target_group, values.targetGroups),
		themes: new ValueResolver(ctx.vocabularies.theme, values.themes)
	};
	const split = valueSplitter(sep, m.separator);
	const tally = ctx.tally;
	const column = (
		field: 'targetGroups' | 'themes',
		kind: 'target_group' | 'theme',
		record: Record<string, string>,
		row: number,
		errors: RowIssue[]
	) =>
		m[field] === undefined
			? []
			: matchValues(
					cellValue(record, m[field]),
					row,
					m[field],
					resolvers[field],
					split,
					LIST_NAMES[kind],
					errors,
					tally && ((v, r) => tally.add(field, v, r))
				);
	const targets = new ValueResolver(ctx.vocabularies.referral_target ?? [], values.referral);
	const tallyReferral = tally && ((v: string, r: Resolved) => tally.add('referral', v, r));

	return (record, row) => {
		const errors: RowIssue[] = [];
		const warnings: RowIssue[] = [];
		const get = (col: string | undefined) => cellValue(record, col);

		// When
		let occurredAt = '';
		const dateRaw = get(m.occurredAt);
		const timeRaw = get(m.time);
		if (dateRaw === '') errors.push(rowIssue(row, m.occurredAt, 'required'));
		else {
			const raw = timeRaw ? `${dateRaw} ${timeRaw}` : dateRaw;
			const d = parseDateTime(raw, { now: ctx.now, timeZone: tz });
			if (!d.ok) errors.push(rowIssue(row, m.occurredAt, d.code, raw));
			else {
				occurredAt = d.value.iso;
				if (d.value.dst) warnings.push(rowIssue(row, m.occurredAt, d.value.dst === 'gap' ? 'dst_gap' : 'dst_overlap', raw));
			}
		}

		// Where: lat/lng when both filled, else x/y.
		let cell = '';
		const useLatLng = m.lat !== undefined && m.lng !== undefined && get(m.lat) !== '' && get(m.lng) !== '';
		const northCol = useLatLng ? m.lat : (m.y ?? m.lat);
		const eastCol = useLatLng ? m.lng : (m.x ?? m.lng);
		if (northCol !== undefined && eastCol !== undefined) {
			const nRaw = get(northCol);
			const eRaw = get(eastCol);
			const cols = [northCol, eastCol];
			const pairText = `${nRaw} / ${eRaw}`;
			const n = parseDecimal(nRaw);
			const e = parseDecimal(eRaw);
			if (nRaw === '') errors.push(rowIssue(row, northCol, 'required'));
			else if (!n.ok) errors.push(rowIssue(row, northCol, n.code, nRaw));
			if (eRaw === '') errors.push(rowIssue(row, eastCol, 'required'));
			else if (!e.ok) errors.push(rowIssue(row, eastCol, e.code, eRaw));
			if (n.ok && e.ok) {
				const p = resolvePoint(e.value, n.value, m.crs ?? 'auto', ctx.area);
				if (p.ok) cell = snapPoint(p.point, ctx.resolution);
				else if (p.code === 'swapped' && ctx.fixSwapped) {
					cell = snapPoint(p.fixed, ctx.resolution);
					warnings.push(rowIssue(row, cols, 'swapped_fixed', pairText));
				} else if (p.code === 'swapped') errors.push(rowIssue(row, cols, 'swapped', pairText, { a: northCol, b: eastCol }));
				else if (p.code === 'crs_mismatch')
					errors.push(rowIssue(row, cols, 'crs_mismatch', pairText, { detected: CRS_NAMES[p.detected], declared: CRS_NAMES[p.crs] }));
				else if (p.code === 'outside' && ctx.acceptOutside) {
					cell = snapPoint(p.point, ctx.resolution);
					warnings.push(rowIssue(row, cols, 'outside', pairText));
				} else errors.push(rowIssue(row, cols, p.code, pairText));
			}
		}

		// What
		let contactType = 0;
		const typeRaw = get(m.contactType);
		if (typeRaw === '') errors.push(rowIssue(row, m.contactType, 'required'));
		else {
			const t = resolvers.contactType.resolve(typeRaw);
			tally?.add('contactType', typeRaw, t);
			if ('id' in t) contactType = t.id;
			else if (t.how === 'rejected') errors.push(rowIssue(row, m.contactType, 'rejected_value', typeRaw));
			else {
				const parts = split(typeRaw);
				const several = parts.length > 1 && parts.every((p) => 'id' in resolvers.contactType.resolve(p));
				errors.push(rowIssue(row, m.contactType, several ? 'multiple_values' : problemCode(t), typeRaw, LIST_NAMES.contact_type));
			}
		}
		const targetGroups = column('targetGroups', 'target_group', record, row, errors);
		const themes = column('themes', 'theme', record, row, errors);

		let persons = 1;
		const personsRaw = get(m.persons);
		if (m.persons !== undefined && personsRaw !== '') {
			const p = parseDecimal(personsRaw);
			if (p.ok && Number.isInteger(p.value) && p.value >= 1 && p.value <= maxPersons) persons = p.value;
			else errors.push(rowIssue(row, m.persons, 'invalid_persons', personsRaw, { max: String(maxPersons) }));
		}

		let referral = false;
		let referralTarget: number | undefined;
		if (m.referral !== undefined) {
			const r = parseReferral(get(m.referral), targets, tallyReferral);
			if (r.ok) ({ referral, target: referralTarget } = r);
			else errors.push(rowIssue(row, m.referral, r.code, get(m.referral), r.code === 'ambiguous_value' ? LIST_NAMES.referral_target : undefined));
		}

		const team = get(m.team);
		if (team.length > MAX_TEAM) errors.push(rowIssue(row, m.team!, 'too_long', team, { max: String(MAX_TEAM) }));
		const fileId = get(m.externalId);
		if (fileId.length > MAX_ID) errors.push(rowIssue(row, m.externalId!, 'too_long', fileId, { max: String(MAX_ID) }));

		if (errors.length > 0) return { ok: false, errors, warnings };
		const groups = sortedIds(targetGroups);
		const sortedThemes = sortedIds(themes);
		// Compares rows within one file: any canonical form will do, so a cheap one.
		const contentKey = `${occurredAt}|${cell}|${contactType}|${groups}|${sortedThemes}|${persons}|${referral}|${team}|${referralTarget ?? ''}`;
		let externalId = fileId;
		if (!externalId) {
			// The target joins the hash only when there is one: files of yes/no keep their ids.
			const canonical: unknown[] = [occurredAt, cell, contactType, groups, sortedThemes, persons, referral, team];
			if (referralTarget !== undefined) canonical.push(referralTarget);
			externalId = derivedId(canonical);
			const seen = derivedSeen.check(externalId, '', row);
			if (seen.kind !== 'new') {
				const n = (copies.get(externalId) ?? 1) + 1;
				copies.set(externalId, n);
				warnings.push(rowIssue(row, '', 'identical_row', undefined, { first: String(seen.first) }));
				externalId = `${externalId}#${n}`;
			}
		}
		const out: ContactRow = {
			externalId,
			occurredAt,
			cell,
			contactType,
			targetGroups,
			themes,
			persons,
			referral
		};
		if (referralTarget !== undefined) out.referralTarget = referralTarget;
		if (team) out.team = team;
		return { ok: true, row: out, warnings, contentKey };
	};
}

// Per-row helpers live out here: closures made inside the row function cost an allocation a row.
const cellValue = (record: Record<string, string>, col: string | undefined) => (col === undefined ? '' : (record[col] ?? '').trim());

/**
 * A referral cell: yes/no ("ja", "nee", "1", …: a referral, no target known), empty (none), or
 * a referral target: through the user's value map, or its code or label, matched exactly or
 * ignoring case and accents ("caw", "Ocmw", "nachtopvang"). A value that is neither is
 * invalid_referral (invalid_boolean when the organisation has no targets). A yes/no word wins
 * over a target of the same spelling. Target values (not yes/no words) are tallied.
 */
export function parseReferral(
	raw: string,
	targets: ValueResolver,
	tally?: (value: string, r: Resolved) => void
):
	| { ok: true; referral: boolean; target?: number }
	| { ok: false; code: 'invalid_boolean' | 'invalid_referral' | 'ambiguous_value' | 'rejected_value' } {
	const b = parseBoolean(raw);
	if (b.ok) return { ok: true, referral: b.value };
	if (targets.empty) return { ok: false, code: b.code };
	const t = targets.resolve(raw);
	tally?.(raw.trim(), t);
	if ('id' in t) return { ok: true, referral: true, target: t.id };
	return { ok: false, code: t.how === 'rejected' ? 'rejected_value' : t.how === 'ambiguous' ? 'ambiguous_value' : 'invalid_referral' };
}

const sortedIds = (ids: number[]) => (ids.length > 1 ? [...ids].sort((a, b) => a - b) : ids);

/** Stored ids derived from content: this exact form, or re-imports of earlier files would duplicate. */
const derivedId = (canonical: unknown[]) => `h${hash128(JSON.stringify(canonical))}`;

/** One-off validation (builds the indexes each call; use createContactValidator for files). */
export function validateContactRow(record: Record<string, string>, row: number, ctx: ContactContext): RowResult {
	return createContactValidator(ctx)(record, row);
}
