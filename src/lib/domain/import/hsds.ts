// Open Referral HSDS 3.x tabular packages → service locations. A package is a set of CSV files
// (organizations, services, locations, service_at_locations, schedules, service_capacity, and
// optionally addresses, attributes, taxonomy_terms, units). One service_location per
// service_at_location row:
//   name          service.name, followed by "(organisation)" unless the name already says it;
//   place         location.latitude/longitude → res-12 cell (virtual locations are skipped);
//   address       the location's physical address (address_1, address_2, postal code + city);
//   capacity      service_capacity.maximum (else .available) of the service;
//   opening hours the schedule rows (byday/opens_at/closes_at) → OSM "Mo-Fr 09:00-17:00";
//   category      the user's mapping of the service's taxonomy terms (or its name) to the org's
//                 service_category vocabulary; unmapped ones are reported with their value;
//   external id   service_at_location.id.
// Messages name the package file, its line and column. Pure: the caller hands in the texts.
import { sniffDialect, splitCsv, isBlankRecord, uniqueHeaders } from './sniff';
import { parseDecimal } from './values';
import { matchKey } from './vocab-match';
import { rowIssue, type IssueCode, type RowIssue } from './row-errors';
import type { HsdsMapping } from './mapping';
import { collectRows, type RowBatch, type Validated } from './rows';
import { checkPoint } from './points';
import { createCategoryResolver, validateServiceFields, type ServiceContext, type ServiceRow } from './services';
import type { LatLng } from './coordinates';
import { HSDS_REQUIRED, HSDS_TABLES, expectedFileNames, tableOfFile, type HsdsTable } from './hsds-tables';

export interface HsdsRow {
	line: number;
	rec: Record<string, string>;
}
export interface HsdsTableData {
	/** The file name as given (for messages). */
	file: string;
	headers: string[];
	rows: HsdsRow[];
}
export type HsdsTables = Partial<Record<HsdsTable, HsdsTableData>>;

/** An issue of a package table: the file name goes in front ("services.csv: Rij 3, kolom ‘name’: …"). */
export function tableIssue(
	file: string,
	row: number,
	field: string,
	code: IssueCode,
	value?: string,
	extra: Record<string, string> = {}
): RowIssue & { file: string } {
	const base = rowIssue(row, field, code, value, extra);
	return { ...base, file, message: { nl: `${file}: ${base.message.nl}`, en: `${file}: ${base.message.en}` } };
}

/** Splits the package's CSV texts into tables; header names lower-cased. */
export function readHsdsTables(files: Record<string, string>): { tables: HsdsTables; errors: RowIssue[]; ignoredFiles: string[] } {
	const tables: HsdsTables = {};
	const errors: RowIssue[] = [];
	const ignoredFiles: string[] = [];
	for (const [path, raw] of Object.entries(files)) {
		const table = tableOfFile(path);
		const file = path.split(/[\\/]/).pop()!;
		if (!table) {
			ignoredFiles.push(file);
			continue;
		}
		const text = raw.replace(/^\ufeff/, '');
		const sep = sniffDialect(text.slice(0, 16 * 1024), true).separator;
		const records = splitCsv(text, sep).filter((r) => !isBlankRecord(r.fields));
		const head = records.shift();
		if (!head) {
			errors.push(tableIssue(file, 1, '', 'empty_file'));
			continue;
		}
		const headers = uniqueHeaders(head.fields).map((h) => h.toLowerCase());
		tables[table] = {
			file,
			headers,
			rows: records.map((r) => {
				const rec: Record<string, string> = {};
				headers.forEach((h, i) => (rec[h] = (r.fields[i] ?? '').trim()));
				return { line: r.line, rec };
			})
		};
	}
	for (const t of HSDS_REQUIRED) if (!tables[t]) errors.push(rowIssue(0, '', 'missing_table', t, { expected: expectedFileNames(t).join(' / ') }));
	return { tables, errors, ignoredFiles };
}

// ---------------------------------------------------------------------------------------------
// Schedules → OSM opening_hours
// ---------------------------------------------------------------------------------------------

const RRULE_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;

export interface ScheduleSkip {
	line: number;
	field: string;
	value: string;
	whyNl: string;
	whyEn: string;
}

