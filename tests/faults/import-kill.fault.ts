// kill -9 during an import's commit: not one row of it is kept (the commit is one transaction),
// and after the restart the job is marked interrupted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import type { AppServer } from '../e2e/server';
import { openDatabase } from '../../src/lib/server/db';
import { engine, faultDatabase, session } from './helpers';
import { CONTACTS_CSV_MAPPING as MAPPING, contactsCsvStream as csvStream } from '../helpers/contacts-csv';

let db: Awaited<ReturnType<typeof faultDatabase>>;
let app: AppServer | undefined;

beforeAll(async () => {
	db = await faultDatabase('import-kill');
	app = await db.start();
});
afterAll(async () => {
	await app?.stop();
	await db?.drop();
});

const SOURCE = 'fault-kill';
async function countRows(): Promise<{ rows: number; status: string | undefined }> {
	const q = async (sql: postgres.Sql) => {
		const [r] = await sql`select count(*)::int as n from contact_moment where source = ${SOURCE}`;
		const [j] = await sql`select status from import_job where source = ${SOURCE} order by job_id desc limit 1`;
		return { rows: r!.n as number, status: j?.status as string | undefined };
	};
	if (db.databaseUrl) {
		const sql = postgres(db.databaseUrl, { max: 1, onnotice: () => {} });
		try {
			return await q(sql);
		} finally {
			await sql.end();
		}
	}
	const d = await openDatabase({ dataDir: db.pgliteDir });
	try {
		return await q(d.sql as unknown as postgres.Sql);
	} finally {
		await d.close();
	}
}

describe(`kill -9 during an import commit [${engine}]`, () => {
	it('keeps none of its rows, and marks the job interrupted after the restart', { timeout: 240_000 }, async () => {
		const cookie = await session(app!.baseURL, 'coordinator');
		// the same kind of file, left alone, is imported: its rows are valid
		const small = await fetch(
			`${app!.baseURL}/api/imports/contacts?mode=commit&source=fault-small&mapping=${encodeURIComponent(JSON.stringify(MAPPING))}`,
			{
				method: 'POST',
				headers: { cookie, origin: app!.baseURL, 'content-type': 'text/csv' },
				body: csvStream(3_000),
				duplex: 'half'
			} as RequestInit
		);
		const result = JSON.parse((await small.text()).trim().split('\n').at(-1)!) as { type: string; counts: { imported: number } };
		expect(result).toMatchObject({ type: 'result', counts: { imported: 3_000 } });

		const url = `${app!.baseURL}/api/imports/contacts?mode=commit&source=${SOURCE}&mapping=${encodeURIComponent(JSON.stringify(MAPPING))}`;
		const res = await fetch(url, {
			method: 'POST',
			headers: { cookie, origin: app!.baseURL, 'content-type': 'text/csv' },
			body: csvStream(400_000),
			duplex: 'half'
		} as RequestInit);
		expect(res.status).toBe(200);
		// read progress until well into the file, then kill the server outright
		const reader = res.body!.getReader();
		const dec = new TextDecoder();
		let buffered = '';
		let records = 0;
		while (records < 60_000) {
			const { value, done } = await reader.read();
			if (done) throw new Error(`the import ended before it could be killed: ${buffered.slice(-300)}`);
			buffered += dec.decode(value, { stream: true });
			for (const line of buffered.split('\n').slice(0, -1)) {
				const msg = JSON.parse(line) as { type: string; counts?: { records?: number } };
				if (msg.type === 'result') throw new Error('the import finished before it could be killed');
				records = Math.max(records, msg.counts?.records ?? 0);
			}
			buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
		}
		const exited = new Promise((r) => app!.child.once('exit', r));
		app!.child.kill('SIGKILL');
		await exited;
		await reader.cancel().catch(() => {});
		await app!.stop();

		const during = await countRows();
		expect(during).toEqual({ rows: 0, status: 'running' });

		app = await db.start();
		const jobs = await fetch(`${app.baseURL}/api/imports/jobs`, { headers: { cookie: await session(app.baseURL, 'coordinator') } });
		const listed = ((await jobs.json()) as { jobs: { source: string; status: string }[] }).jobs.find((j) => j.source === SOURCE);
		expect(listed?.status).toBe('interrupted');
		await app.stop();
		app = undefined;
		expect(await countRows()).toEqual({ rows: 0, status: 'interrupted' });
	});
});
