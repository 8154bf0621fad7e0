// Ad hoc (issue 11, point 3): what the contact triggers cost an import's INSERT on PostgreSQL or
// PGlite. Stages `--rows` benchmark contacts once, then for each variant, in turn and in rounds
// (so that the machine's load falls on all alike), inserts them into contact_moment in
// statements of `--batch` rows inside a transaction that is rolled back, and prints the median
// rows/s per variant. Variants: all triggers as migrated; without the coarse rollup's insert
// trigger; and any SQL files given with --variant (run in the transaction first, e.g. a
// `create or replace function`).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { benchmarkContacts } from '../src/lib/server/demo/contacts';
import { createOrganisation } from '../src/lib/server/organisations';
import { todayInBrussels } from '../src/lib/server/clock';
import { openThrowawayDatabase } from '../tests/helpers/test-db';

const { values: args } = parseArgs({
	options: {
		rows: { type: 'string', default: '200000' },
		batch: { type: 'string', default: '100000' },
		rounds: { type: 'string', default: '3' },
		variant: { type: 'string', multiple: true, default: [] },
		pglite: { type: 'boolean', default: false }
	}
});
const ROWS = Number(args.rows);
const BATCH = Number(args.batch);
const db = await openThrowawayDatabase(args.pglite ? undefined : process.env.DATABASE_URL);
const { sql } = db;
try {
	const { orgId } = await createOrganisation(sql, { slug: 'trig', name: 'T', bbox: [3.5798, 50.9795, 3.8493, 51.1889] });
	await sql`
		create table bench_src (i serial, occurred_at timestamptz, cell bigint, contact_type smallint, target_groups smallint[],
			themes smallint[], persons smallint, referral boolean, external_id text)`;
	for (const b of benchmarkContacts(ROWS, { seed: 5, today: todayInBrussels(), batchSize: 20_000 })) {
		await sql`
			insert into bench_src (occurred_at, cell, contact_type, target_groups, themes, persons, referral, external_id)
			select at, cell, ct, tg::smallint[], th::smallint[], p, r, ext from unnest(
				${b.occurredAt}::timestamptz[], ${b.cell}::bigint[], ${b.contactType}::smallint[],
				${b.targetGroups}::text[], ${b.themes}::text[], ${b.persons}::smallint[],
				${b.referral.map(String)}::text[]::boolean[], ${b.externalId}::text[]) as u(at, cell, ct, tg, th, p, r, ext)`;
	}
	const variants: { name: string; prepare: string }[] = [
		{ name: 'as migrated', prepare: '' },
		{ name: 'no coarse insert trigger', prepare: 'alter table contact_moment disable trigger contact_rollup_coarse_on_insert' },
		{ name: 'no triggers', prepare: 'alter table contact_moment disable trigger user' },
		...(args.variant as string[]).map((f) => ({ name: f, prepare: readFileSync(f, 'utf8') }))
	];
	const results = new Map<string, number[]>(variants.map((v) => [v.name, []]));
	class Rollback extends Error {}
	for (let round = 0; round < Number(args.rounds); round++) {
		for (const v of variants) {
			let ms = 0;
			await sql
				.begin(async (tx) => {
					if (v.prepare) await tx.unsafe(v.prepare);
					const t0 = performance.now();
					for (let from = 1; from <= ROWS; from += BATCH) {
						await tx`
							insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, source, external_id)
							select ${orgId}, occurred_at, cell, contact_type, target_groups, themes, persons, referral, 'bench', external_id
							from bench_src where i >= ${from} and i < ${from + BATCH}`;
					}
					ms = performance.now() - t0;
					throw new Rollback();
				})
				.catch((e) => {
					if (!(e instanceof Rollback)) throw e;
				});
			results.get(v.name)!.push(ROWS / (ms / 1000));
			console.log(`round ${round + 1} ${v.name}: ${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s (load ${loadavg()[0]!.toFixed(2)})`);
		}
	}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
	for (const [name, xs] of results)
		console.log(`${args.pglite ? 'pglite' : 'postgres'} ${name}: median ${Math.round(median(xs)).toLocaleString('en')} rows/s`);
} finally {
	await db.cleanup();
}
