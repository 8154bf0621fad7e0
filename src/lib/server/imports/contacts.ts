// Contact moments from a CSV: streamed, validated row by row (domain/import), and written in ONE
// transaction with an upsert by (org, source, external id): new rows are imported, changed rows
// updated, identical rows skipped, so re-importing a file creates no duplicates. A dry run does
// the same reading and validation without writing. Nothing is half-written: any failure, or
// rejected rows without `skipInvalid`, rolls the whole import back.
import type { Sql } from '../db';
import { getOrganisation, getVocabularies } from '../organisations';
import { listTeams } from '../queries/teams';
import { audit } from '../audit';
import {
	parseContactsCsv,
	createReportCollector,
	type ImportCounts,
	type ParseBatch,
	type ParseSummary
} from '../../domain/import/stream';
import { matchKey } from '../../domain/import/vocab-match';
import { rowIssue, type RowIssue } from '../../domain/import/row-errors';
import { rejectedRowsCsv, MAX_REJECTED_ROWS } from '../../domain/import/rejected-csv';
import type { ColumnMapping } from '../../domain/import/mapping';
import type { ContactRow } from '../../domain/import/contacts';
import { cellToBigInt } from '../../domain/cells';
import { startJob, finishJob } from './jobs';

export interface ContactImportOptions {
	orgId: number;
	userId: number | null;
	mapping: ColumnMapping;
	/** Names where the rows come from; external ids are unique per source. */
	source: string;
	filename?: string;
	mode: 'dry-run' | 'commit';
	/** Commit the valid rows even when some are rejected (the UI asks; the CLI has a flag). */
	skipInvalid: boolean;
	totalBytes?: number;
	fixSwapped?: boolean;
	acceptOutside?: boolean;
	onProgress?: (p: ImportProgress) => void;
	now?: Date;
}

export interface ImportProgress {
	bytesRead: number;
	totalBytes?: number;
	counts: ImportCounts;
}

export interface ImportResult {
	jobId: number;
	mode: 'dry-run' | 'commit';
	status: 'done' | 'rolled-back';
	counts: ImportCounts & { imported: number; updated: number; skipped: number };
	errors: RowIssue[];
	warnings: RowIssue[];
	errorCodes: Record<string, number>;
	truncated: boolean;
	/** CSV of the rejected rows with their reasons (null when none). */
	rejectedCsv: string | null;
}

/** Rolls the transaction back on purpose (rejected rows without skipInvalid). */
class Rollback extends Error {}

