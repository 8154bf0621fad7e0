// The one import runner every kind shares (contacts, services, areas, indicators, signals): one
// job log row, ONE transaction, batches written through the kind's sink (new rows imported,
// changed ones updated, identical ones left), progress while it runs. Rejected rows roll the
// whole commit back unless `skipInvalid`; any failure rolls back. A dry run reads and validates
// only. Writes queue behind each other while parsing goes on, so the database (on the other core)
// and the parser overlap; the queue is bounded, so memory stays flat.
import type { Sql } from '../db';
import { audit } from '../audit';
import { rejectedRowsCsv, MAX_REJECTED_ROWS } from '../../domain/import/rejected-csv';
import type { IssueCode, RowIssue } from '../../domain/import/row-errors';
import { emptyCounts, type ImportCounts, type ParseSummary, type RowBatch } from '../../domain/import/rows';
import { startJob, finishJob } from './jobs';
import type { ValueSummary } from '../../domain/import/value-map';
import type { ImportKind } from '../../api/imports';

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
	/** The language of the rejected-rows file (reasons and headers); default Dutch. */
	lang?: 'nl' | 'en';
	/** phase 'writing': every row is read, a commit's last writes and merge follow (can take seconds). */
	onProgress?: (p: { bytesRead: number; totalBytes?: number; counts: ImportCounts; phase?: 'writing' }) => void;
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
	/** The rejected rows (up to MAX_REJECTED_ROWS) with every reason, as a CSV in `lang` (null when none). */
	rejectedCsv: string | null;
	/** Contacts and signals: each distinct value of each vocabulary column, with its rows and how it matched. */
	values?: ValueSummary;
	/** Source category values that map to no service category, with how many rows carry them. */
	unmappedCategories: { value: string; rows: number }[];
	/**
	 * Contacts only: of the file's first `sampled` valid rows, how many are stored already under
	 * another source (the same file imported under a second name would duplicate them).
	 */
	elsewhere?: { sampled: number; sources: { source: string; rows: number }[] };
}

/** Rolls the transaction back on purpose (rejected rows without skipInvalid). */
class Rollback extends Error {}

export interface Written {
	imported: number;
	updated: number;
	unchanged: number;
}

/** Where a commit's rows go: batches in file order, then `finish` once all are added. */
export interface Sink<R> {
	add(rows: R[]): Promise<void>;
	finish(): Promise<Written>;
	/** The import failed before `finish`: leave the connection fit for the rollback (end a COPY). */
	abort?(): Promise<void>;
}

export type Writer<R> = (tx: Sql, rows: R[]) => Promise<{ imported: number; updated: number; unchanged?: number }>;

export interface RunSpec<R> {
	kind: ImportKind;
	/** Batches of validated rows; runs once, inside the transaction of a commit. */
	parse: () => AsyncGenerator<RowBatch<R>, ParseSummary | void, undefined>;
	/** Writes each batch as it comes (most kinds)… */
	write?: Writer<R>;
	/** …or a sink opened in the transaction, for writers that stage and merge (contacts). */
	sink?: (tx: Sql) => Promise<Sink<R>>;
	/** Rows skipped on purpose, known once parsing is over. */
	ignored?: () => number;
	/**
	 * The rejected-rows file when the kind's records are not lines of one file (an HSDS package
	 * joins several): called once parsing is over, instead of the file built from the lines.
	 */
	rejectedCsv?: (separator: string, lang: 'nl' | 'en') => string | null;
}

const MAX_ISSUES = 100;
/** Parsed batches waiting for the database: a few times the batch size, never the whole file. */
const MAX_QUEUED_BATCHES = 20;

/** Lets pending I/O (other requests) run before the next batch. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A sink that writes each batch at once and adds up what the writer did. */
function batchSink<R>(tx: Sql, write: Writer<R>): Sink<R> {
	const total: Written = { imported: 0, updated: 0, unchanged: 0 };
	return {
		async add(rows) {
			const w = await write(tx, rows);
			total.imported += w.imported;
			total.updated += w.updated;
			total.unchanged += w.unchanged ?? rows.length - w.imported - w.updated;
		},
		finish: async () => total
	};
}

