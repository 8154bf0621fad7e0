// npm run bench (third part): underserved zones and round planning on the demo organisation with
// many contacts. Seeds the demo (real Ghent areas, services, signals) with --rows contacts
// (default 300,000) into a throwaway database and prints, per resolution, the time to score every
// zone (first call, which also spreads residents over cells, and the median of the next --runs),
// the zones scored and the response size; then the planner: proposing a 2-hour round from a
// service location over the zones within reach. PGlite, and PostgreSQL when DATABASE_URL is set.
// Then, at res 9 and 10, 10 requests at once: the time per request and the event-loop delay
// (perf_hooks.monitorEventLoopDelay, p99 and max) while they run: the scoring runs in the compute
// pool (src/lib/server/compute-pool.ts); ATLAS_COMPUTE_THREADS=0 shows it on the request thread.
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seedDemo } from '../src/lib/server/demo/seed';
import { getOrganisation } from '../src/lib/server/organisations';
import { underservedZones } from '../src/lib/server/queries/underserved';
import { startOptions } from '../src/lib/server/round-route';
import { todayInBrussels } from '../src/lib/server/clock';
import { addDays } from '../src/lib/domain/calendar';
import { packCell } from '../src/lib/domain/cells';
import { candidatesNear, proposeRoute } from '../src/lib/domain/round-route';
import { openThrowawayDatabase } from '../tests/helpers/test-db';
import { closeComputePool, computeThreads } from '../src/lib/server/compute-pool';

const { values: args } = parseArgs({
	options: {
		rows: { type: 'string', default: '300000' },
		runs: { type: 'string', default: '5' },
		only: { type: 'string' }
	}
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

async function run(engine: 'pglite' | 'postgres', adminUrl?: string) {
	console.log(`\n== underserved zones and planning, ${engine}, ${fmt(ROWS)} demo contacts ==`);
	const db = await openThrowawayDatabase(adminUrl);
	try {
		const { sql } = db;
		const t0 = performance.now();
		const report = await seedDemo(sql, { contacts: ROWS });
		console.log(`  seeded in ${fmt((performance.now() - t0) / 1000, 1)} s`);
		const org = (await getOrganisation(sql, report.orgId))!;
		const to = todayInBrussels();
		const q = { from: addDays(to, -364), to, types: null, groups: null, teams: null };
		for (const res of [8, 9, 10]) {
			const times: number[] = [];
			let zones = 0;
			let bytes = 0;
			for (let i = 0; i <= RUNS; i++) {
				const t = performance.now();
				const r = await underservedZones(sql, org.orgId, { ...q, res });
				const mapped = r.zones.filter((z) => z.score >= 5);
				bytes = JSON.stringify({ cells: mapped.map((z) => packCell(z.cell)), scores: mapped.map((z) => z.score), top: r.zones.slice(0, 20) }).length;
				times.push(performance.now() - t);
				zones = r.zones.length;
			}
			const [first, ...rest] = times;
			console.log(
				`  res ${res}: ${fmt(zones)} zones scored; first ${fmt(first!)} ms, then median ${fmt(median(rest))} ms; response ${fmt(bytes / 1024, 1)} KiB`
			);
		}
		for (const res of [9, 10]) {
			const delay = monitorEventLoopDelay({ resolution: 10 });
			delay.enable();
			const t = performance.now();
			const each = await Promise.all(
				Array.from({ length: 10 }, async () => {
					const t1 = performance.now();
					await underservedZones(sql, org.orgId, { ...q, res });
					return performance.now() - t1;
				})
			);
			delay.disable();
			console.log(
				`  res ${res}, 10 at once: ${fmt(performance.now() - t)} ms in all, per request median ${fmt(median(each))} ms, max ${fmt(Math.max(...each))} ms; ` +
					`event-loop delay p99 ${fmt(delay.percentile(99) / 1e6, 1)} ms, max ${fmt(delay.max / 1e6, 1)} ms`
			);
		}
		const scored = await underservedZones(sql, org.orgId, { ...q, res: org.planningRes });
		const [start] = await startOptions(sql, org.orgId);
		const candidates = candidatesNear(scored.zones, start!.cell, 120);
		const times: number[] = [];
		let plan = proposeRoute(candidates, start!.cell, 120);
		for (let i = 0; i < RUNS; i++) {
			const t = performance.now();
			plan = proposeRoute(candidates, start!.cell, 120);
			times.push(performance.now() - t);
		}
		console.log(
			`  planner: ${candidates.length} candidates within reach of "${start!.label}", 120 min → ${plan.stops.length} zones, ` +
				`${fmt(plan.totalMinutes)} min (${fmt(plan.walkingMinutes)} walking); median ${fmt(median(times), 1)} ms`
		);
		console.log(`  process RSS ${fmt(process.memoryUsage().rss / 2 ** 20)} MB`);
	} finally {
		await db.cleanup();
	}
}

console.log(`compute pool: ${computeThreads() || 'off (ATLAS_COMPUTE_THREADS=0)'} worker thread(s)`);
try {
	if (args.only !== 'postgres') await run('pglite');
	if (process.env.DATABASE_URL && args.only !== 'pglite') await run('postgres', process.env.DATABASE_URL);
} finally {
	await closeComputePool();
}
