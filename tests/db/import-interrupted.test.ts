// An import cut off by a crash stays 'running' in the log; the next start marks it interrupted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { useDatabase } from '../../src/lib/server/app-db';
import { startApp } from '../../src/lib/server/startup';
import { createOrganisation } from '../../src/lib/server/organisations';
import { finishJob, recentJobs, startJob } from '../../src/lib/server/imports/jobs';

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
		const cut = await startJob(t.sql, { ...base, mode: 'commit' });
		const checked = await startJob(t.sql, { ...base, mode: 'dry-run' });
		const done = await startJob(t.sql, { ...base, mode: 'commit' });
		await finishJob(t.sql, orgId, done, 'done', { imported: 3 });

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
		expect((await recentJobs(t.sql, orgId)).find((j) => j.job_id === fresh)?.status).toBe('running');
	});
});
