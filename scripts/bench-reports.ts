// The coverage report (issue 10's bench, part of `npm run bench`): the demo organisation (25
// Ghent districts, services, signals) with --rows contacts (default 1,000,000) in a throwaway
// database; the report (three periods: the quarter, the one before, a year earlier; every figure
// of every district and the gap ranking) for each of the last 8 ended quarters, as a coordinator
// (exact) and as an analyst (published). Prints the first call (which also turns the districts
// into cells) and the median of the 8 quarters. Target: ≤ 300 ms on PostgreSQL, ≤ 1 s on PGlite.
// PGlite, and PostgreSQL when DATABASE_URL is set.
import { parseArgs } from 'node:util';
import { loadavg as osLoad } from 'node:os';
import { seedDemo } from '../src/lib/server/demo/seed';
import { getOrganisation } from '../src/lib/server/organisations';
import { coverageReport } from '../src/lib/server/queries/reports';
import { dataVersion } from '../src/lib/server/data-version';
import { todayInBrussels } from '../src/lib/server/clock';
import { endedQuarters } from '../src/lib/domain/calendar';
import { analystRes } from '../src/lib/domain/analyst-query';
import { openThrowawayDatabase } from '../tests/helpers/test-db';

const { values: args } = parseArgs({
	options: {
		rows: { type: 'string', default: '1000000' },
		only: { type: 'string' }
	}
});
const ROWS = Number(args.rows);
const QUARTERS = 8;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadavg = () =>
	osLoad()
		.map((l) => fmt(l, 1))
		.join(' ');
const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

async function run(engine: 'pglite' | 'postgres', adminUrl?: string) {
	console.log(`\n== coverage report, ${engine}, ${fmt(ROWS)} demo contacts ==`);
	const db = await openThrowawayDatabase(adminUrl);
	try {
		const { sql } = db;
		const t0 = performance.now();
		const seeded = await seedDemo(sql, { contacts: ROWS });
		console.log(`  seeded in ${fmt((performance.now() - t0) / 1000, 1)} s`);
		const org = (await getOrganisation(sql, seeded.orgId))!;
		const version = await dataVersion(sql, org.orgId);
		const res = Math.min(org.planningRes, org.storageRes);
		const quarters = endedQuarters(todayInBrussels(), QUARTERS);
		for (const role of ['coordinator', 'analyst'] as const) {
			const options = {
				layer: 'district', // the demo's district layer
				res,
				zoneRes: role === 'analyst' ? analystRes(org) : res,
				k: role === 'analyst' ? org.kThreshold : null,
				version
			};
			const t1 = performance.now();
			const first = await coverageReport(sql, org.orgId, { ...options, period: quarters[0]! });
			const firstMs = performance.now() - t1;
			const times: number[] = [];
			for (const q of quarters) {
				const t = performance.now();
				await coverageReport(sql, org.orgId, { ...options, period: q });
				times.push(performance.now() - t);
			}
			console.log(
				`  ${role}: ${first.layer.codes.length} areas × ${QUARTERS} quarters; first ${fmt(firstMs)} ms (with the areas' cells), ` +
					`then median ${fmt(median(times))} ms, max ${fmt(Math.max(...times))} ms (${times.map((t) => fmt(t)).join(', ')}; load ${loadavg()})`
			);
		}
		console.log(`  process RSS ${fmt(process.memoryUsage().rss / 2 ** 20)} MB`);
	} finally {
		await db.cleanup();
	}
}

if (args.only !== 'postgres') await run('pglite');
if (process.env.DATABASE_URL && args.only !== 'pglite') await run('postgres', process.env.DATABASE_URL);
