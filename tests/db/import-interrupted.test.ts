// An import cut off by a crash stays 'running' in the log; the next start marks it interrupted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbKind, dbTitle, type TestDatabase } from '../helpers/test-db';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { useDatabase } from '../../src/lib/server/app-db';
import { startApp } from '../../src/lib/server/startup';
import { createOrganisation } from '../../src/lib/server/organisations';
import { importContacts } from '../../src/lib/server/imports/contacts';
import { CONTACTS_CSV_MAPPING, contactsCsvStream } from '../helpers/contacts-csv';
import { finishJob, markInterruptedJobs, recentJobs, startJob } from '../../src/lib/server/imports/jobs';

let t: TestDatabase;
let orgId: number;

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	orgId = (await createOrganisation(t.sql, { slug: 'intr', name: 'Intr', bbox: [3.6, 51, 3.8, 51.1] })).orgId;
});
afterAll(() => t?.cleanup());

describe(dbTitle('interrupted imports'), () => {
	it('marks the jobs left running as interrupted at start, and leaves finished ones alone', async () => {
		const base = { orgId, kind: 'contacts' as const, source: 'partner', filename: 'a.csv', userId: null };
		// jobs of a process that is gone: their rows stay, their holds are ended without a finish
		const cutJob = await startJob(t.sql, { ...base, mode: 'commit' });
		const checkedJob = await startJob(t.sql, { ...base, mode: 'dry-run' });
		const doneJob = await startJob(t.sql, { ...base, mode: 'commit' });
		const [cut, checked, done] = [cutJob.jobId, checkedJob.jobId, doneJob.jobId];
		await finishJob(t.sql, orgId, done, 'done', { imported: 3 });
		for (const j of [cutJob, checkedJob, doneJob]) await j.end();

		await startApp({ SEED_DEMO: 'false' });

		const jobs = await recentJobs(t.sql, orgId);
		const status = (id: number) => jobs.find((j) => j.job_id === id)?.status;
		expect(status(cut)).toBe('interrupted');
		expect(status(checked)).toBe('interrupted');
		expect(status(done)).toBe('done');
		const [row] = await t.sql`select finished_at from import_job where org_id = ${orgId} and job_id = ${cut}`;
		expect(row!.finished_at).toBeInstanceOf(Date);
		// a job started after the start is not touched by it
		const fresh = await startJob(t.sql, { ...base, mode: 'commit' });
		expect((await recentJobs(t.sql, orgId)).find((j) => j.job_id === fresh.jobId)?.status).toBe('running');
		await finishJob(t.sql, orgId, fresh.jobId, 'done', {});
		await fresh.end();
	});
});

// Several app servers on one PostgreSQL: a node that starts marks only the imports whose node is
// gone, not those another live node is running. Each node is a client of its own.
describe.runIf(dbKind() === 'postgres')('interrupted imports, several app servers [postgres]', () => {
	const nodes: Database[] = [];
	afterAll(async () => {
		for (const n of nodes) await n.close().catch(() => {});
	});
	async function node(): Promise<Database> {
		const [row] = await t.sql<{ name: string }[]>`select current_database() as name`;
		const url = new URL(process.env.TEST_DATABASE_URL!);
		url.pathname = `/${row!.name}`;
		const n = await openDatabase({ url: url.toString() });
		nodes.push(n);
		return n;
	}
	const status = async (jobId: number) =>
		((await t.sql`select status from import_job where org_id = ${orgId} and job_id = ${jobId}`)[0]?.status as string | undefined) ?? null;

	it("leaves a live node's running import alone and marks a dead node's", async () => {
		const base = { orgId, kind: 'contacts' as const, source: 'nodes', filename: 'n.csv', userId: null };
		const a = await node();
		const c = await node();
		const live = await startJob(a.sql, { ...base, mode: 'commit' });
		const dead = await startJob(c.sql, { ...base, mode: 'dry-run' });
		// node C dies (kill -9): its connections are gone, here ended by the server
		await t.sql`
			select pg_terminate_backend(pid) from pg_locks
			where locktype = 'advisory' and objsubid = 1 and classid = ${0x4a4f} and objid = ${dead.jobId}`;
		await dead.end();

		// node B starts on the same database
		const marked = await markInterruptedJobs(t.sql);
		expect(marked).toBe(1);
		expect(await status(dead.jobId)).toBe('interrupted');
		expect(await status(live.jobId)).toBe('running');
		// a second node starting meanwhile does not touch it either
		await startApp({ SEED_DEMO: 'false' });
		expect(await status(live.jobId)).toBe('running');

		// node A finishes its import: done, and no later start changes that
		await finishJob(a.sql, orgId, live.jobId, 'done', { imported: 1 });
		await live.end();
		expect(await markInterruptedJobs(t.sql)).toBe(0);
		expect(await status(live.jobId)).toBe('done');
	});

	it('runs a whole import on one node while another starts, and it ends done', async () => {
		const a = await node();
		const file = contactsCsvStream(20_000) as unknown as AsyncIterable<Uint8Array>;
		const started = importContacts(a.sql, file, {
			orgId,
			userId: null,
			source: 'node-a',
			mode: 'commit',
			skipInvalid: false,
			mapping: CONTACTS_CSV_MAPPING
		});
		// node B starts while the import runs
		let running: { job_id: number }[] = [];
		while (!running.length) running = await t.sql<{ job_id: number }[]>`select job_id from import_job where source = 'node-a' and status = 'running'`;
		expect(await markInterruptedJobs(t.sql)).toBe(0);
		const result = await started;
		expect(result).toMatchObject({ jobId: running[0]!.job_id, status: 'done', counts: { imported: 20_000 } });
		expect(await status(result.jobId)).toBe('done');
	});
});
