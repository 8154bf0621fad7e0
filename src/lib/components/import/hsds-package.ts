// Browser side of the HSDS package import (services from an Open Referral HSDS 3.x tabular
// package): which chosen file is which table, reading them as text, asking the services API what
// the package holds (mode=inspect), and the mapping it takes. The API takes the package as JSON
// {"files": {"services.csv": "<text>", …}}; its files are told apart by name only.
import { HSDS_REQUIRED, HSDS_TABLES, tableOfFile, type HsdsTable } from '$lib/domain/import/hsds-tables';
import { hsdsMappingSchema } from '$lib/domain/import/mapping';
import { matchKey } from '$lib/domain/import/vocab-match';
import { apiPost } from '$lib/api/client';
import { servicesInspect, type HsdsInspection } from '$lib/api/imports';

/** The server reads a package whole, at most this much (MAX_JSON_BYTES in the services import). */
export const MAX_PACKAGE_BYTES = 64 * 1024 * 1024;

/** Tables in the order the page lists them: the required ones first. */
export const TABLE_ORDER: readonly HsdsTable[] = [...HSDS_REQUIRED, ...HSDS_TABLES.filter((t) => !HSDS_REQUIRED.includes(t))];

export interface PackageFile {
	file: File;
	/** The file's name without folders. */
	name: string;
	table: HsdsTable | null;
}

export interface PackageOverview {
	files: PackageFile[];
	/** The file chosen for each table found. */
	byTable: Partial<Record<HsdsTable, PackageFile>>;
	/** Tables given by more than one file (e.g. service.csv and services.csv): which one is meant? */
	duplicates: { table: HsdsTable; names: string[] }[];
	/** Files that are no table of the package (README.md, datapackage.json…): not sent. */
	ignored: string[];
	missingRequired: HsdsTable[];
	missingOptional: HsdsTable[];
	bytes: number;
}

const baseName = (f: File) => f.name.split(/[\\/]/).pop() ?? f.name;

export function describePackage(files: readonly File[]): PackageOverview {
	const entries = files.map((file) => ({ file, name: baseName(file), table: tableOfFile(baseName(file)) }));
	const byTable: PackageOverview['byTable'] = {};
	const all = new Map<HsdsTable, string[]>();
	for (const e of entries) {
		if (!e.table) continue;
		all.set(e.table, [...(all.get(e.table) ?? []), e.name]);
		byTable[e.table] ??= e;
	}
	const used = entries.filter((e) => e.table !== null);
	return {
		files: entries,
		byTable,
		duplicates: [...all].filter(([, names]) => names.length > 1).map(([table, names]) => ({ table, names })),
		ignored: entries.filter((e) => e.table === null).map((e) => e.name),
		missingRequired: HSDS_REQUIRED.filter((t) => !byTable[t]),
		missingOptional: HSDS_TABLES.filter((t) => !HSDS_REQUIRED.includes(t) && !byTable[t]),
		bytes: used.reduce((n, e) => n + e.file.size, 0)
	};
}

/** Identifies the chosen files, for "was this exact package checked?". */
export function packageKey(files: readonly File[]): string {
	return files
		.map((f) => `${f.name}|${f.size}|${f.lastModified}`)
		.sort()
		.join('\n');
}

/** A name for the package: the folder it was chosen from, else "hsds-pakket". */
export function packageName(files: readonly File[]): string {
	const folder = files.map((f) => f.webkitRelativePath?.split('/')[0] ?? '').find((p) => p !== '');
	return folder || 'hsds-pakket';
}

export interface PackageTexts {
	/** File name → text, for the tables found (one file per table). */
	files: Record<string, string>;
	/** Files with bytes that are no UTF-8 (read with replacement characters). */
	notUtf8: string[];
}

