// Import benchmark: writes a 1,000,000-row contacts CSV as Belgian spreadsheets export it (';',
// comma decimals, dd/mm/yyyy hh:mm, Dutch labels) and imports it end to end (read, decode,
// parse, validate, snap to cells, upsert in one transaction, rollup trigger), printing rows per
// second and the peak RSS of this process. PGlite always; PostgreSQL too when DATABASE_URL is set.
// Note: PGlite runs inside this process, so its RSS includes the database itself.
// Each import runs in a child process of its own, so the peak RSS is the importer's alone (not the
// CSV generator's, nor an earlier run's).
// Options: --rows N (default 1000000), --only pglite|postgres, --keep (leave the CSV behind),
// --csv FILE (import this file instead of writing one).
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cellToLatLng } from 'h3-js';
import { benchmarkContacts } from '../src/lib/server/demo/contacts';
import { createOrganisation } from '../src/lib/server/organisations';
import { importContacts } from '../src/lib/server/imports/contacts';
import { todayInBrussels } from '../src/lib/server/clock';
import { DEFAULT_VOCABULARIES } from '../src/lib/domain/vocabulary';
import { bigIntToCell } from '../src/lib/domain/cells';
import { openThrowawayDatabase } from '../tests/helpers/test-db';

const { values: args } = parseArgs({
	options: {
		rows: { type: 'string', default: '1000000' },
		only: { type: 'string' },
		keep: { type: 'boolean', default: false },
		csv: { type: 'string' },
		child: { type: 'string' }
	}
});
const ROWS = Number(args.rows);

const label = (kind: 'contact_type' | 'target_group' | 'theme', id: number) => DEFAULT_VOCABULARIES[kind][id - 1]!.nl;
const ids = (literal: string) => literal.slice(1, -1).split(',').filter(Boolean).map(Number);
const two = (n: number) => String(n).padStart(2, '0');

async function writeCsv(path: string): Promise<void> {
	const out = createWriteStream(path);
	out.write('ID;Datum;Breedte;Lengte;Type;Doelgroep;Thema;Aantal;Doorverwezen\r\n');
	for (const b of benchmarkContacts(ROWS, { seed: 11, today: todayInBrussels(), batchSize: 10_000 })) {
		let chunk = '';
		for (let i = 0; i < b.size; i++) {
			const [lat, lng] = cellToLatLng(bigIntToCell(BigInt(b.cell[i]!)));
			const d = new Date(b.occurredAt[i]!);
			const date = `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
			chunk +=
				[
					b.externalId[i],
					date,
					lat.toFixed(6).replace('.', ','),
					lng.toFixed(6).replace('.', ','),
					label('contact_type', b.contactType[i]!),
					ids(b.targetGroups[i]!)
						.map((g) => label('target_group', g))
						.join(','),
					ids(b.themes[i]!)
						.map((t) => label('theme', t).replace(/ \(.*\)$/, ''))
						.join(','),
					b.persons[i],
					b.referral[i] ? 'ja' : 'nee'
				].join(';') + '\r\n';
		}
		if (!out.write(chunk)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
}

async function run(engine: string, file: string, adminUrl?: string) {
	const db = await openThrowawayDatabase(adminUrl);
	try {
		const org = await createOrganisation(db.sql, { slug: 'bench', name: 'Bench', bbox: [3.5798, 50.9795, 3.8493, 51.1889] });
		let peak = process.memoryUsage().rss;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
		const importOnce = async (label: string) => {
			const t0 = performance.now();
			const r = await importContacts(db.sql, createReadStream(file, { highWaterMark: 256 * 1024 }), {
				orgId: org.orgId,
				userId: null,
				mapping: {
					externalId: 'ID',
					occurredAt: 'Datum',
					lat: 'Breedte',
					lng: 'Lengte',
					contactType: 'Type',
					targetGroups: 'Doelgroep',
					themes: 'Thema',
					persons: 'Aantal',
					referral: 'Doorverwezen'
				},
				source: 'bench',
				mode: 'commit',
				skipInvalid: true,
				totalBytes: statSync(file).size,
				onProgress: (p) => process.stderr.write(`\r  ${engine} ${label}: ${p.counts.records.toLocaleString('en')} rows`)
			});
			const seconds = (performance.now() - t0) / 1000;
			process.stderr.write('\n');
			const c = r.counts;
			console.log(
				`${engine} ${label}: ${c.records.toLocaleString('en')} rows (${c.imported.toLocaleString('en')} new, ${c.updated} updated, ` +
					`${c.unchanged.toLocaleString('en')} unchanged, ${c.rejected} rejected) in ${seconds.toFixed(1)} s = ` +
					`${Math.round(c.records / seconds).toLocaleString('en')} rows/s; peak RSS so far ${Math.round(peak / 2 ** 20)} MB`
			);
			return c.records / seconds;
		};
		// The first import of a source (what the target is about), then the same file again: every
		// row is compared with the stored one and nothing is written.
		const rowsPerSec = await importOnce('first import');
		const peakMb = peak / 2 ** 20;
		await importOnce('same file again');
		clearInterval(sampler);
		return { engine, rowsPerSec, peakMb };
	} finally {
		await db.cleanup();
	}
}

/** Runs one engine in a fresh process; its last output line is the result as JSON. */
function runChild(engine: string, file: string): { engine: string; rowsPerSec: number; peakMb: number } {
	const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', engine, '--csv', file], {
		stdio: ['ignore', 'pipe', 'inherit'],
		env: process.env,
		encoding: 'utf8'
	});
	const lines = out.trimEnd().split('\n');
	process.stdout.write(lines.slice(0, -1).join('\n') + '\n');
	return JSON.parse(lines.at(-1)!);
}

if (args.child) {
	const r = await run(args.child, args.csv!, args.child === 'postgres' ? process.env.DATABASE_URL : undefined);
	console.log(JSON.stringify(r));
} else {
	const dir = mkdtempSync(join(tmpdir(), 'oa-bench-import-'));
	const file = args.csv ?? join(dir, 'contacts.csv');
	try {
		if (!args.csv) {
			const t0 = performance.now();
			await writeCsv(file);
			console.log(
				`wrote ${ROWS.toLocaleString('en')} rows, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB, in ${((performance.now() - t0) / 1000).toFixed(1)} s`
			);
		}
		const results = [];
		if (process.env.DATABASE_URL && args.only !== 'pglite') results.push(runChild('postgres', file));
		if (args.only !== 'postgres') results.push(runChild('pglite', file));
		const pg = results.find((r) => r.engine === 'postgres');
		if (pg) {
			console.log(
				`targets on PostgreSQL: >= 50,000 rows/s: ${pg.rowsPerSec >= 50_000 ? 'met' : 'MISSED'}; <= 500 MB peak RSS: ${pg.peakMb <= 500 ? 'met' : 'MISSED'}`
			);
		}
	} finally {
		if (args.keep) console.log(`kept ${file}`);
		else rmSync(dir, { recursive: true, force: true });
	}
}
