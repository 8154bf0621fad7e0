// Ad hoc: the coordinator map's top referral target under a target-group filter at 1,000,000
// contacts (issue 11, point 2). Loads benchmarkContacts with a referral target on 85 % of the
// referrals, then times hexAggregate at res 9 filtered by one group, with and without targets,
// and the top-target query alone. --db NAME keeps the PostgreSQL contacts for a later run.
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { benchmarkContacts } from '../src/lib/server/demo/contacts';
import { createOrganisation } from '../src/lib/server/organisations';
import { hexAggregate, topTargetRows } from '../src/lib/server/queries/hexes';
import { todayInBrussels } from '../src/lib/server/clock';
import { addDays } from '../src/lib/domain/calendar';
import type { HexQuery } from '../src/lib/domain/hex-query';
import type { Sql } from '../src/lib/server/db';
import { openDatabase } from '../src/lib/server/db';
import { migrate } from '../src/lib/server/migrate';
import { openThrowawayDatabase, type TestDatabase } from '../tests/helpers/test-db';

const { values: args } = parseArgs({
	options: {
		rows: { type: 'string', default: '1000000' },
		runs: { type: 'string', default: '9' },
		only: { type: 'string' },
		db: { type: 'string' },
		dir: { type: 'string' }
	}
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const TODAY = todayInBrussels();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function load(sql: Sql, orgId: number) {
	const targets = (await sql`select id from vocabulary where org_id = ${orgId} and kind = 'referral_target' order by id`).map((r) => r.id as number);
	for (const b of benchmarkContacts(ROWS, { seed: 7, today: TODAY, batchSize: 20_000 })) {
		await sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, referral_target, external_id, is_demo)
			select ${orgId}, at, cell, ct, tg::smallint[], th::smallint[], p, r,
				case when r and abs(hashtext(ext)) % 100 < 85 then (${targets}::smallint[])[1 + abs(hashtext(ext || 't')) % ${targets.length}] end,
				ext, true from unnest(
				${b.occurredAt}::timestamptz[], ${b.cell}::bigint[], ${b.contactType}::smallint[],
				${b.targetGroups}::text[], ${b.themes}::text[], ${b.persons}::smallint[],
				${b.referral.map(String)}::text[]::boolean[], ${b.externalId}::text[]
			) as u(at, cell, ct, tg, th, p, r, ext)`;
	}
}

async function time(fn: () => Promise<unknown>) {
	const runs: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		await fn();
		runs.push(performance.now() - t0);
	}
	return median(runs);
}

async function run(engine: string, db: TestDatabase) {
	const { sql } = db;
	const [kept] = await sql`select org_id from organisation where slug = 'benchtop'`;
	const orgId = kept
		? (kept.org_id as number)
		: (await createOrganisation(sql, { slug: 'benchtop', name: 'B', bbox: [3.5798, 50.9795, 3.8493, 51.1889] })).orgId;
	if (!kept) {
		const t0 = performance.now();
		await load(sql, orgId);
		console.log(`${engine}: loaded ${ROWS} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
	}
	await sql`vacuum analyze`;
	const [{ n }] = (await sql`select count(*)::int as n from contact_moment where referral_target is not null`) as unknown as [{ n: number }];
	console.log(`${engine}: ${n} referrals with a target`);
	for (const days of [365, 730, 90]) {
		for (const groups of [[1], null] as const) {
			const q: HexQuery = {
				res: 9,
				from: addDays(TODAY, -(days - 1)),
				to: TODAY,
				types: null,
				groups: groups ? [...groups] : null,
				teams: null,
				bbox: null
			};
			const plain = await time(() => hexAggregate(sql, orgId, q));
			const withTargets = await time(() => hexAggregate(sql, orgId, q, { targets: true }));
			const top = await time(() => topTargetRows(sql, orgId, q, null));
			console.log(
				`${engine} res 9, ${days} days, groups ${groups ? groups.join() : '-'}: map ${plain.toFixed(1)} ms, map + targets ${withTargets.toFixed(1)} ms, top targets alone ${top.toFixed(1)} ms (load ${loadavg()
					.map((x) => x.toFixed(2))
					.join(' ')})`
			);
		}
	}
}

async function openKept(adminUrl: string, name: string): Promise<TestDatabase> {
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
	if (!exists) await admin.unsafe(`create database ${name}`);
	await admin.end();
	const u = new URL(adminUrl);
	u.pathname = `/${name}`;
	const db = await openDatabase({ url: u.toString() });
	return { ...db, migrations: await migrate(db.sql), cleanup: () => db.close() };
}

if (args.only !== 'postgres') {
	const db = args.dir
		? await (async () => {
				const d = await openDatabase({ dataDir: args.dir });
				return { ...d, migrations: await migrate(d.sql), cleanup: () => d.close() } as TestDatabase;
			})()
		: await openThrowawayDatabase(undefined);
	try {
		await run('pglite', db);
	} finally {
		await db.cleanup();
	}
}
if (process.env.DATABASE_URL && args.only !== 'pglite') {
	const db = args.db ? await openKept(process.env.DATABASE_URL, args.db) : await openThrowawayDatabase(process.env.DATABASE_URL);
	try {
		await run('postgres', db);
	} finally {
		await db.cleanup();
	}
}
