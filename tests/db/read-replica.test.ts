// Aggregate reads on a streaming replica (DATABASE_READ_URL, read-replica.ts): answers come from
// the replica once it holds the organisation's data version, from the primary while it lags (a
// coordinator sees the contact just written) or cannot be reached. Needs TEST_DATABASE_URL and
// TEST_READ_DATABASE_URL (CI: `pg-cluster.sh replica`); PGlite has no replica, so it is skipped there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession } from '../../src/lib/server/auth/sessions';
import { dataVersion } from '../../src/lib/server/data-version';
import { answerCache } from '../../src/lib/server/answer-cache';
import { readerFor, replicaReads } from '../../src/lib/server/read-replica';
import { openDatabase, type Sql } from '../../src/lib/server/db';
import { cellToBigInt } from '../../src/lib/domain/cells';

const withReplica = !!process.env.TEST_DATABASE_URL && !!process.env.TEST_READ_DATABASE_URL;
let t: TestDatabase;
let orgId: number;
let token = '';
const cell = cellToBigInt(latLngToCell(51.05, 3.72, 10)).toString();
let serial = 0;

const addContact = () =>
	t.sql`insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id) values (${orgId}, now(), ${cell}, 1, ${`r-${serial++}`})`;

/** Contacts the map answers for the organisation (the cache emptied first, so it is computed). */
async function mapTotal(): Promise<number> {
	answerCache.clear();
	const r = await callRoute(t.sql, '/api/hexes', '/api/hexes?res=8', { token });
	expect(r.status).toBe(200);
	return (r.body as { totals: { contacts: number } }).totals.contacts;
}

async function caughtUp(read: Sql) {
	const want = await dataVersion(t.sql, orgId);
	// (until the replica has replayed the migrations, its tables do not even exist)
	for (let i = 0; i < 600; i++) {
		if ((await dataVersion(read, orgId).catch(() => null)) === want) return;
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('the replica did not catch up within 30 s');
}

beforeAll(async () => {
	if (!withReplica) return;
	t = await openTestDatabase();
	useDatabase(t);
	orgId = (await createOrganisation(t.sql, { slug: 'replica', name: 'Replica', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	const userId = await createUser(t.sql, { orgId, email: 'c@replica.example', name: 'c', role: 'coordinator' });
	token = await createSession(t.sql, { orgId, userId });
});
afterAll(() => t?.cleanup());

describe.skipIf(!withReplica)('read replica [postgres + replica]', () => {
	it('answers from the replica once it holds the data version', async () => {
		expect(t.read).toBeDefined();
		for (let i = 0; i < 3; i++) await addContact();
		await caughtUp(t.read!);
		const before = { ...replicaReads };
		expect(await mapTotal()).toBe(3);
		expect(replicaReads.replica).toBe(before.replica + 1);
		expect(replicaReads.lagging).toBe(before.lagging);
	});

	it('asks the primary while the replica lags, so a write is seen at once', async () => {
		await t.read!`select pg_wal_replay_pause()`;
		try {
			await addContact();
			const before = { ...replicaReads };
			expect(await mapTotal()).toBe(4);
			expect(replicaReads.lagging).toBe(before.lagging + 1);
			expect(replicaReads.replica).toBe(before.replica);
		} finally {
			await t.read!`select pg_wal_replay_resume()`;
		}
		await caughtUp(t.read!);
		const before = { ...replicaReads };
		expect(await mapTotal()).toBe(4);
		expect(replicaReads.replica).toBe(before.replica + 1);
	});

	it('falls back to the primary when the replica cannot be reached', async () => {
		// a replica URL where nothing listens: the check fails fast, the primary answers
		const dead = await openDatabase({ url: process.env.TEST_DATABASE_URL!, readUrl: 'postgres://postgres@127.0.0.1:9/postgres' });
		try {
			const before = replicaReads.unavailable;
			const started = Date.now();
			const sql = await readerFor(dead, orgId, await dataVersion(t.sql, orgId));
			expect(sql).toBe(dead.sql);
			expect(replicaReads.unavailable).toBe(before + 1);
			expect(Date.now() - started).toBeLessThan(2000);
		} finally {
			await dead.close();
		}
	});

	it('the replica refuses writes: only reads are sent there', async () => {
		await expect(t.read!`insert into team (org_id, team_id, name) values (${orgId}, 9, 'x')`).rejects.toThrow(/read-only/);
	});
});