/** "09:00", "9:00:00", "09:00Z", "09:00+01:00" → "09:00" (the wall-clock time; zones are dropped). */
function clock(raw: string): string | null {
	const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(raw.trim());
	if (!m) return null;
	const h = Number(m[1]);
	const mi = Number(m[2]);
	if (h > 24 || mi > 59 || (h === 24 && mi > 0)) return null;
	return `${String(h).padStart(2, '0')}:${m[2]}`;
}

function dayList(days: number[]): string {
	const sorted = [...new Set(days)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let i = 0; i < sorted.length;) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
		const run = j - i + 1;
		if (run >= 3) parts.push(`${OSM_DAYS[sorted[i]!]}-${OSM_DAYS[sorted[j]!]}`);
		else for (let k = i; k <= j; k++) parts.push(OSM_DAYS[sorted[k]!]!);
		i = j + 1;
	}
	return parts.join(',');
}

/**
 * Weekly schedule rows → OSM opening_hours. Each row opens the listed days (byday) from opens_at
 * to closes_at; rows for the same service add up. Days with the same hours are grouped
 * ("Mo-Fr 09:00-17:00; Sa 10:00-14:00"); a second interval on a day joins with a comma
 * ("Mo-Th 09:00-12:00,15:00-17:00"); closing at 23:59 is written 24:00 and every day
 * 00:00-24:00 is "24/7"; closing before opening runs past midnight ("21:00-08:00", valid OSM).
 * Not converted, and reported: monthly rules, intervals > 1 (fortnightly), rows without days or
 * times, and rows no longer (or not yet) valid on `today` (YYYY-MM-DD).
 */
export function schedulesToOsm(rows: readonly HsdsRow[], today: string): { value: string | null; skipped: ScheduleSkip[] } {
	const perDay = new Map<number, Set<string>>();
	const skipped: ScheduleSkip[] = [];
	const skip = (r: HsdsRow, field: string, whyNl: string, whyEn: string) =>
		skipped.push({ line: r.line, field, value: r.rec[field] ?? '', whyNl, whyEn });
	for (const r of rows) {
		const g = (k: string) => (r.rec[k] ?? '').trim();
		const freq = g('freq').toUpperCase();
		if (freq !== '' && freq !== 'WEEKLY') {
			skip(r, 'freq', `frequentie ${freq}, enkel wekelijkse uren worden omgezet`, `frequency ${freq}; only weekly hours are converted`);
			continue;
		}
		const interval = g('interval');
		if (interval !== '' && interval !== '1') {
			skip(r, 'interval', `om de ${interval} weken`, `every ${interval} weeks`);
			continue;
		}
		if (g('valid_to') !== '' && g('valid_to').slice(0, 10) < today) {
			skip(r, 'valid_to', 'niet meer geldig', 'no longer valid');
			continue;
		}
		if (g('valid_from') !== '' && g('valid_from').slice(0, 10) > today) {
			skip(r, 'valid_from', 'nog niet geldig', 'not valid yet');
			continue;
		}
		const tokens = g('byday')
			.toUpperCase()
			.split(/[\s,;]+/)
			.filter(Boolean);
		const days = tokens.map((t) => RRULE_DAYS.indexOf(t as (typeof RRULE_DAYS)[number]));
		if (tokens.length === 0 || days.some((d) => d < 0)) {
			skip(
				r,
				'byday',
				tokens.length === 0 ? 'geen dagen (byday)' : 'onbekende dag in byday',
				tokens.length === 0 ? 'no days (byday)' : 'unknown day in byday'
			);
			continue;
		}
		const opens = clock(g('opens_at'));
		let closes = clock(g('closes_at'));
		if (!opens || !closes) {
			const field = !opens ? 'opens_at' : 'closes_at';
			skip(r, field, g(field) === '' ? 'geen uur' : 'ongeldig uur', g(field) === '' ? 'no time' : 'invalid time');
			continue;
		}
		if (closes === '23:59' || (closes === '00:00' && opens !== '00:00')) closes = '24:00';
		for (const d of days) {
			const set = perDay.get(d) ?? new Set<string>();
			set.add(`${opens}-${closes}`);
			perDay.set(d, set);
		}
	}
	if (perDay.size === 0) return { value: null, skipped };
	const spans = new Map<number, string>();
	for (const [d, set] of perDay) spans.set(d, [...set].sort().join(','));
	if (spans.size === 7 && [...spans.values()].every((s) => s === '00:00-24:00')) return { value: '24/7', skipped };
	const groups = new Map<string, number[]>();
	for (const d of [...spans.keys()].sort((a, b) => a - b)) {
		const s = spans.get(d)!;
		groups.set(s, [...(groups.get(s) ?? []), d]);
	}
	const rules = [...groups.entries()].sort((a, b) => a[1][0]! - b[1][0]!).map(([s, days]) => `${dayList(days)} ${s}`);
	return { value: rules.join('; '), skipped };
}

