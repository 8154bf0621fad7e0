// Service locations from a CSV, a GeoJSON layer of points or an Open Referral HSDS package, run
// by the shared import runner (run.ts), plus the helpers other kinds share: the organisation's
// context, JSON uploads, batching of whole-file inputs.
import type { Sql } from '../db';
import { getOrganisation, getOrgArea, getVocabularies, type Organisation } from '../organisations';
import type { OrgArea } from '../../domain/import/coordinates';
import type { Vocabularies } from '../../domain/vocabulary';
import { todayInBrussels } from '../clock';
import { cellToBigInt } from '../../domain/cells';
import { issuesCsv, MAX_REJECTED_ROWS } from '../../domain/import/rejected-csv';
import { rowIssue, type RowIssue } from '../../domain/import/row-errors';
import type { ParseSummary, RowBatch } from '../../domain/import/rows';
import { parseJson, readAllText } from '../../domain/import/json-upload';
import type { HsdsMapping, ServiceCsvMapping, ServiceGeoJsonMapping } from '../../domain/import/mapping';
import { parseServicesCsv, parseServicesGeoJson, type ServiceRow } from '../../domain/import/services';
import { parseHsdsPackage } from '../../domain/import/hsds';
import { assertValueTargets, ValueTally } from '../../domain/import/value-map';
import { csvSource } from './csv-stream';
import { issueBatch, runImport, type KindImportOptions, type KindImportResult } from './run';

/** Reads and parses a whole JSON upload, or yields why not. */
export async function readJsonUpload(
	chunks: AsyncIterable<Uint8Array>
): Promise<{ ok: true; value: unknown; bytes: number } | { ok: false; issue: RowIssue }> {
	const t = await readAllText(chunks);
	if (!t.ok) return t;
	if (t.text.trim() === '') return { ok: false, issue: rowIssue(0, '', 'empty_file') };
	const j = parseJson(t.text);
	return j.ok ? { ok: true, value: j.value, bytes: t.bytes } : j;
}

/** The organisation, its vocabularies and its area (bbox and boundary), read before an import's transaction. */
export async function orgAndVocabularies(sql: Sql, orgId: number): Promise<{ org: Organisation; vocabularies: Vocabularies; area: OrgArea }> {
	const org = await getOrganisation(sql, orgId);
	if (!org) throw new Error(`organisation ${orgId} not found`);
	return { org, vocabularies: await getVocabularies(sql, orgId), area: await getOrgArea(sql, org) };
}

/** Splits rows into statements of at most `size` rows (large geometries, long arrays). */
export async function inChunks<R>(rows: R[], size: number, each: (part: R[]) => Promise<{ imported: number; updated: number }>) {
	const out = { imported: 0, updated: 0 };
	for (let i = 0; i < rows.length; i += size) {
		const w = await each(rows.slice(i, i + size));
		out.imported += w.imported;
		out.updated += w.updated;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

export type ServiceInput =
	| { format: 'csv'; chunks: AsyncIterable<Uint8Array>; mapping: ServiceCsvMapping }
	| { format: 'geojson'; chunks: AsyncIterable<Uint8Array>; mapping: ServiceGeoJsonMapping }
	/** The package's CSV files by name ("services.csv": text…). */
	| { format: 'hsds'; files: Record<string, string>; mapping: HsdsMapping };

export const SERVICE_FORMATS = ['csv', 'geojson', 'hsds'] as const;

export async function importServices(sql: Sql, input: ServiceInput, o: KindImportOptions): Promise<KindImportResult> {
	const { vocabularies, area } = await orgAndVocabularies(sql, o.orgId);
	assertValueTargets({ category: input.mapping.categories }, vocabularies);
	// CSV and GeoJSON list each category value and how it matched; a package has its own table
	const tally = input.format === 'hsds' ? undefined : new ValueTally();
	const ctx = {
		categories: vocabularies.service_category,
		area,
		fixSwapped: o.fixSwapped,
		acceptOutside: o.acceptOutside
	};
	let ignored = 0;
	/** HSDS: every problem of the package, for the rejected-rows file (file, line, column, reason). */
	let packageErrors: RowIssue[] | null = null;
	async function* parse(): AsyncGenerator<RowBatch<ServiceRow>, ParseSummary | void, undefined> {
		if (input.format === 'csv')
			return yield* parseServicesCsv(csvSource(input.chunks), input.mapping, { ...ctx, tally, batchSize: 2000, totalBytes: o.totalBytes });
		if (input.format === 'geojson') {
			const j = await readJsonUpload(input.chunks);
			if (!j.ok) {
				yield issueBatch<ServiceRow>([j.issue]);
				return;
			}
			const batch = parseServicesGeoJson(j.value, input.mapping, { ...ctx, tally });
			batch.progress = { bytesRead: j.bytes, totalBytes: o.totalBytes };
			yield batch;
			return;
		}
		const r = parseHsdsPackage(input.files, input.mapping, { ...ctx, today: todayInBrussels(o.now) });
		ignored = r.ignored;
		packageErrors = r.batch.errors.slice(0, MAX_REJECTED_ROWS);
		yield r.batch;
	}
	const result = await runImport(sql, o, {
		kind: 'services',
		parse,
		write: (tx, rows) => inChunks(rows, 2000, (part) => upsertServices(tx, o.orgId, o.source, part)),
		ignored: () => ignored,
		...(input.format === 'hsds'
			? { rejectedCsv: (separator: string, lang: 'nl' | 'en') => (packageErrors?.length ? issuesCsv(packageErrors, separator, lang) : null) }
			: {})
	});
	return tally ? { ...result, values: tally.summary(vocabularies) } : result;
}

/** Inserts new service locations, updates changed ones (by source and external id). */
export async function upsertServices(tx: Sql, orgId: number, source: string, rows: ServiceRow[]) {
	const result = await tx`
		insert into service_location (org_id, source, external_id, category, name, cell, address, capacity, opening_hours)
		select ${orgId}, ${source}, ext, cat, name, cell, addr, cap, hours
		from unnest(
			${rows.map((r) => r.externalId)}::text[],
			${rows.map((r) => r.category)}::smallint[],
			${rows.map((r) => r.name)}::text[],
			${rows.map((r) => cellToBigInt(r.cell).toString())}::bigint[],
			${rows.map((r) => r.address)}::text[],
			${rows.map((r) => r.capacity)}::integer[],
			${rows.map((r) => r.openingHours)}::text[]
		) as u(ext, cat, name, cell, addr, cap, hours)
		on conflict (org_id, source, external_id) do update set
			category = excluded.category, name = excluded.name, cell = excluded.cell, address = excluded.address,
			capacity = excluded.capacity, opening_hours = excluded.opening_hours
		where (service_location.category, service_location.name, service_location.cell, service_location.address,
				service_location.capacity, service_location.opening_hours)
			is distinct from (excluded.category, excluded.name, excluded.cell, excluded.address, excluded.capacity, excluded.opening_hours)
		returning (xmax = 0) as inserted`;
	const imported = result.filter((r) => r.inserted).length;
	return { imported, updated: result.length - imported };
}

/** An HSDS package sent as JSON: {"files": {"services.csv": "id,name…", …}}. */
export function packageFiles(value: unknown): Record<string, string> | null {
	const files = (value as { files?: unknown } | null)?.files;
	if (!files || typeof files !== 'object' || Array.isArray(files)) return null;
	const out: Record<string, string> = {};
	for (const [name, text] of Object.entries(files as Record<string, unknown>)) {
		if (typeof text !== 'string' || name.length > 200) return null;
		out[name] = text;
	}
	return Object.keys(out).length > 0 ? out : null;
}
