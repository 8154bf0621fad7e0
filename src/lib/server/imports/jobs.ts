// The import log: one row per dry run or commit, with counts only.
import type { Sql } from '../db';

import type { ImportKind } from '../../api/imports';

type JobSpec = { orgId: number; kind: ImportKind; source: string; filename?: string; mode: 'dry-run' | 'commit'; userId: number | null };

/** A job row in the log while its import runs; `end()` once the job is finished (or failed). */
export interface HeldJob {
	jobId: number;
	end(): Promise<void>;
}

/**
 * The advisory-lock key that says a job's import is alive (one-argument form: apart from the
 * two-integer keys the contacts import and vocabulary take per organisation).
 */
const JOB_LOCK_BASE = String(0x4a4f_0000_0000); // 'JO' << 32; + the job id

/**
 * Imports of every process that are still running, for one client; they share one wait, so
 * that a burst of imports cannot take every connection of the pool (each needs two, see below).
 */
const running = new WeakMap<object, { active: number; waiting: (() => void)[] }>();

async function slot(sql: Sql, max: number): Promise<() => void> {
	let s = running.get(sql);
	if (!s) running.set(sql, (s = { active: 0, waiting: [] }));
	const state = s;
	if (state.active >= max) await new Promise<void>((resolve) => state.waiting.push(resolve));
	else state.active++;
	return () => {
		const next = state.waiting.shift();
		if (next) next();
		else state.active--;
	};
}

/**
 * Logs a job as running and keeps it known as alive until `end()`: a transaction holds an
 * advisory lock keyed on the job for as long as the import runs, so a node that starts (another
 * app server on the same database) tells a live import of another node from one whose process is
 * gone (markInterruptedJobs). The lock is taken before the row is written, so no node sees the
 * row without it; it goes with the holding connection when the process dies (kill -9), and a
 * transaction-scoped lock also holds through PgBouncer in transaction mode.
 *
 * A client with one connection (PGlite, which one process owns: pglite-lock.ts) holds no lock:
 * its connection is the import's, and any job found running at its start is another run's.
 */
export async function startJob(sql: Sql, j: JobSpec): Promise<HeldJob> {
	const max = (sql as unknown as { options?: { max?: number } }).options?.max ?? 1;
	if (max < 3) return { jobId: await insertJob(sql, j), end: async () => {} };
	// Two connections while it runs (the lock's and the import's) and one briefly for the row.
	const release = await slot(sql, Math.max(1, Math.floor((max - 1) / 2)));
	let started!: (jobId: number) => void;
	let failed!: (e: unknown) => void;
	const jobId = new Promise<number>((resolve, reject) => ((started = resolve), (failed = reject)));
	let finish!: () => void;
	const finished = new Promise<void>((resolve) => (finish = resolve));
	const holding = sql
		.begin(async (tx) => {
			const [row] =
				await tx`select id, pg_advisory_xact_lock(${JOB_LOCK_BASE}::bigint + id) from (select nextval(pg_get_serial_sequence('import_job', 'job_id'))::int as id) s`;
			started(await insertJob(sql, j, row!.id as number));
			await finished;
		})
		.catch(failed)
		.finally(release);
	try {
		return { jobId: await jobId, end: async () => (finish(), await holding) };
	} catch (e) {
		finish();
		throw e;
	}
}

async function insertJob(sql: Sql, j: JobSpec, jobId?: number): Promise<number> {
	const [row] = jobId
		? await sql`
			insert into import_job (org_id, job_id, kind, source, filename, mode, created_by)
			values (${j.orgId}, ${jobId}, ${j.kind}, ${j.source}, ${j.filename ?? null}, ${j.mode}, ${j.userId})
			returning job_id`
		: await sql`
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
 * crash, power loss) as 'interrupted': those whose lock (startJob) no session holds. A job of
 * another app server that is still running keeps its lock and is left alone. Run at start, before
 * any import of this process can begin (on PGlite no lock is held: every job found running is
 * another run's). A commit runs in one transaction, so an interrupted one wrote nothing. Returns
 * how many were marked.
 */
export async function markInterruptedJobs(sql: Sql): Promise<number> {
	return sql.begin(async (tx) => {
		// The try-locks are this transaction's, released at its end; a job whose lock is free has
		// no live import, and none can start on it (its id was taken).
		const rows = await tx`
			with gone as (
				select org_id, job_id from import_job
				where status = 'running' and pg_try_advisory_xact_lock(${JOB_LOCK_BASE}::bigint + job_id)
			)
			update import_job j set status = 'interrupted', finished_at = now(), message = 'interrupted: the server stopped during the import'
			from gone where j.org_id = gone.org_id and j.job_id = gone.job_id and j.status = 'running'
			returning 1`;
		return rows.length;
	});
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
