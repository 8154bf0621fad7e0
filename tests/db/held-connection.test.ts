// Requests while a transaction (an import) holds PGlite's one connection (held-connection.ts):
// a session read before the transaction began is used without waiting, so cached map answers are
// served during the import; nothing read before a later write is ever used, and the import's rows
// show as soon as it has committed. On PostgreSQL (a pool) every request reads the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbKind, dbTitle, type TestDatabase } from '../helpers/test-db';
import { callRoute } from '../helpers/route-harness';
import { useDatabase } from '../../src/lib/server/app-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSession, endSession, resolveSessionContext } from '../../src/lib/server/auth/sessions';
import { answerCache } from '../../src/lib/server/answer-cache';
import { heldBy } from '../../src/lib/server/held-connection';
import { cellToBigInt } from '../../src/lib/domain/cells';
import type { Sql } from '../../src/lib/server/db';

let t: TestDatabase;
let orgId: number;
let userId: number;
const cell = cellToBigInt(latLngToCell(51.05, 3.72, 10)).toString();
const pglite = dbKind() === 'pglite';

beforeAll(async () => {
	t = await openTestDatabase();
	useDatabase(t);
	answerCache.clear();
	orgId = (await createOrganisation(t.sql, { slug: 'held', name: 'Held', bbox: [3.6, 51.0, 3.8, 51.1] })).orgId;
	userId = await createUser(t.sql, { orgId, email: 'coord@held.example', name: 'Coord', role: 'coordinator' });
});
afterAll(() => t?.cleanup());

/** A transaction that has begun (and ran `work`) and stays open until `end()` is called. */
async function holdTransaction(work: (tx: Sql) => Promise<unknown> = async () => {}) {
	let end!: () => void;
	let begun!: () => void;
	const open = new Promise<void>((ok) => (begun = ok));
	const released = new Promise<void>((ok) => (end = ok));
	const done = t.sql.begin(async (tx) => {
		await work(tx as unknown as Sql);
		begun();
		await released;
	});
	await open;
	return {
		end: async () => {
			end();
			await done;
		}
	};
}

/** The value, or 'waiting' when it has not come within `ms`. */
const within = <T>(p: Promise<T>, ms = 500): Promise<T | 'waiting'> =>
	Promise.race([p, new Promise<'waiting'>((ok) => setTimeout(() => ok('waiting'), ms))]);

const addContact = (tx: Sql, id: string) =>
	tx`insert into contact_moment (org_id, occurred_at, cell, contact_type, external_id) values (${orgId}, now(), ${cell}, 1, ${id})`;

const contactsOf = (body: unknown) => (body as { totals: { contacts: number } }).totals.contacts;

describe(dbTitle('requests while a transaction holds the connection'), () => {
	it('serve cached map answers during the transaction and its rows once it has committed', async () => {
		const token = await createSession(t.sql, { orgId, userId });
		const get = () => callRoute(t.sql, '/api/hexes', '/api/hexes?res=9', { token });
		const before = await get();
		expect(before.status).toBe(200);

		const importing = await holdTransaction((tx) => addContact(tx, 'held-1'));
		if (pglite) expect(heldBy(t.sql)).not.toBeNull();
		const during = await within(get(), 5000);
		expect(during).not.toBe('waiting');
		// the import has not committed: the answer from before it is still the right one
		expect((during as typeof before).body).toEqual(before.body);
		await importing.end();

		expect(heldBy(t.sql)).toBeNull();
		const after = await get();
		expect(contactsOf(after.body)).toBe(contactsOf(before.body) + 1);
		expect(after.headers!.get('etag')).not.toBe(before.headers!.get('etag'));
	});

	it('never use a session read before a sign-out, even while the connection is held', async () => {
		const token = await createSession(t.sql, { orgId, userId });
		expect((await resolveSessionContext(t.sql, token))?.user.userId).toBe(userId);
		await endSession(t.sql, token);
		const importing = await holdTransaction();
		const during = resolveSessionContext(t.sql, token);
		// on PGlite it has to wait for the connection: the sign-out came after the session was read
		if (pglite) expect(await within(during, 300)).toBe('waiting');
		await importing.end();
		expect(await during).toBeNull();
	});

	it('read the sessions anew when a transaction begins: a change made before it shows during it', async () => {
		const token = await createSession(t.sql, { orgId, userId });
		expect((await resolveSessionContext(t.sql, token))?.user.role).toBe('coordinator');
		await t.sql`update app_user set role = 'worker' where org_id = ${orgId} and user_id = ${userId}`;
		const importing = await holdTransaction();
		const during = await within(resolveSessionContext(t.sql, token), 5000);
		expect(during).not.toBe('waiting');
		expect((during as { user: { role: string } }).user.role).toBe('worker');
		await importing.end();
		await t.sql`update app_user set role = 'coordinator' where org_id = ${orgId} and user_id = ${userId}`;
	});

	it('answer a session read already queued when a transaction takes the connection', async () => {
		const token = await createSession(t.sql, { orgId, userId });
		await resolveSessionContext(t.sql, token);
		const importing = holdTransaction((tx) => addContact(tx, 'held-3'));
		// asked after the transaction was, so queued behind it on PGlite's one connection
		const during = await within(resolveSessionContext(t.sql, token), 5000);
		expect(during).not.toBe('waiting');
		expect((during as { user: { userId: number } }).user.userId).toBe(userId);
		await (await importing).end();
	});

	it('see a change the transaction itself made once it has committed', async () => {
		const token = await createSession(t.sql, { orgId, userId });
		const version = (await resolveSessionContext(t.sql, token))!.dataVersion;
		const importing = await holdTransaction(async (tx) => {
			await addContact(tx, 'held-2');
			await tx`delete from user_session where token_hash in (select token_hash from user_session where org_id = ${orgId} and user_id = ${userId})`;
		});
		if (pglite) {
			// read before the transaction began: still what every other request may see
			const during = await within(resolveSessionContext(t.sql, token));
			expect(during).not.toBe('waiting');
			expect((during as { dataVersion: string }).dataVersion).toBe(version);
		}
		await importing.end();
		expect(await resolveSessionContext(t.sql, token)).toBeNull();
	});
});