export async function importContacts(
	sql: Sql,
	chunks: AsyncIterable<Uint8Array>,
	o: ContactImportOptions
): Promise<ImportResult> {
	const org = await getOrganisation(sql, o.orgId);
	if (!org) throw new Error(`organisation ${o.orgId} not found`);
	const vocabularies = await getVocabularies(sql, o.orgId);
	const teams = new Map((await listTeams(sql, o.orgId)).map((t) => [matchKey(t.name), t]));
	const jobId = await startJob(sql, { orgId: o.orgId, kind: 'contacts', source: o.source, filename: o.filename, mode: o.mode, userId: o.userId });

	const report = createReportCollector(100);
	const written = { imported: 0, updated: 0, skipped: 0 };
	const rejected: { row: number; fields: readonly string[] }[] = [];
	let headers: readonly string[] = [];
	let summary: ParseSummary | undefined;
	let counts: ImportCounts = { records: 0, valid: 0, rejected: 0, duplicates: 0, emptyLines: 0 };
	// rows the parser accepted but whose team is unknown here, over the whole file
	let teamRejected = 0;
	const withTeams = (c: ImportCounts): ImportCounts => ({ ...c, valid: c.valid - teamRejected, rejected: c.rejected + teamRejected });

	const run = async (tx: Sql | null) => {
		let inFlight: Promise<void> = Promise.resolve();
		let queued = 0;
		const stage = tx ? await createStage(tx, o.orgId, o.source) : null;
		const parser = parseContactsCsv(chunks, {
			mapping: o.mapping,
			vocabularies,
			area: { bbox: org.bbox },
			resolution: org.storageRes,
			now: o.now ?? new Date(),
			totalBytes: o.totalBytes,
			fixSwapped: o.fixSwapped,
			acceptOutside: o.acceptOutside,
			batchSize: 5000
		});
		for (;;) {
			const next = await parser.next();
			if (next.done) {
				summary = next.value;
				counts = withTeams(next.value.counts);
				break;
			}
			const batch = next.value;
			headers = batch.headers;
			const { rows, teamIssues, teamRejects } = resolveTeams(batch, teams, o.mapping.team);
			teamRejected += teamIssues.length;
			batch.errors.push(...teamIssues);
			batch.rejected.push(...teamRejects);
			counts = withTeams(batch.counts);
			report.add(batch);
			for (const r of batch.rejected) if (rejected.length < MAX_REJECTED_ROWS) rejected.push(r);
			if (tx && rows.length) {
				// Writes queue behind each other while parsing goes on: the database works on the
				// other core, so reading and writing overlap. The queue is bounded (memory stays
				// flat), and deep enough to keep parsing through a merge of MERGE_EVERY rows.
				if (queued >= MAX_QUEUED_BATCHES) await inFlight;
				queued++;
				inFlight = inFlight.then(() => stage!.add(rows)).finally(() => queued--);
				inFlight.catch(() => {}); // surfaces at the next await, not as an unhandled rejection
			}
			o.onProgress?.({ bytesRead: batch.progress.bytesRead, totalBytes: o.totalBytes, counts });
		}
		await inFlight;
		if (stage) Object.assign(written, await stage.finish());
		if (tx && counts.rejected > 0 && !o.skipInvalid) throw new Rollback();
	};

	let status: ImportResult['status'] = 'done';
	try {
		if (o.mode === 'commit') await sql.begin((tx) => run(tx as unknown as Sql));
		else await run(null);
	} catch (e) {
		if (!(e instanceof Rollback)) {
			await finishJob(sql, o.orgId, jobId, 'failed', { ...counts }, (e as Error).message);
			throw e;
		}
		status = 'rolled-back';
		written.imported = written.updated = written.skipped = 0;
	}
	const r = report.result(summary ?? { encoding: 'utf-8', separator: ';', headers: [...headers], counts });
	const allCounts = { ...counts, ...written };
	await finishJob(sql, o.orgId, jobId, status, allCounts);
	if (o.mode === 'commit' && status === 'done') {
		await audit(sql, { orgId: o.orgId, userId: o.userId, action: 'import', detail: { kind: 'contacts', jobId, ...written, rejected: counts.rejected } });
	}
	return {
		jobId,
		mode: o.mode,
		status,
		counts: allCounts,
		errors: r.errors,
		warnings: r.warnings,
		errorCodes: r.errorCodes,
		truncated: r.truncated,
		rejectedCsv: rejected.length || r.errors.length ? rejectedRowsCsv(headers, rejected, r.errors, r.separator) : null
	};
}

/** Team names in the file become team ids; an unknown team rejects its row. */
function resolveTeams(batch: ParseBatch, teams: Map<string, { id: number; name: string }>, teamColumn: string | undefined) {
	const rows: (ContactRow & { teamId: number | null })[] = [];
	const teamIssues: RowIssue[] = [];
	const teamRejects: { row: number; fields: readonly string[] }[] = [];
	batch.rows.forEach((row, i) => {
		if (!row.team) return void rows.push({ ...row, teamId: null });
		const team = teams.get(matchKey(row.team));
		if (team) return void rows.push({ ...row, teamId: team.id });
		const line = batch.rowLines[i]!;
		const known = [...teams.values()].map((t) => t.name).join(', ') || '—';
		teamIssues.push(rowIssue(line, teamColumn ?? '', 'unknown_team', row.team, { known }));
		// the raw fields are gone by now; the rejected file still names the row and the reason
		teamRejects.push({ row: line, fields: [] });
	});
	return { rows, teamIssues, teamRejects };
}