// ---------------------------------------------------------------------------------------------
// The join
// ---------------------------------------------------------------------------------------------

function indexBy(t: HsdsTableData | undefined, key: string): Map<string, HsdsRow[]> {
	const out = new Map<string, HsdsRow[]>();
	for (const r of t?.rows ?? []) {
		const k = r.rec[key] ?? '';
		if (!k) continue;
		const list = out.get(k);
		if (list) list.push(r);
		else out.set(k, [r]);
	}
	return out;
}

export interface HsdsContext extends ServiceContext {
	/** Today in Brussels (YYYY-MM-DD): schedules valid_from/valid_to are checked against it. */
	today: string;
}

export interface HsdsResult {
	batch: RowBatch<ServiceRow>;
	/** Services at locations skipped on purpose (inactive services, virtual locations). */
	ignored: number;
	/** Files of the package that are not used. */
	ignoredFiles: string[];
	tables: Partial<Record<HsdsTable, number>>;
}

/** The category candidates of a service: its taxonomy terms (name, then code), then its name. */
function categoryCandidates(
	service: HsdsRow,
	salId: string,
	attributes: Map<string, HsdsRow[]>,
	terms: Map<string, HsdsRow[]>
): { candidates: string[]; terms: { name: string; code: string }[]; attributeLine: number | null } {
	const found: { name: string; code: string }[] = [];
	let attributeLine: number | null = null;
	for (const id of [service.rec.id ?? '', salId]) {
		for (const a of attributes.get(id) ?? []) {
			const entity = (a.rec.link_entity ?? '').toLowerCase();
			if (entity !== '' && entity !== 'service' && entity !== 'service_at_location') continue;
			const term = terms.get(a.rec.taxonomy_term_id ?? '')?.[0];
			if (!term) continue;
			found.push({ name: term.rec.name ?? '', code: term.rec.code ?? '' });
			attributeLine ??= a.line;
		}
	}
	const candidates = found.flatMap((t) => [t.name, t.code]).filter(Boolean);
	if (service.rec.name) candidates.push(service.rec.name);
	return { candidates, terms: found, attributeLine };
}

