// What every import produces, whatever its format: validated rows, batches of rows and issues
// with cumulative counts, and the duplicate rules for inputs read whole (GeoJSON features,
// package rows): a later identical row is a duplicate, a later different one an error.
import type { TextEncodingName } from './decode';
import type { Separator } from './sniff';
import type { RowIssue } from './row-errors';
import { exactSeenIds } from './seen-ids';

export interface ImportCounts {
	/** Non-blank data records (header excluded). */
	records: number;
	valid: number;
	rejected: number;
	/** Later copies of an earlier row (same external id, same content): skipped, not errors. */
	duplicates: number;
	/** Blank lines and all-empty records (";;;;" rows Excel leaves behind): skipped silently. */
	emptyLines: number;
}

export const emptyCounts = (): ImportCounts => ({ records: 0, valid: 0, rejected: 0, duplicates: 0, emptyLines: 0 });

export interface ParseSummary {
	encoding: TextEncodingName;
	separator: Separator;
	headers: string[];
	counts: ImportCounts;
}

export type Validated<T> =
	| { ok: true; row: T; warnings: RowIssue[]; /** the canonical content (or a hash of it), to compare rows */ contentKey: string }
	| { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

export type RowValidator<T> = (record: Record<string, string>, row: number) => Validated<T>;

export interface RowBatch<T> {
	rows: T[];
	/** rowLines[i] is the row (or feature number) of rows[i], to point at a row the database refuses. */
	rowLines: number[];
	errors: RowIssue[];
	warnings: RowIssue[];
	/** Raw fields of rejected records (CSV only; empty for GeoJSON and packages), to hand back as a file. */
	rejected: { row: number; fields: readonly string[] }[];
	/** The file's header row, once read. */
	headers: readonly string[];
	progress: { bytesRead: number; totalBytes?: number };
	/** Cumulative, so the last batch carries the final counts. */
	counts: ImportCounts;
}

/**
 * Keeps the first row per external id: a later identical row is a duplicate (warning, skipped),
 * a later different one an error. The one structure that grows with the file.
 */
export function createDeduplicator(onDuplicate: (line: number, first: number, id: string, same: boolean) => RowIssue) {
	const seen = exactSeenIds();
	return (id: string, contentKey: string, line: number): { keep: true } | { keep: false; duplicate: boolean; issue: RowIssue } => {
		const first = seen.check(id, contentKey, line);
		if (first.kind === 'new') return { keep: true };
		const same = first.kind === 'same';
		return { keep: false, duplicate: same, issue: onDuplicate(line, first.first, id, same) };
	};
}

/** Adds validated items (GeoJSON features, package rows) into one batch with the usual counts. */
export function collectRows<T extends { externalId: string }>(
	items: Iterable<{ n: number; result: Validated<T> }>,
	onDuplicate: (line: number, first: number, id: string, same: boolean) => RowIssue
): RowBatch<T> {
	const batch: RowBatch<T> = {
		rows: [],
		rowLines: [],
		errors: [],
		warnings: [],
		rejected: [],
		headers: [],
		progress: { bytesRead: 0 },
		counts: emptyCounts()
	};
	const dedupe = createDeduplicator(onDuplicate);
	for (const { n, result } of items) {
		batch.counts.records++;
		batch.warnings.push(...result.warnings);
		if (!result.ok) {
			batch.counts.rejected++;
			batch.errors.push(...result.errors);
			continue;
		}
		const d = dedupe(result.row.externalId, result.contentKey, n);
		if (d.keep) {
			batch.counts.valid++;
			batch.rows.push(result.row);
			batch.rowLines.push(n);
		} else if (d.duplicate) {
			batch.counts.duplicates++;
			batch.warnings.push(d.issue);
		} else {
			batch.counts.rejected++;
			batch.errors.push(d.issue);
		}
	}
	return batch;
}