/**
 * Rows are first copied into a temporary staging table (no indexes, no WAL), then merged into
 * contact_moment set-wise every MERGE_EVERY rows: one UPDATE for rows whose content changed, one
 * INSERT for new ones; identical rows are left alone. Set-wise merging measured 4x faster than
 * INSERT … ON CONFLICT DO UPDATE per batch, and the rollup trigger then aggregates once a chunk.
 */
const MERGE_EVERY = 100_000;
/** Parsed batches (of 5,000 rows) waiting for the database: at most ~100k rows in memory. */
const MAX_QUEUED_BATCHES = 20;

async function createStage(tx: Sql, orgId: number, source: string) {
	await tx`
		create temporary table import_stage (
			occurred_at timestamptz, cell bigint, contact_type smallint, target_groups smallint[], themes smallint[],
			persons smallint, referral boolean, team_id smallint, external_id text, existing boolean not null default false
		) on commit drop`;
	let staged = 0;
	const total = { imported: 0, updated: 0, skipped: 0 };

	const merge = async () => {
		if (staged === 0) return;
		// Fresh statistics: inside this transaction the planner would otherwise think contact_moment
		// is as small as before the import and pick nested loops.
		await tx`analyze import_stage`;
		await tx`analyze contact_moment`;
		// Which staged rows exist already: a read-only join. The insert below then reads only the
		// stage; an INSERT … WHERE NOT EXISTS over contact_moment rescans the rows it is appending
		// (measured: 174 s for 100k rows).
		await tx`
			update import_stage s set existing = true
			from contact_moment c
			where c.org_id = ${orgId} and c.source = ${source} and c.external_id = s.external_id`;
		const updated = await tx`
			update contact_moment c set
				occurred_at = s.occurred_at, cell = s.cell, contact_type = s.contact_type, target_groups = s.target_groups,
				themes = s.themes, persons = s.persons, referral = s.referral, team_id = s.team_id
			from import_stage s
			where s.existing and c.org_id = ${orgId} and c.source = ${source} and c.external_id = s.external_id
				and (c.occurred_at, c.cell, c.contact_type, c.target_groups, c.themes, c.persons, c.referral, c.team_id)
					is distinct from (s.occurred_at, s.cell, s.contact_type, s.target_groups, s.themes, s.persons, s.referral, s.team_id)`;
		const inserted = await tx`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, team_id, source, external_id)
			select ${orgId}, occurred_at, cell, contact_type, target_groups, themes, persons, referral, team_id, ${source}, external_id
			from import_stage where not existing`;
		total.updated += updated.count;
		total.imported += inserted.count;
		total.skipped += staged - updated.count - inserted.count;
		await tx`truncate import_stage`;
		staged = 0;
	};

	return {
		async add(rows: (ContactRow & { teamId: number | null })[]) {
			await tx`
				insert into import_stage
				select at, cell, ct, tg::smallint[], th::smallint[], p, r, team, ext, false
				from unnest(
					${rows.map((r) => r.occurredAt)}::timestamptz[],
					${rows.map((r) => cellToBigInt(r.cell).toString())}::bigint[],
					${rows.map((r) => r.contactType)}::smallint[],
					${rows.map((r) => `{${r.targetGroups.join(',')}}`)}::text[],
					${rows.map((r) => `{${r.themes.join(',')}}`)}::text[],
					${rows.map((r) => r.persons)}::smallint[],
					${tx.array(rows.map((r) => r.referral), 16)}::boolean[],
					${rows.map((r) => r.teamId)}::smallint[],
					${rows.map((r) => r.externalId)}::text[]
				) as u(at, cell, ct, tg, th, p, r, team, ext)`;
			staged += rows.length;
			if (staged >= MERGE_EVERY) await merge();
		},
		async finish() {
			await merge();
			return total;
		}
	};
}
