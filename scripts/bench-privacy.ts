// npm run bench (privacy part): what the cell-key rule adds to an analyst's /api/hexes at res 8.
// Loads generated contact moments into a throwaway database, then times the analyst's default
// question (the last ended quarter, all contacts, res 8) two ways on the same data:
//   before: the map aggregation, then suppression and rounding only (the rule before the cell-key
//           method, replayed here);
//   after:  publishedHexes, the route's path now: key sums per cell and contact type, the ptable,
//           the per-type answers and the totals guard.
// Both include JSON serialisation of the answer. Target: after <= before + 20 %.
// Each is also timed in CPU time of this process (user + system, median): on PGlite the database
// runs in this process, so that is the work of the whole question, and it moves far less with
// the machine's load than the wall time (other processes on a shared machine); on PostgreSQL it
// is the client's part only (reading the rows and publishing).
// The bench organisation has no area layers (createOrganisation adds none), so no per-layer area
// guard runs here; with a district layer the splits' areas are published too.
// "after" is a cold computation every time: publishedQuestion keeps no finished answer (the
// route's answer cache does, per data version), only the areas of a layer per data version.
// Runs on PGlite, and on PostgreSQL too when DATABASE_URL is set. Options: --rows N (default
// 1000000), --runs N (default 9), --only pglite|postgres.
import { parseArgs } from 'node:util';
import { benchmarkContacts } from '../src/lib/server/demo/contacts';
import { createOrganisation } from '../src/lib/server/organisations';
import { hexAggregate, type HexColumns } from '../src/lib/server/queries/hexes';
import { publishedHexes } from '../src/lib/server/queries/published';
import { todayInBrussels } from '../src/lib/server/clock';
import { endedQuarters } from '../src/lib/domain/calendar';
import { publishCount, publishDays } from '../src/lib/domain/privacy';
import type { HexQuery } from '../src/lib/domain/hex-query';
import type { Sql } from '../src/lib/server/db';
import { openThrowawayDatabase } from '../tests/helpers/test-db';

const { values: args } = parseArgs({
	options: {
		rows: { type: 'string', default: '1000000' },
		runs: { type: 'string', default: '9' },
		only: { type: 'string' }
	}
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const TODAY = todayInBrussels();
const K = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The rule before the cell-key method: suppress 1..k-1, round to 5, complementary suppression. */
function publishBefore(cols: HexColumns, k: number) {
	const n = cols.cells.length;
	const small = cols.contacts.map((c) => c > 0 && c < k);
	if (small.filter(Boolean).length === 1) {
		let pick = -1;
		for (let i = 0; i < n; i++) if (!small[i] && cols.contacts[i]! > 0 && (pick < 0 || cols.contacts[i]! < cols.contacts[pick]!)) pick = i;
		if (pick >= 0) small[pick] = true;
	}
	const column = (values: number[]) => values.map((v, i) => (small[i] ? null : publishCount(v, k)));
	const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
	return {
		res: cols.res,
		from: cols.from,
		to: cols.to,
		cells: cols.cells,
		contacts: column(cols.contacts),
		persons: column(cols.persons),
		referrals: column(cols.referrals),
		daysSinceLast: cols.daysSinceLast.map((d, i) => (small[i] ? null : publishDays(d))),
		totals: {
			contacts: publishCount(sum(cols.contacts), k),
			persons: publishCount(sum(cols.persons), k),
			referrals: publishCount(sum(cols.referrals), k)
		},
		k
	};
}

async function load(sql: Sql, orgId: number) {
	for (const b of benchmarkContacts(ROWS, { seed: 7, today: TODAY, batchSize: 20_000 })) {
		await sql`
			insert into contact_moment (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, external_id, is_demo)
			select ${orgId}, at, cell, ct, tg::smallint[], th::smallint[], p, r, ext, true from unnest(
				${b.occurredAt}::timestamptz[], ${b.cell}::bigint[], ${b.contactType}::smallint[],
				${b.targetGroups}::text[], ${b.themes}::text[], ${b.persons}::smallint[],
				${b.referral.map(String)}::text[]::boolean[], ${b.externalId}::text[]
			) as u(at, cell, ct, tg, th, p, r, ext)`;
	}
}

async function run(engine: 'pglite' | 'postgres', adminUrl?: string) {
	const db = await openThrowawayDatabase(adminUrl);
	try {
		const { sql } = db;
		const org = await createOrganisation(sql, { slug: 'bench', name: 'Bench', bbox: [3.5798, 50.9795, 3.8493, 51.1889] });
		await load(sql, org.orgId);
		await sql`analyze`;
		const quarter = endedQuarters(TODAY, 1)[0]!;
		const q: HexQuery = { res: 8, from: quarter.from, to: quarter.to, types: null, groups: null, teams: null, bbox: null };
		const before = async () => JSON.stringify(publishBefore(await hexAggregate(sql, org.orgId, q), K)).length;
		const after = async () => JSON.stringify(await publishedHexes(sql, org.orgId, q, K)).length;
		const times: Record<'before' | 'after', number[]> = { before: [], after: [] };
		const cpu: Record<'before' | 'after', number[]> = { before: [], after: [] };
		let cells = 0;
		// warm both, then alternate so drift in the machine's load hits both alike
		await before();
		await after();
		for (let i = 0; i < RUNS; i++) {
			for (const [name, fn] of [
				['before', before],
				['after', after]
			] as const) {
				const c0 = process.cpuUsage();
				const t0 = performance.now();
				await fn();
				times[name].push(performance.now() - t0);
				const c = process.cpuUsage(c0);
				cpu[name].push((c.user + c.system) / 1000);
			}
		}
		cells = (await hexAggregate(sql, org.orgId, q)).cells.length;
		const b = median(times.before);
		const a = median(times.after);
		console.log(
			`${engine}: ${ROWS.toLocaleString('en')} contacts, Q${quarter.q} ${quarter.year} at res 8 (${cells} cells): ` +
				`analyst /api/hexes before ${b.toFixed(1)} ms, with the cell-key rule ${a.toFixed(1)} ms ` +
				`(${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)} %; target <= +20 %)`
		);
		const cb = median(cpu.before);
		const ca = median(cpu.after);
		console.log(
			`${engine}: CPU time of ${engine === 'pglite' ? 'this process (database included)' : 'the client only'}: ` +
				`before ${cb.toFixed(1)} ms, with the cell-key rule ${ca.toFixed(1)} ms (${ca >= cb ? '+' : ''}${(((ca - cb) / cb) * 100).toFixed(1)} %)`
		);
	} finally {
		await db.cleanup();
	}
}

console.log('\nPrivacy: what the cell-key rule adds to an analyst’s /api/hexes at res 8 (median)');
if (args.only !== 'postgres') await run('pglite');
if (process.env.DATABASE_URL && args.only !== 'pglite') await run('postgres', process.env.DATABASE_URL);
