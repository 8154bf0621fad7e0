// The test database helper itself: migrations ran, the SQL helpers work, and the engine is the
// one asked for (PGlite without TEST_DATABASE_URL, PostgreSQL >= 15 with it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, dbTitle, openTestDatabase, type TestDatabase } from '../helpers/test-db';

describe(dbTitle('test database harness'), () => {
	let t: TestDatabase;
	beforeAll(async () => {
		t = await openTestDatabase();
	});
	afterAll(async () => {
		await t?.cleanup();
	});

	it('opens the engine asked for', async () => {
		expect(t.kind).toBe(dbKind());
		const [row] = await t.sql`select current_setting('server_version_num')::int as v`;
		expect(row!.v as number).toBeGreaterThanOrEqual(150000);
	});

	it('applies all migrations to a fresh database', async () => {
		expect(t.migrations.length).toBeGreaterThan(0);
		expect(t.migrations[0]).toBe('0001_init');
		const [row] = await t.sql`select to_regclass('contact_moment') is not null as ok`;
		expect(row!.ok).toBe(true);
	});

	it('h3_parent and h3_resolution work on bigint cells', async () => {
		// 8a1fb46622dffff (res 10) → res 7 parent 871fb4662ffffff
		const cell = BigInt('0x8a1fb46622dffff');
		const [row] = await t.sql`
			select to_hex(h3_parent(${cell.toString()}::bigint, 7)) as p,
				h3_resolution(${cell.toString()}::bigint) as r`;
		expect(row!.p).toBe('871fb4662ffffff');
		expect(row!.r).toBe(10);
	});

	it('each file gets its own database', async () => {
		const [row] = await t.sql`select count(*)::int as n from contact_moment`;
		expect(row!.n).toBe(0);
		if (t.kind === 'postgres') {
			const [db] = await t.sql`select current_database() as name`;
			expect(db!.name as string).toMatch(/^oa_test_[0-9a-f]{12}$/);
		}
	});
});
