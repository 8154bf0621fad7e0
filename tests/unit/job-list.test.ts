// The import log says when an import was interrupted by a stop of the server and offers to run
// it again (asking for the file, which is not kept).
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { locale } from 'svelte-i18n';
import { setupI18n } from '../../src/lib/i18n';
import JobList from '../../src/lib/components/import/JobList.svelte';
import type { Job } from '../../src/lib/api/imports';

setupI18n();

const job = (over: Partial<Job>): Job => ({
	job_id: 1,
	kind: 'contacts',
	source: 'partner',
	filename: 'a.csv',
	mode: 'commit',
	status: 'done',
	counts: { imported: 1 },
	created_at: '2026-12-01T10:00:00Z',
	finished_at: '2026-12-01T10:01:00Z',
	display_name: 'Coord',
	...over
});

describe('JobList', () => {
	it('says an interrupted commit saved nothing and offers to run it again, in Dutch and English', () => {
		const jobs = [job({ job_id: 2, status: 'interrupted' }), job({ job_id: 1 })];
		locale.set('nl');
		const nl = render(JobList, { props: { jobs, error: null, onrerun: () => {} } }).body;
		expect(nl).toContain('onderbroken');
		expect(nl).toContain('er is niets van bewaard');
		expect(nl).toContain('Opnieuw uitvoeren (kies het bestand)');
		expect(nl.match(/data-testid="import-job-interrupted"/g)).toHaveLength(1);
		locale.set('en');
		const en = render(JobList, { props: { jobs, error: null } }).body;
		expect(en).toContain('interrupted');
		expect(en).toContain('nothing of it was saved');
		// without a handler, it says how to run it again
		expect(en).toContain('choose it again above');
		locale.set('nl');
	});
});
