// Signals ("signalen", "meldingen"): a partner, a citizen or a worker reports something seen at
// a place. From a CSV (partners' registrations) or from the /signals form. The place becomes a
// cell at the org's storage resolution, like a contact; the description is free text that must
// not name anyone, so obvious personal data (e-mail addresses, phone numbers, national register
// numbers) is flagged as a warning.
import type { VocabularyEntry } from '../vocabulary';
import { isCell, cellCentre } from '../cells';
import { TIME_ZONE } from '../calendar';
import { parseDateTime } from './dates';
import { parseDecimal } from './values';
import { buildVocabularyIndex, matchKey, matchVocabulary } from './vocab-match';
import { matchValues, ValueResolver, valueSplitter, type Resolved, type ValueTally } from './value-map';
import { insideArea, snapPoint, type OrgArea } from './coordinates';
import { rowIssue, type RowIssue } from './row-errors';
import { hash128 } from './hash';
import { REPORTER_KINDS, type ReporterKind, type SignalMapping } from './mapping';
import type { ParseSummary, RowBatch, RowValidator } from './rows';
import { parseCsvRows, type CsvSource } from './csv-rows';
import { checkPoint, pointFromColumns, type PointOptions } from './points';
import type { TextEncodingName } from './decode';
import type { Separator } from './sniff';

