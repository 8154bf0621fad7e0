// The import log: one row per dry run or commit, with counts only.
import type { Sql } from '../db';

import type { ImportKind } from '../../api/imports';

export async function startJob(
	sql: Sql,
	j: { orgId: number; kind: ImportKind; source: string; filename?: string; mode: 'dry-run' | 'commit'; userId: number | null }
): Promise<number> {
	const [row] = await sql`
		insert into import_job (org_id, kind, source, filename, mode, created_by)
		values (${j.orgId}, ${j.kind}, ${j.source}, ${j.filename ?? null}, ${j.mode}, ${j.userId})
		returning job_id`;
	return row!.job_id as number;
}

export async function finishJob(
	sql: Sql,
	orgId: number,
	jobId: number,
	status: 'done' | 'failed' | 'rolled-back',
	counts: Record<string, number>,
	message?: string
): Promise<void> {
	await sql`
		update import_job set status = ${status}, counts = ${sql.json(counts)}, message = ${message ?? null}, finished_at = now()
		where org_id = ${orgId} and job_id = ${jobId}`;
}

/**
 * Marks the jobs left 'running' by a process that ended without finishing them (kill -9, a
 * crash, power loss) as 'interrupted'. Run at start, before any import can begin. A commit runs
 * in one transaction, so an interrupted one wrote nothing. Returns how many were marked.
 */
export async function markInterruptedJobs(sql: Sql): Promise<number> {
	const rows = await sql`
		update import_job set status = 'interrupted', finished_at = now(), message = 'interrupted: the server stopped during the import'
		where status = 'running'
		returning 1`;
	return rows.length;
}

export async function recentJobs(sql: Sql, orgId: number, limit = 20) {
	return sql`
		select j.job_id, j.kind, j.source, j.filename, j.mode, j.status, j.counts, j.created_at, j.finished_at, u.display_name
		from import_job j left join app_user u on u.org_id = j.org_id and u.user_id = j.created_by
		where j.org_id = ${orgId} order by j.created_at desc limit ${limit}`;
}

export async function saveMapping(sql: Sql, orgId: number, kind: ImportKind, source: string, mapping: unknown, userId: number | null) {
	await sql`
		insert into import_mapping (org_id, kind, source, mapping, updated_by)
		values (${orgId}, ${kind}, ${source}, ${sql.json(mapping as never)}, ${userId})
		on conflict (org_id, kind, source) do update set mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = now()`;
}

export async function loadMappings(sql: Sql, orgId: number, kind: ImportKind): Promise<{ source: string; mapping: unknown }[]> {
	const rows = await sql`select source, mapping from import_mapping where org_id = ${orgId} and kind = ${kind} order by source`;
	return rows.map((r) => ({ source: r.source as string, mapping: r.mapping }));
}