/** Joins a package into service rows (one per service_at_location), in one batch. */
export function parseHsdsPackage(files: Record<string, string>, mapping: HsdsMapping, ctx: HsdsContext): HsdsResult {
	const { tables, errors: fileErrors, ignoredFiles } = readHsdsTables(files);
	const resolver = createCategoryResolver(ctx.categories, mapping.categories, mapping.defaultCategory);
	const counts: Partial<Record<HsdsTable, number>> = {};
	for (const t of HSDS_TABLES) if (tables[t]) counts[t] = tables[t]!.rows.length;
	if (fileErrors.length > 0 || resolver.problems.length > 0) {
		const batch = collectRows<ServiceRow>([], () => rowIssue(0, '', 'required'));
		batch.errors.push(...fileErrors, ...resolver.problems);
		return { batch, ignored: 0, ignoredFiles, tables: counts };
	}
	const T = tables as Required<Pick<HsdsTables, 'service' | 'location' | 'service_at_location'>> & HsdsTables;
	const services = indexBy(T.service, 'id');
	const locations = indexBy(T.location, 'id');
	const orgs = indexBy(T.organization, 'id');
	const addresses = indexBy(T.address, 'location_id');
	const capacities = indexBy(T.service_capacity, 'service_id');
	const units = indexBy(T.unit, 'id');
	const attributes = indexBy(T.attribute, 'link_id');
	const terms = indexBy(T.taxonomy_term, 'id');
	const schedBySal = indexBy(T.schedule, 'service_at_location_id');
	const schedByService = indexBy(T.schedule, 'service_id');
	const schedByLocation = indexBy(T.schedule, 'location_id');
	const salFile = T.service_at_location.file;
	const warnings: RowIssue[] = [];
	let ignored = 0;
	// a schedule row is reported once, however many locations it is read for
	const reportedSchedules = new Set<number>();

	function* items(): Generator<{ n: number; result: Validated<ServiceRow> }> {
		for (const sal of T.service_at_location.rows) {
			const errors: RowIssue[] = [];
			const rowWarnings: RowIssue[] = [];
			const salId = sal.rec.id ?? '';
			const serviceId = sal.rec.service_id ?? '';
			const locationId = sal.rec.location_id ?? '';
			if (!salId) errors.push(tableIssue(salFile, sal.line, 'id', 'required'));
			const service = services.get(serviceId)?.[0];
			const location = locations.get(locationId)?.[0];
			if (!serviceId) errors.push(tableIssue(salFile, sal.line, 'service_id', 'required'));
			else if (!service) errors.push(tableIssue(salFile, sal.line, 'service_id', 'missing_reference', serviceId, { table: T.service.file }));
			if (!locationId) errors.push(tableIssue(salFile, sal.line, 'location_id', 'required'));
			else if (!location) errors.push(tableIssue(salFile, sal.line, 'location_id', 'missing_reference', locationId, { table: T.location.file }));
			if (!service || !location) {
				yield { n: sal.line, result: { ok: false, errors, warnings: rowWarnings } };
				continue;
			}
			const status = (service.rec.status ?? '').toLowerCase();
			if (status === 'inactive' || status === 'defunct') {
				ignored++;
				warnings.push(tableIssue(T.service.file, service.line, 'status', 'service_inactive', service.rec.name || serviceId, { status }));
				continue;
			}
			if ((location.rec.location_type ?? '').toLowerCase() === 'virtual') {
				ignored++;
				warnings.push(tableIssue(T.location.file, location.line, 'location_type', 'virtual_location', location.rec.name || locationId));
				continue;
			}

			// where
			let point: LatLng | null = null;
			const latRaw = location.rec.latitude ?? '';
			const lngRaw = location.rec.longitude ?? '';
			const lat = parseDecimal(latRaw);
			const lng = parseDecimal(lngRaw);
			const locIssue = (f: string, code: IssueCode, v?: string, x?: Record<string, string>) =>
				tableIssue(T.location.file, location.line, f, code, v, x);
			if (latRaw === '') errors.push(locIssue('latitude', 'required'));
			else if (!lat.ok) errors.push(locIssue('latitude', lat.code, latRaw));
			if (lngRaw === '') errors.push(locIssue('longitude', 'required'));
			else if (!lng.ok) errors.push(locIssue('longitude', lng.code, lngRaw));
			if (lat.ok && lng.ok) {
				const p = checkPoint(lng.value, lat.value, mapping.crs ?? 'auto', ['latitude', 'longitude'], ctx, (f, code, v, x) =>
					tableIssue(T.location.file, location.line, typeof f === 'string' ? f : f.join(', '), code, v, x)
				);
				point = p.point;
				errors.push(...p.errors);
				rowWarnings.push(...p.warnings);
			}

			// what
			const org = orgs.get(service.rec.organization_id ?? '')?.[0];
			const serviceName = service.rec.name ?? '';
			const orgName = org?.rec.name ?? '';
			const withOrg =
				(mapping.name ?? 'service_organization') === 'service_organization' &&
				orgName &&
				serviceName &&
				!matchKey(serviceName).includes(matchKey(orgName));
			const name = withOrg ? `${serviceName} (${orgName})` : serviceName;

			const addr = (addresses.get(locationId) ?? []).sort(
				(a, b) => Number((b.rec.address_type ?? 'physical') === 'physical') - Number((a.rec.address_type ?? 'physical') === 'physical')
			)[0];
			const address = addr
				? [addr.rec.address_1, addr.rec.address_2, [addr.rec.postal_code, addr.rec.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')
				: '';

			const caps = capacities.get(serviceId) ?? [];
			const cap = caps[0];
			const capacity = cap ? cap.rec.maximum || cap.rec.available || '' : '';
			if (caps.length > 1) {
				const unit = units.get(cap!.rec.unit_id ?? '')?.[0]?.rec.name || cap!.rec.unit_id || capacity;
				rowWarnings.push(tableIssue(T.service_capacity!.file, cap!.line, 'maximum', 'several_capacities', unit, { n: String(caps.length) }));
			}

			const schedules =
				schedBySal.get(salId) ??
				(schedByService.get(serviceId) ?? []).filter(
					(s) => !s.rec.service_at_location_id && (!s.rec.location_id || s.rec.location_id === locationId)
				);
			const own =
				schedules.length > 0 ? schedules : (schedByLocation.get(locationId) ?? []).filter((s) => !s.rec.service_id && !s.rec.service_at_location_id);
			const hours = schedulesToOsm(own, ctx.today);
			for (const s of hours.skipped) {
				if (reportedSchedules.has(s.line)) continue;
				reportedSchedules.add(s.line);
				warnings.push(tableIssue(T.schedule!.file, s.line, s.field, 'schedule_unconverted', s.value, { whyNl: s.whyNl, whyEn: s.whyEn }));
			}

			const { candidates, attributeLine } = categoryCandidates(service, salId, attributes, terms);
			const values: Record<string, string> = {
				name,
				address,
				capacity,
				openingHours: hours.value ?? '',
				externalId: salId
			};
			// each field's issues point at the table and line it came from
			const where: Record<string, [string, number, string]> = {
				name: [T.service.file, service.line, 'name'],
				category: attributeLine !== null ? [T.attribute!.file, attributeLine, 'taxonomy_term_id'] : [T.service.file, service.line, 'name'],
				address: [T.address?.file ?? T.location.file, addr?.line ?? location.line, 'address_1'],
				capacity: [T.service_capacity?.file ?? T.service.file, cap?.line ?? service.line, cap?.rec.maximum ? 'maximum' : 'available'],
				openingHours: [T.schedule?.file ?? T.service.file, own[0]?.line ?? service.line, 'opens_at'],
				externalId: [salFile, sal.line, 'id']
			};
			const r = validateServiceFields(
				(f) => (f === undefined ? '' : (values[f] ?? '')),
				{ name: 'name', category: 'category', address: 'address', capacity: 'capacity', openingHours: 'openingHours', externalId: 'externalId' },
				point,
				(f, code, v, x) => {
					const key = typeof f === 'string' ? f : (f[0] ?? '');
					const [file, line, col] = where[key] ?? [salFile, sal.line, key];
					return tableIssue(file, line, col, code, v, x);
				},
				resolver,
				{ categoryCandidates: candidates }
			);
			errors.push(...r.errors);
			rowWarnings.push(...r.warnings);
			yield {
				n: sal.line,
				result:
					r.row && errors.length === 0
						? { ok: true, row: r.row, warnings: rowWarnings, contentKey: r.contentKey }
						: { ok: false, errors, warnings: rowWarnings }
			};
		}
	}

	const batch = collectRows(items(), (line, first, id, same) =>
		tableIssue(salFile, line, 'id', same ? 'duplicate_row' : 'duplicate_id', id, { first: String(first) })
	);
	batch.warnings.unshift(...warnings);
	return { batch, ignored, ignoredFiles, tables: counts };
}

/**
 * What a package holds, for the mapping step: rows per table, missing tables, and the values the
 * category mapping needs (taxonomy terms used by active services, with their code and how many
 * services carry them; the names of active services without any term).
 */
export function inspectHsds(files: Record<string, string>) {
	const { tables, errors, ignoredFiles } = readHsdsTables(files);
	const attributes = indexBy(tables.attribute, 'link_id');
	const terms = indexBy(tables.taxonomy_term, 'id');
	const salIds = indexBy(tables.service_at_location, 'service_id');
	const tally = new Map<string, { value: string; code: string; services: number }>();
	const serviceNames: string[] = [];
	for (const s of tables.service?.rows ?? []) {
		// inactive services are left out of the import: nothing of theirs to map
		const status = (s.rec.status ?? '').toLowerCase();
		if (status === 'inactive' || status === 'defunct') continue;
		const sal = salIds.get(s.rec.id ?? '')?.[0]?.rec.id ?? '';
		const { terms: found } = categoryCandidates(s, sal, attributes, terms);
		if (found.length === 0 && s.rec.name) serviceNames.push(s.rec.name);
		for (const t of found) {
			const k = `${t.code}\u0000${t.name}`;
			const e = tally.get(k) ?? { value: t.name || t.code, code: t.code, services: 0 };
			e.services++;
			tally.set(k, e);
		}
	}
	return {
		tables: Object.fromEntries(HSDS_TABLES.filter((t) => tables[t]).map((t) => [t, { file: tables[t]!.file, rows: tables[t]!.rows.length }])),
		errors,
		ignoredFiles,
		taxonomyTerms: [...tally.values()].sort((a, b) => b.services - a.services || a.value.localeCompare(b.value)),
		serviceNamesWithoutTerms: serviceNames
	};
}