export const SIGNAL_STATUSES = ['open', 'handled'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

export const MAX_DESCRIPTION = 2000;
const MAX_ID = 200;

const REPORTER_WORDS: Record<ReporterKind, string[]> = {
	partner: ['partner', 'partners', 'partnerorganisatie', 'partenaire', 'organisatie', 'dienst', 'voorziening', 'partner organisation'],
	citizen: ['burger', 'burgers', 'citizen', 'bewoner', 'buurtbewoner', 'inwoner', 'omwonende', 'citoyen', 'habitant', 'resident'],
	worker: ['werker', 'outreachwerker', 'outreacher', 'straathoekwerker', 'veldwerker', 'worker', 'outreach worker', 'medewerker', 'travailleur']
};
const STATUS_WORDS: Record<SignalStatus, string[]> = {
	open: ['open', 'nieuw', 'new', 'lopend', 'in behandeling', 'te behandelen', 'todo', 'ouvert', 'nouveau'],
	handled: ['afgehandeld', 'behandeld', 'handled', 'closed', 'gesloten', 'done', 'klaar', 'opgelost', 'resolved', 'afgesloten', 'traité', 'clôturé']
};

const wordIndex = <K extends string>(words: Record<K, string[]>) => {
	const m = new Map<string, K>();
	for (const [k, list] of Object.entries(words) as [K, string[]][]) for (const w of list) m.set(matchKey(w), k);
	return m;
};
const REPORTERS = wordIndex(REPORTER_WORDS);
const STATUSES = wordIndex(STATUS_WORDS);

/** partner / burger / (outreach)werker / citizen / … → the stored kind, or null. */
export function parseReporterKind(raw: string): ReporterKind | null {
	return REPORTERS.get(matchKey(raw)) ?? null;
}

/** open / afgehandeld / handled / … → the stored status; empty is open. */
export function parseSignalStatus(raw: string): SignalStatus | null {
	if (raw.trim() === '') return 'open';
	return STATUSES.get(matchKey(raw)) ?? null;
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const PHONE = /(?:\+|00)32[\s./-]*\d(?:[\s./-]*\d){7,8}|\b0\d{1,3}(?:[\s./-]*\d{2,3}){3}\b/;
const NATIONAL_NUMBER = /\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s]?\d{3}[.\s]?\d{2}\b/;

/** Obvious personal data in a free text (not names: those cannot be told reliably). */
export function personalDataIn(text: string): { nl: string; en: string } | null {
	if (EMAIL.test(text)) return { nl: 'een e-mailadres', en: 'an e-mail address' };
	if (NATIONAL_NUMBER.test(text)) return { nl: 'een rijksregisternummer', en: 'a national register number' };
	if (PHONE.test(text)) return { nl: 'een telefoonnummer', en: 'a phone number' };
	return null;
}

export function signalColumns(m: SignalMapping): string[] {
	const cols = [m.reportedAt, m.time, m.lat, m.lng, m.x, m.y, m.reporterKind, m.description, m.targetGroups, m.status, m.handledAt, m.externalId];
	return [...new Set(cols.filter((c): c is string => c !== undefined))];
}

/** What the importer stores. No coordinates: the cell is the location. */
export interface SignalRow {
	externalId: string;
	/** ISO 8601 UTC. */
	reportedAt: string;
	/** H3 cell (hex) at the org's storage resolution. */
	cell: string;
	reporterKind: ReporterKind;
	description: string;
	targetGroups: number[];
	status: SignalStatus;
	handledAt: string | null;
}

export interface SignalContext extends PointOptions {
	targetGroups: readonly VocabularyEntry[];
	/** Storage resolution (org policy). */
	resolution: number;
	now: Date | number;
	separator?: Separator;
	timeZone?: string;
	/** Counts each distinct target group value and how it matched (the dry run lists them). */
	tally?: ValueTally;
}

const LIST = { listNl: 'doelgroepen', listEn: 'target group' };

/**
 * A validator for the rows of one signals file. externalId: the ID column when mapped and
 * filled, else "s" + a hash of when, where, who, what and for whom, so the same file imported
 * again finds its rows. The status is left out of that hash on purpose: a later export in which
 * a signal is marked handled updates the row instead of adding one.
 */
export function createSignalValidator(m: SignalMapping, ctx: SignalContext): RowValidator<SignalRow> {
	const sep = ctx.separator ?? ';';
	const tz = ctx.timeZone ?? TIME_ZONE;
	const groups = new ValueResolver(ctx.targetGroups, m.values?.targetGroups);
	const split = valueSplitter(sep, m.separator);
	const tally = ctx.tally && ((v: string, r: Resolved) => ctx.tally!.add('targetGroups', v, r));
	return (record, row) => {
		const errors: RowIssue[] = [];
		const warnings: RowIssue[] = [];
		const get = (col: string | undefined) => (col === undefined ? '' : (record[col] ?? '').trim());

		let reportedAt = '';
		const dateRaw = get(m.reportedAt);
		const timeRaw = get(m.time);
		if (dateRaw === '') errors.push(rowIssue(row, m.reportedAt, 'required'));
		else {
			const raw = timeRaw ? `${dateRaw} ${timeRaw}` : dateRaw;
			const d = parseDateTime(raw, { now: ctx.now, timeZone: tz });
			if (!d.ok) errors.push(rowIssue(row, m.reportedAt, d.code, raw));
			else {
				reportedAt = d.value.iso;
				if (d.value.dst) warnings.push(rowIssue(row, m.reportedAt, d.value.dst === 'gap' ? 'dst_gap' : 'dst_overlap', raw));
			}
		}

		const p = pointFromColumns(get, m, row, ctx);
		errors.push(...p.errors);
		warnings.push(...p.warnings);
		const cell = p.point ? snapPoint(p.point, ctx.resolution) : '';

		let reporterKind: ReporterKind | null = m.defaultReporterKind ?? null;
		const kindRaw = get(m.reporterKind);
		if (m.reporterKind !== undefined && kindRaw !== '') {
			reporterKind = parseReporterKind(kindRaw);
			if (!reporterKind) errors.push(rowIssue(row, m.reporterKind, 'invalid_reporter', kindRaw));
		} else if (!reporterKind) errors.push(rowIssue(row, m.reporterKind ?? '', 'required'));

		const description = get(m.description).replace(/\s+/g, ' ');
		if (description === '') errors.push(rowIssue(row, m.description, 'required'));
		else if (description.length > MAX_DESCRIPTION)
			errors.push(rowIssue(row, m.description, 'too_long', description, { max: String(MAX_DESCRIPTION) }));
		else {
			const personal = personalDataIn(description);
			if (personal) warnings.push(rowIssue(row, m.description, 'personal_data', undefined, { whatNl: personal.nl, whatEn: personal.en }));
		}

		let targetGroups: number[] = [];
		if (m.targetGroups !== undefined) {
			targetGroups = matchValues(get(m.targetGroups), row, m.targetGroups, groups, split, LIST, errors, tally);
		}

		let status: SignalStatus = 'open';
		if (m.status !== undefined) {
			const s = parseSignalStatus(get(m.status));
			if (s) status = s;
			else errors.push(rowIssue(row, m.status, 'invalid_status', get(m.status)));
		}
		let handledAt: string | null = null;
		const handledRaw = get(m.handledAt);
		if (m.handledAt !== undefined && handledRaw !== '') {
			const d = parseDateTime(handledRaw, { now: ctx.now, timeZone: tz });
			if (!d.ok) errors.push(rowIssue(row, m.handledAt, d.code, handledRaw));
			else {
				handledAt = d.value.iso;
				if (m.status === undefined) status = 'handled';
			}
		}
		if (status === 'open') handledAt = null;

		const fileId = get(m.externalId);
		if (fileId.length > MAX_ID) errors.push(rowIssue(row, m.externalId!, 'too_long', fileId, { max: String(MAX_ID) }));

		if (errors.length > 0 || !reporterKind) return { ok: false, errors, warnings };
		const sorted = [...targetGroups].sort((a, b) => a - b);
		const identity = hash128(JSON.stringify([reportedAt, cell, reporterKind, description, sorted]));
		return {
			ok: true,
			row: { externalId: fileId || `s${identity}`, reportedAt, cell, reporterKind, description, targetGroups, status, handledAt },
			warnings,
			contentKey: hash128(JSON.stringify([identity, status, handledAt]))
		};
	};
}

export interface ParseSignalsOptions extends SignalContext {
	encoding?: TextEncodingName;
	batchSize?: number;
	totalBytes?: number;
}

/** Streams a signals CSV (same rules and counts as the contacts import). */
export function parseSignalsCsv(
	source: CsvSource,
	mapping: SignalMapping,
	opts: ParseSignalsOptions
): AsyncGenerator<RowBatch<SignalRow>, ParseSummary, undefined> {
	return parseCsvRows<SignalRow>(source, {
		columns: signalColumns(mapping),
		idColumn: mapping.externalId,
		encoding: opts.encoding,
		separator: opts.separator,
		batchSize: opts.batchSize,
		totalBytes: opts.totalBytes,
		validator: ({ resolve, separator }) => {
			const r = (c: string | undefined) => (c === undefined ? undefined : resolve(c));
			const m: SignalMapping = {
				...mapping,
				reportedAt: resolve(mapping.reportedAt),
				time: r(mapping.time),
				lat: r(mapping.lat),
				lng: r(mapping.lng),
				x: r(mapping.x),
				y: r(mapping.y),
				reporterKind: r(mapping.reporterKind),
				description: resolve(mapping.description),
				targetGroups: r(mapping.targetGroups),
				status: r(mapping.status),
				handledAt: r(mapping.handledAt),
				externalId: r(mapping.externalId)
			};
			return createSignalValidator(m, { ...opts, separator });
		}
	});
}

// ---------------------------------------------------------------------------------------------
// The /signals form
// ---------------------------------------------------------------------------------------------

export interface SignalFormInput {
	/** A cell picked on the map (hex, at the storage resolution). */
	cell?: string;
	/** Or typed coordinates: snapped here, never stored. */
	lat?: string;
	lng?: string;
	/** "YYYY-MM-DDTHH:MM" (datetime-local, Brussels time); empty = now. */
	reportedAt?: string;
	reporterKind?: string;
	description?: string;
	targetGroups?: string[];
}

export type SignalFormResult =
	| { ok: true; value: Omit<SignalRow, 'externalId' | 'status' | 'handledAt'>; warning: { nl: string; en: string } | null }
	| { ok: false; field: 'where' | 'reportedAt' | 'reporterKind' | 'description' | 'targetGroups'; code: string; message: string };

/** Validates the form; codes are i18n keys under signals.errors. */
export function validateSignalForm(
	input: SignalFormInput,
	ctx: { area: OrgArea; resolution: number; targetGroups: readonly VocabularyEntry[]; now: Date | number }
): SignalFormResult {
	const fail = (field: Extract<SignalFormResult, { ok: false }>['field'], code: string, message: string): SignalFormResult => ({
		ok: false,
		field,
		code,
		message
	});
	let cell: string;
	const lat = (input.lat ?? '').trim();
	const lng = (input.lng ?? '').trim();
	if (lat !== '' || lng !== '') {
		const a = parseDecimal(lat);
		const b = parseDecimal(lng);
		if (!a.ok || !b.ok) return fail('where', 'coordinatesInvalid', 'latitude and longitude must be decimal numbers');
		const p = checkPoint(b.value, a.value, 'wgs84', ['lat', 'lng'], { area: ctx.area }, (f, code) => rowIssue(1, f, code));
		if (!p.point)
			return fail('where', p.errors[0]?.code === 'swapped' ? 'coordinatesSwapped' : 'coordinatesOutside', 'the point lies outside the area');
		cell = snapPoint(p.point, ctx.resolution);
	} else if (input.cell) {
		const c = input.cell.trim().toLowerCase();
		if (!isCell(c, ctx.resolution)) return fail('where', 'cellInvalid', `not a cell at resolution ${ctx.resolution}`);
		if (!insideArea(cellCentre(c), ctx.area)) return fail('where', 'coordinatesOutside', 'the cell lies outside the area');
		cell = c;
	} else return fail('where', 'whereRequired', 'pick a place on the map or enter coordinates');

	let reportedAt = new Date(Number(ctx.now)).toISOString();
	const when = (input.reportedAt ?? '').trim();
	if (when !== '') {
		const d = parseDateTime(when.replace('T', ' '), { now: ctx.now });
		if (!d.ok) return fail('reportedAt', d.code === 'future_date' ? 'dateFuture' : 'dateInvalid', `invalid date (${d.code})`);
		reportedAt = d.value.iso;
	}

	const reporterKind = (REPORTER_KINDS as readonly string[]).includes(input.reporterKind ?? '') ? (input.reporterKind as ReporterKind) : null;
	if (!reporterKind) return fail('reporterKind', 'reporterRequired', 'choose who reported it');

	const description = (input.description ?? '').trim().replace(/\s+/g, ' ');
	if (description === '') return fail('description', 'descriptionRequired', 'describe what was seen');
	if (description.length > MAX_DESCRIPTION) return fail('description', 'descriptionTooLong', `at most ${MAX_DESCRIPTION} characters`);

	const groups = buildVocabularyIndex(ctx.targetGroups);
	const targetGroups: number[] = [];
	for (const g of input.targetGroups ?? []) {
		const m = /^\d+$/.test(g) && ctx.targetGroups.some((e) => e.id === Number(g)) ? { ok: true as const, id: Number(g) } : matchVocabulary(g, groups);
		if (!m.ok) return fail('targetGroups', 'targetGroupInvalid', `unknown target group ${g}`);
		if (!targetGroups.includes(m.id)) targetGroups.push(m.id);
	}
	return { ok: true, value: { reportedAt, cell, reporterKind, description, targetGroups }, warning: personalDataIn(description) };
}
