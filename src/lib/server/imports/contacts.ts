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
				const w = await upsertContacts(tx, o.orgId, o.source, rows);
				written.imported += w.imported;
				written.updated += w.updated;
				written.skipped += rows.length - w.imported - w.updated;
			}
			o.onProgress?.({ bytesRead: batch.progress.bytesRead, totalBytes: o.totalBytes, counts });
		}
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

/** Inserts new rows, updates changed ones, leaves identical ones; returns what it did. */
async function upsertContacts(tx: Sql, orgId: number, source: string, rows: (ContactRow & { teamId: number | null })[]) {
	const result = await tx`
		insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, team_id, source, external_id)
		select ${orgId}, at, cell, ct, tg::smallint[], th::smallint[], p, r, team, ${source}, ext
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
		) as u(at, cell, ct, tg, th, p, r, team, ext)
		on conflict (org_id, source, external_id) do update set
			occurred_at = excluded.occurred_at, cell = excluded.cell, contact_type = excluded.contact_type,
			target_groups = excluded.target_groups, themes = excluded.themes, persons = excluded.persons,
			referral = excluded.referral, team_id = excluded.team_id
		where (contact_moment.occurred_at, contact_moment.cell, contact_moment.contact_type, contact_moment.target_groups,
				contact_moment.themes, contact_moment.persons, contact_moment.referral, contact_moment.team_id)
			is distinct from (excluded.occurred_at, excluded.cell, excluded.contact_type, excluded.target_groups,
				excluded.themes, excluded.persons, excluded.referral, excluded.team_id)
		returning (xmax = 0) as inserted`;
	const imported = result.filter((r) => r.inserted).length;
	return { imported, updated: result.length - imported };
}