/** Reads the package's table files as UTF-8 text (HSDS packages are UTF-8). */
export async function readPackage(p: PackageOverview): Promise<PackageTexts> {
	const files: Record<string, string> = {};
	const notUtf8: string[] = [];
	for (const t of TABLE_ORDER) {
		const e = p.byTable[t];
		if (!e) continue;
		const text = await e.file.text();
		if (text.includes('\ufffd')) notUtf8.push(e.name);
		files[e.name] = text;
	}
	return { files, notUtf8 };
}

/** The request body the services API takes for format=hsds. */
export function packageBody(texts: PackageTexts, name: string): File {
	return new File([JSON.stringify({ files: texts.files })], `${name}.json`, { type: 'application/json' });
}

/** What the package holds (mode=inspect): rows per table and the values to map to categories. */
export async function inspectPackage(texts: PackageTexts, signal?: AbortSignal): Promise<HsdsInspection> {
	// the import page tells a signed-out session itself: no redirect
	return (await apiPost(servicesInspect, { files: texts.files }, { format: 'hsds', mode: 'inspect' }, { signal, login: false })) as HsdsInspection;
}

export type NameStyle = 'service_organization' | 'service';

export interface HsdsOptions {
	/** Service category code for services whose terms map to none ('' = reject them). */
	defaultCategory: string;
	name: NameStyle;
}

/** The mapping sent: chosen categories (term → category code), the default and the name style. */
export function buildHsdsMapping(categories: Record<string, string>, o: HsdsOptions): Record<string, unknown> {
	const m: Record<string, unknown> = {};
	const chosen = Object.entries(categories).filter(([v, code]) => v.trim() !== '' && code !== '');
	if (chosen.length) m.categories = Object.fromEntries(chosen);
	if (o.defaultCategory) m.defaultCategory = o.defaultCategory;
	if (o.name !== 'service_organization') m.name = o.name;
	return m;
}

/** A saved services mapping that is one for HSDS packages (not for a CSV or GeoJSON file). */
export function isHsdsMapping(m: unknown): boolean {
	return hsdsMappingSchema.safeParse(m).success;
}

export interface CategoryValue {
	/** What the mapping is keyed by: the term's name (else its code), or a service's name. */
	value: string;
	code: string;
	/** Services carrying it (from the inspection), or locations (a dry run's unmapped values). */
	count: number;
	source: 'term' | 'service' | 'dry-run';
}

/**
 * The values the category table offers: the package's taxonomy terms, the names of services
 * without any term, then the values a dry run found unmapped that are none of these.
 */
export function categoryValues(i: HsdsInspection | null, unmapped: readonly { value: string; rows: number }[] = []): CategoryValue[] {
	const out: CategoryValue[] = [];
	const seen = new Set<string>();
	const add = (v: CategoryValue) => {
		const k = matchKey(v.value);
		if (!v.value || seen.has(k)) return;
		seen.add(k);
		out.push(v);
	};
	for (const t of i?.taxonomyTerms ?? []) add({ value: t.value, code: t.code, count: t.services, source: 'term' });
	const names = new Map<string, number>();
	for (const n of i?.serviceNamesWithoutTerms ?? []) names.set(n, (names.get(n) ?? 0) + 1);
	for (const [value, count] of names) add({ value, code: '', count, source: 'service' });
	for (const u of unmapped) {
		// a term's code the dry run reported (a term without a name) is already listed by its name
		if (out.some((v) => v.code !== '' && matchKey(v.code) === matchKey(u.value))) continue;
		add({ value: u.value, code: '', count: u.rows, source: 'dry-run' });
	}
	return out;
}

/**
 * A saved category mapping laid onto the values of this package: keys that name a term by its
 * code move to the term's name (the key the table uses); other keys are kept as they are.
 */
export function alignCategories(saved: Record<string, string>, values: readonly CategoryValue[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, code] of Object.entries(saved)) {
		const hit = values.find((v) => matchKey(v.value) === matchKey(k) || (v.code !== '' && matchKey(v.code) === matchKey(k)));
		out[hit ? hit.value : k] = code;
	}
	return out;
}