export async function runImport<R>(sql: Sql, o: KindImportOptions, spec: RunSpec<R>): Promise<KindImportResult> {
	const job = await startJob(sql, { orgId: o.orgId, kind: spec.kind, source: o.source, filename: o.filename, mode: o.mode, userId: o.userId });
	try {
		return await runJob(sql, o, spec, job.jobId);
	} finally {
		await job.end();
	}
}

async function runJob<R>(sql: Sql, o: KindImportOptions, spec: RunSpec<R>, jobId: number): Promise<KindImportResult> {
	const errors: RowIssue[] = [];
	const warnings: RowIssue[] = [];
	const errorCodes: Partial<Record<IssueCode, number>> = {};
	const unmapped = new Map<string, number>();
	const rejected: { row: number; fields: readonly string[] }[] = [];
	/** Every error of the rejected rows kept above, however many rows are rejected (the report's list stops at MAX_ISSUES). */
	const rejectedIssues: RowIssue[] = [];
	let truncated = false;
	let headers: readonly string[] = [];
	let counts: ImportCounts = emptyCounts();
	let written: Written = { imported: 0, updated: 0, unchanged: 0 };
	/** The file's own separator (from the parse summary), so the rejected rows read back alike. */
	let separator = ';';

	const run = async (tx: Sql | null) => {
		const sink = tx ? (spec.sink ? await spec.sink(tx) : batchSink(tx, spec.write!)) : null;
		let inFlight: Promise<void> = Promise.resolve();
		let queued = 0;
		const parser = spec.parse();
		try {
			await readAll();
		} catch (e) {
			await inFlight.catch(() => {});
			await sink?.abort?.();
			throw e;
		}
		if (sink) {
			o.onProgress?.({ bytesRead: o.totalBytes ?? 0, totalBytes: o.totalBytes, counts, phase: 'writing' });
			written = await sink.finish();
		}
		if (tx && counts.rejected > 0 && !o.skipInvalid) throw new Rollback();

		async function readAll() {
			for (;;) {
				const next = await parser.next();
				if (next.done) {
					if (next.value) {
						counts = next.value.counts;
						separator = next.value.separator;
					}
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
				const kept = new Set<number>();
				for (const r of batch.rejected) {
					if (rejected.length >= MAX_REJECTED_ROWS) break;
					rejected.push(r);
					kept.add(r.row);
				}
				for (const e of batch.errors) if (kept.has(e.row)) rejectedIssues.push(e);
				if (sink && batch.rows.length) {
					if (queued >= MAX_QUEUED_BATCHES) await inFlight;
					queued++;
					const rows = batch.rows;
					inFlight = inFlight.then(() => sink.add(rows)).finally(() => queued--);
					inFlight.catch(() => {}); // surfaces at the next await, not as an unhandled rejection
				}
				o.onProgress?.({ bytesRead: batch.progress.bytesRead, totalBytes: o.totalBytes, counts });
				// A file already buffered is parsed in promise callbacks only, which never let the event
				// loop run: other requests (a sign-in, the map) waited seconds behind a large import.
				await yieldToEventLoop();
			}
			await inFlight;
		}
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
		written = { imported: 0, updated: 0, unchanged: 0 };
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
		rejectedCsv: spec.rejectedCsv
			? spec.rejectedCsv(separator, o.lang ?? 'nl')
			: rejected.length || errors.length
				? rejectedRowsCsv(headers, rejected, rejectedIssues, separator, o.lang ?? 'nl')
				: null,
		unmappedCategories: [...unmapped].map(([value, rows]) => ({ value, rows })).sort((a, b) => b.rows - a.rows)
	};
}

/** A batch holding only file-level issues (a file too large, not JSON…). */
export function issueBatch<R>(issues: RowIssue[]): RowBatch<R> {
	return {
		rows: [],
		rowLines: [],
		errors: issues,
		warnings: [],
		rejected: [],
		headers: [],
		progress: { bytesRead: 0 },
		counts: emptyCounts()
	};
}
