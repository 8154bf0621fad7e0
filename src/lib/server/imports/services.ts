// Service locations from a CSV, a GeoJSON layer of points or an Open Referral HSDS package, and
// the import runner the services, areas, area-indicator and signal imports share: one job log
// row, ONE transaction, batches upserted by their natural key (new rows imported, changed ones
// updated, identical ones left), progress while it runs. Rejected rows roll the whole commit
// back unless `skipInvalid`; any failure rolls back. A dry run reads and validates only.
import type { Sql } from '../db';
import { getOrganisation, getVocabularies, type Organisation } from '../organisations';
import type { Vocabularies } from '../../domain/vocabulary';
import { audit } from '../audit';
import { todayInBrussels } from '../clock';
import { cellToBigInt } from '../../domain/cells';
import { rejectedRowsCsv, MAX_REJECTED_ROWS } from '../../domain/import/rejected-csv';
import { rowIssue, type IssueCode, type RowIssue } from '../../domain/import/row-errors';
import {
	emptyCounts,
	parseJson,
	parseServicesCsv,
	parseServicesGeoJson,
	readAllText,
	type ImportCounts,
	type ParseSummary,
	type RowBatch,
	type ServiceCsvMapping,
	type ServiceGeoJsonMapping,
	type ServiceRow
} from '../../domain/import/services';
import { parseHsdsPackage, type HsdsMapping } from '../../domain/import/hsds';
import { startJob, finishJob, type ImportKind } from './jobs';

// ---------------------------------------------------------------------------------------------
// The shared runner
// ---------------------------------------------------------------------------------------------

export interface KindImportOptions {
	orgId: number;
	userId: number | null;
	/** Names where the rows come from; external ids are unique per source. */
	source: string;
	filename?: string;
	mode: 'dry-run' | 'commit';
	/** Commit the valid rows even when some are rejected. */
	skipInvalid: boolean;
	totalBytes?: number;
	fixSwapped?: boolean;
	acceptOutside?: boolean;
	onProgress?: (p: { bytesRead: number; totalBytes?: number; counts: ImportCounts }) => void;
	now?: Date;
}

export interface KindCounts extends ImportCounts {
	imported: number;
	updated: number;
	/** Rows already stored exactly so. */
	unchanged: number;
	/** = unchanged (the name the contacts import uses, so one report view fits all kinds). */
	skipped: number;
	/** Rows left out on purpose, with a warning (HSDS: inactive services, virtual locations). */
	ignored: number;
}

export interface KindImportResult {
	jobId: number;
	kind: ImportKind;
	mode: 'dry-run' | 'commit';
	status: 'done' | 'rolled-back';
	counts: KindCounts;
	/** First 100 errors and warnings, in file order; each names its row (or feature) and field. */
	errors: RowIssue[];
	warnings: RowIssue[];
	/** All errors by code, including those past the cut-off. */
	errorCodes: Partial<Record<IssueCode, number>>;
	truncated: boolean;
	/** The rejected rows with their reasons as a CSV (null when none). */
	rejectedCsv: string | null;
	/** Source category values that map to no service category, with how many rows carry them. */
	unmappedCategories: { value: string; rows: number }[];
}

/** Rolls the transaction back on purpose (rejected rows without skipInvalid). */
class Rollback extends Error {}

export type Writer<R> = (tx: Sql, rows: R[]) => Promise<{ imported: number; updated: number; unchanged?: number }>;

export interface RunSpec<R> {
	kind: ImportKind;
	/** Batches of validated rows; runs once, inside the transaction of a commit. */
	parse: () => AsyncGenerator<RowBatch<R>, ParseSummary | void, undefined>;
	write: Writer<R>;
	/** Rows skipped on purpose, known once parsing is over. */
	ignored?: () => number;
	/** CSV separator for the rejected-rows file (default ';'). */
	separator?: () => string;
}

const MAX_ISSUES = 100;

