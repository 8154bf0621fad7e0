// `npm run seed`: migrate the database and seed the demo organisation (once).
//
//   npx tsx scripts/seed.ts [--reset] [--contacts N] [--seed S] [--today YYYY-MM-DD]
//
// Database: DATABASE_URL (PostgreSQL) when set, else embedded PGlite in PGLITE_DIR (default
// ./data/pglite). Without --reset an existing demo organisation is left alone, so running it
// at every start is safe; --reset deletes the demo organisation (cascading) and seeds again.
import { openCliDatabase } from './cli-db';
import { migrate } from '../src/lib/server/migrate';
import { DEMO_SLUG, deleteDemo, ensureDemo, type SeedOptions } from '../src/lib/server/demo/seed';

function parseArgs(argv: string[]): { reset: boolean; opts: SeedOptions } {
	const opts: SeedOptions = {};
	let reset = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i]!;
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		const int = (v: string) => {
			if (!/^\d+$/.test(v)) throw new Error(`${a} expects a whole number, got ${v}`);
			return Number(v);
		};
		if (a === '--reset') reset = true;
		else if (a === '--contacts') opts.contacts = int(value());
		else if (a === '--seed') opts.seed = int(value());
		else if (a === '--today') opts.today = value();
		else throw new Error(`unknown option ${a} (use --reset, --contacts N, --seed S, --today YYYY-MM-DD)`);
	}
	return { reset, opts };
}

async function main() {
	const { reset, opts } = parseArgs(process.argv.slice(2));
	const db = await openCliDatabase();
	try {
		const applied = await migrate(db.sql);
		if (applied.length) console.log(`migrated: ${applied.join(', ')}`);
		if (reset && (await deleteDemo(db.sql))) console.log(`deleted ${DEMO_SLUG}`);
		let last = 0;
		const report = await ensureDemo(db.sql, {
			...opts,
			onProgress: (done, total) => {
				// a line every ~10 %, on stderr so the summary line stays alone on stdout
				if (process.stderr.isTTY && done - last >= total / 10) {
					last = done;
					process.stderr.write(`  contacts ${done}/${total}\n`);
				}
			}
		});
		if (!report) {
			const [c] = await db.sql`
				select (select count(*) from contact_moment m where m.org_id = o.org_id)::int as contacts,
					(select count(*) from service_location s where s.org_id = o.org_id)::int as services,
					(select count(*) from signal s where s.org_id = o.org_id)::int as signals
				from organisation o where o.slug = ${DEMO_SLUG}`;
			console.log(
				`${DEMO_SLUG} already present (${db.kind}, ${db.where}): ${c?.contacts} contacts, ` +
					`${c?.services} services, ${c?.signals} signals; not reseeded (use --reset)`
			);
			return;
		}
		const k = report.counts;
		console.log(
			`seeded ${DEMO_SLUG} (${db.kind}, ${db.where}) in ${(report.ms.total / 1000).toFixed(1)} s ` +
				`(contacts ${(report.ms.contacts / 1000).toFixed(1)} s): ` +
				`${k.districts} districts, ${k.sectors} sectors, ${k.teams} teams, ${k.services} services, ` +
				`${k.contacts} contacts (${report.from}..${report.today}, seed ${report.seed}), ${k.signals} signals, ` +
				`${k.users} users, ${k.rounds} street rounds`
		);
	} finally {
		await db.close();
	}
}

main().catch((e) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
