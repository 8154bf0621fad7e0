// Where the time of one underserved scoring goes (res 10 by default): the aggregate queries on
// their own, the inputs assembled, the scoring (in the pool and inline, with its CPU time), and
// the request thread's busy time (event-loop utilisation) over a whole call. Seeds the demo
// (300,000 contacts) once into a kept database, so repeated profiles skip the seeding: PGlite
// under --dir, or the database --db on DATABASE_URL's server (created when missing).
//   tsx scripts/profile-underserved.ts --engine pglite|postgres [--res 10] [--runs 7]
//   node --cpu-prof --import tsx scripts/profile-underserved.ts --whole   a CPU profile of whole calls
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { openDatabase } from '../src/lib/server/db';
import { migrate } from '../src/lib/server/migrate';
import { seedDemo, DEMO_SLUG } from '../src/lib/server/demo/seed';
import { underservedInputs, underservedZones } from '../src/lib/server/queries/underserved';
import { hexAggregate, hexAggregateWithWindow } from '../src/lib/server/queries/hexes';
import { todayInBrussels } from '../src/lib/server/clock';
import { addDays } from '../src/lib/domain/calendar';
import { scoreZones } from '../src/lib/domain/analysis/underserved';
import { closeComputePool, compute } from '../src/lib/server/compute-pool';

const { values: a } = parseArgs({
	options: {
		engine: { type: 'string', default: 'postgres' },
		res: { type: 'string', default: '10' },
		runs: { type: 'string', default: '7' },
		dir: { type: 'string', default: '/tmp/oa-profile-pglite' },
		db: { type: 'string', default: 'oa_profile' },
		/** Only whole calls (for a CPU profile of the request thread). */
		whole: { type: 'boolean', default: false }
	}
});
const RES = Number(a.res);
const RUNS = Number(a.runs);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

async function open() {
	if (a.engine === 'pglite') return openDatabase({ dataDir: a.dir });
	const admin = postgres(process.env.DATABASE_URL!, { onnotice: () => {} });
	const [exists] = await admin`select 1 from pg_database where datname = ${a.db!}`;
	if (!exists) await admin.unsafe(`create database ${a.db}`);
	await admin.end();
	const u = new URL(process.env.DATABASE_URL!);
	u.pathname = `/${a.db}`;
	return openDatabase({ url: u.toString() });
}

async function time<T>(label: string, f: () => Promise<T>, out: Record<string, number[]>): Promise<T> {
	const t = performance.now();
	const r = await f();
	(out[label] ??= []).push(performance.now() - t);
	return r;
}

const db = await open();
try {
	const { sql } = db;
	await migrate(sql);
	let [org] = await sql`select org_id from organisation where slug = ${DEMO_SLUG}`;
	if (!org) {
		const t = performance.now();
		await seedDemo(sql, { contacts: 300_000 });
		console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
		[org] = await sql`select org_id from organisation where slug = ${DEMO_SLUG}`;
	}
	const orgId = org!.org_id as number;
	const to = todayInBrussels();
	const q = { from: addDays(to, -364), to, types: null, groups: null, teams: null, res: RES };
	const recentQ = { ...q, from: addDays(to, -89), bbox: null };
	const t: Record<string, number[]> = {};
	await underservedZones(sql, orgId, q); // warm: residents, services, pool
	for (let i = 0; i < RUNS; i++) {
		if (a.whole) {
			await time('underservedZones (whole)', () => underservedZones(sql, orgId, q), t);
			continue;
		}
		await time('hexAggregate period+targets', () => hexAggregate(sql, orgId, { ...q, bbox: null }, { targets: true }), t);
		await time('hexAggregate period', () => hexAggregate(sql, orgId, { ...q, bbox: null }), t);
		await time('hexAggregate recent', () => hexAggregate(sql, orgId, recentQ), t);
		await time('hexAggregateWithWindow (both)', () => hexAggregateWithWindow(sql, orgId, q, recentQ.from, { targets: true }), t);
		const inputs = await time('underservedInputs (all, parallel)', () => underservedInputs(sql, orgId, q), t);
		const args = [inputs.zones, inputs.services, { periodDays: inputs.periodDays }] as const;
		const c0 = process.cpuUsage();
		await time('scoreZones inline', async () => scoreZones(...args), t);
		const c1 = process.cpuUsage(c0);
		(t['  cpu of inline scoring'] ??= []).push((c1.user + c1.system) / 1000);
		await time('scoreZones via pool', () => compute('scoreZones', [...args]), t);
		const elu0 = performance.eventLoopUtilization();
		const cpu0 = process.cpuUsage();
		await time('underservedZones (whole)', () => underservedZones(sql, orgId, q), t);
		const elu = performance.eventLoopUtilization(elu0);
		(t['  main thread busy in whole'] ??= []).push(elu.active);
		const cpu = process.cpuUsage(cpu0);
		(t['  cpu of whole (this process, all threads)'] ??= []).push((cpu.user + cpu.system) / 1000);
	}
	console.log(`${a.engine} res ${RES}, median of ${RUNS}:`);
	for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(36)} ${median(v).toFixed(1)} ms   (min ${Math.min(...v).toFixed(1)})`);
} finally {
	await closeComputePool();
	await db.close();
}