export async function runImport<R>(sql: Sql, o: KindImportOptions, spec: RunSpec<R>): Promise<KindImportResult> {
	const jobId = await startJob(sql, { orgId: o.orgId, kind: spec.kind, source: o.source, filename: o.filename, mode: o.mode, userId: o.userId });
	const errors: RowIssue[] = [];
	const warnings: RowIssue[] = [];
	const errorCodes: Partial<Record<IssueCode, number>> = {};
	const unmapped = new Map<string, number>();
	const rejected: { row: number; fields: readonly string[] }[] = [];
	let truncated = false;
	let headers: readonly string[] = [];
	let counts: ImportCounts = emptyCounts();
	const written = { imported: 0, updated: 0, unchanged: 0 };

	const run = async (tx: Sql | null) => {
		const parser = spec.parse();
		for (;;) {
			const next = await parser.next();
			if (next.done) {
				if (next.value) counts = next.value.counts;
				break;
			}
			const batch = next.value;
			if (batch.headers.length) headers = batch.headers;
			counts = batch.counts;
			for (const e of batch.errors) {
				errorCodes[e.code] = (errorCodes[e.code] ?? 0) + 1;
				if (errors.length < MAX_ISSUES) errors.push(e);
				else truncated = true;
			}
			for (const w of batch.warnings) {
				if (warnings.length < MAX_ISSUES) warnings.push(w);
				else truncated = true;
			}
			for (const i of [...batch.errors, ...batch.warnings])
				if (i.code === 'unmapped_category' && i.value !== undefined) unmapped.set(i.value, (unmapped.get(i.value) ?? 0) + 1);
			for (const r of batch.rejected) if (rejected.length < MAX_REJECTED_ROWS) rejected.push(r);
			if (tx && batch.rows.length) {
				const w = await spec.write(tx, batch.rows);
				written.imported += w.imported;
				written.updated += w.updated;
				written.unchanged += w.unchanged ?? batch.rows.length - w.imported - w.updated;
			}
			o.onProgress?.({ bytesRead: batch.progress.bytesRead, totalBytes: o.totalBytes, counts });
		}
		if (tx && counts.rejected > 0 && !o.skipInvalid) throw new Rollback();
	};

	let status: KindImportResult['status'] = 'done';
	try {
		if (o.mode === 'commit') await sql.begin((tx) => run(tx as unknown as Sql));
		else await run(null);
	} catch (e) {
		if (!(e instanceof Rollback)) {
			await finishJob(sql, o.orgId, jobId, 'failed', { ...counts }, (e as Error).message);
			throw e;
		}
		status = 'rolled-back';
		written.imported = written.updated = written.unchanged = 0;
	}
	const all: KindCounts = { ...counts, ...written, skipped: written.unchanged, ignored: spec.ignored?.() ?? 0 };
	await finishJob(sql, o.orgId, jobId, status, { ...all });
	if (o.mode === 'commit' && status === 'done') {
		await audit(sql, {
			orgId: o.orgId,
			userId: o.userId,
			action: 'import',
			detail: { kind: spec.kind, jobId, imported: written.imported, updated: written.updated, rejected: counts.rejected }
		});
	}
	return {
		jobId,
		kind: spec.kind,
		mode: o.mode,
		status,
		counts: all,
		errors,
		warnings,
		errorCodes,
		truncated,
		rejectedCsv: rejected.length || errors.length ? rejectedRowsCsv(headers, rejected, errors, spec.separator?.() ?? ';') : null,
		unmappedCategories: [...unmapped].map(([value, rows]) => ({ value, rows })).sort((a, b) => b.rows - a.rows)
	};
}

/** A batch holding only file-level issues (a file too large, not JSON…). */
export function issueBatch<R>(issues: RowIssue[]): RowBatch<R> {
	return {
		rows: [], rowLines: [], errors: issues, warnings: [], rejected: [], headers: [],
		progress: { bytesRead: 0 }, counts: emptyCounts()
	};
}

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

export async function orgAndVocabularies(sql: Sql, orgId: number): Promise<{ org: Organisation; vocabularies: Vocabularies }> {
	const org = await getOrganisation(sql, orgId);
	if (!org) throw new Error(`organisation ${orgId} not found`);
	return { org, vocabularies: await getVocabularies(sql, orgId) };
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
	const { org, vocabularies } = await orgAndVocabularies(sql, o.orgId);
	const ctx = {
		categories: vocabularies.service_category,
		area: { bbox: org.bbox },
		fixSwapped: o.fixSwapped,
		acceptOutside: o.acceptOutside
	};
	let ignored = 0;
	let separator = ';';
	async function* parse(): AsyncGenerator<RowBatch<ServiceRow>, ParseSummary | void, undefined> {
		if (input.format === 'csv') {
			const gen = parseServicesCsv(input.chunks, input.mapping, { ...ctx, batchSize: 2000, totalBytes: o.totalBytes });
			const summary = yield* gen;
			separator = summary.separator;
			return summary;
		}
		if (input.format === 'geojson') {
			const j = await readJsonUpload(input.chunks);
			if (!j.ok) {
				yield issueBatch<ServiceRow>([j.issue]);
				return;
			}
			const batch = parseServicesGeoJson(j.value, input.mapping, ctx);
			batch.progress = { bytesRead: j.bytes, totalBytes: o.totalBytes };
			yield batch;
			return;
		}
		const r = parseHsdsPackage(input.files, input.mapping, { ...ctx, today: todayInBrussels(o.now) });
		ignored = r.ignored;
		yield r.batch;
	}
	return runImport(sql, o, {
		kind: 'services',
		parse,
		write: (tx, rows) => inChunks(rows, 2000, (part) => upsertServices(tx, o.orgId, o.source, part)),
		ignored: () => ignored,
		separator: () => separator
	});
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
