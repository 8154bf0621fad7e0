// npm run import -- --kind contacts --file x.csv [--mapping m.json] [--source NAME] [--org SLUG]
//                   [--dry-run] [--skip-invalid] [--fix-swapped] [--accept-outside] [--lang nl|en]
// The same validation as the web import, with a progress bar on stderr. Exits 1 with a report
// (and FILE.rejected.csv) when rows are rejected, unless --skip-invalid: then the valid rows are
// committed and it exits 0. Without --mapping, the mapping saved for --source is used.
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../src/lib/server/db';
import { migrate } from '../src/lib/server/migrate';
import { findOrganisation } from '../src/lib/server/organisations';
import { importContacts } from '../src/lib/server/imports/contacts';
import { loadMappings } from '../src/lib/server/imports/jobs';
import { columnMappingSchema } from '../src/lib/domain/import/mapping';

const { values: a } = parseArgs({
	options: {
		kind: { type: 'string', default: 'contacts' },
		file: { type: 'string' },
		mapping: { type: 'string' },
		source: { type: 'string' },
		org: { type: 'string' },
		'dry-run': { type: 'boolean', default: false },
		'skip-invalid': { type: 'boolean', default: false },
		'fix-swapped': { type: 'boolean', default: false },
		'accept-outside': { type: 'boolean', default: false },
		lang: { type: 'string', default: 'nl' }
	}
});

function usage(message: string): never {
	console.error(message);
	console.error('usage: npm run import -- --kind contacts --file FILE.csv [--mapping MAPPING.json] [--source NAME] [--org SLUG] [--dry-run] [--skip-invalid]');
	process.exit(2);
}

if (a.kind !== 'contacts') usage(`--kind ${a.kind}: only "contacts" is importable from the command line so far`);
if (!a.file) usage('--file is required');
const size = (() => {
	try {
		return statSync(a.file).size;
	} catch {
		usage(`cannot read ${a.file}`);
	}
})();
const lang = a.lang === 'en' ? 'en' : 'nl';
const source = a.source ?? basename(a.file).replace(/\.[^.]+$/, '');

const database = await openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: process.env.PGLITE_DIR || undefined });
let exitCode = 0;
try {
	const { sql } = database;
	await migrate(sql);
	const org = a.org
		? await findOrganisation(sql, a.org)
		: await (async () => {
				const orgs = await sql`select slug from organisation order by org_id`;
				if (orgs.length !== 1) usage(`there are ${orgs.length} organisations: name one with --org`);
				return findOrganisation(sql, orgs[0]!.slug as string);
			})();
	if (!org) usage(`no organisation "${a.org}"`);

	let rawMapping: unknown;
	if (a.mapping) rawMapping = JSON.parse(readFileSync(a.mapping, 'utf8'));
	else {
		const saved = (await loadMappings(sql, org.orgId, 'contacts')).find((m) => m.source === source);
		if (!saved) usage(`no --mapping given and none saved for source "${source}"`);
		rawMapping = saved.mapping;
	}
	const mapping = columnMappingSchema.safeParse(rawMapping);
	if (!mapping.success) usage(`mapping: ${mapping.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);

	const bar = progressBar(size);
	const result = await importContacts(sql, createReadStream(a.file, { highWaterMark: 256 * 1024 }), {
		orgId: org.orgId,
		userId: null,
		mapping: mapping.data,
		source,
		filename: basename(a.file),
		mode: a['dry-run'] ? 'dry-run' : 'commit',
		skipInvalid: a['skip-invalid'],
		fixSwapped: a['fix-swapped'],
		acceptOutside: a['accept-outside'],
		totalBytes: size,
		onProgress: (p) => bar(p.bytesRead, p.counts.records)
	});
	bar(size, result.counts.records, true);

	const c = result.counts;
	console.log(
		`${result.mode} ${result.status}: ${c.records} rows read, ${c.valid} valid, ${c.rejected} rejected, ` +
			`${c.duplicates} duplicates in the file; imported ${c.imported}, updated ${c.updated}, unchanged ${c.skipped}`
	);
	for (const e of result.errors.slice(0, 20)) console.log(`  ${e.message[lang]}`);
	if (result.errors.length > 20 || result.truncated) console.log(`  … ${c.rejected} rejected rows in all`);
	if (result.rejectedCsv && c.rejected > 0) {
		const out = a.file.replace(/(\.[^.]+)?$/, '.rejected.csv');
		writeFileSync(out, result.rejectedCsv);
		console.log(`rejected rows with their reasons: ${out}`);
	}
	if (c.rejected > 0 && !a['skip-invalid']) {
		console.log(result.mode === 'commit' ? 'Nothing was imported. Fix the rows, or pass --skip-invalid to import the valid ones.' : '');
		exitCode = 1;
	}
} finally {
	await database.close();
}
process.exit(exitCode);

/** A progress bar on stderr; a line per 10 % when stderr is not a terminal. */
function progressBar(total: number) {
	let lastTenth = -1;
	return (done: number, rows: number, final = false) => {
		const frac = total ? Math.min(1, done / total) : 1;
		if (process.stderr.isTTY) {
			const width = 30;
			const fill = Math.round(frac * width);
			process.stderr.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)} %  ${rows.toLocaleString('en')} rows`);
			if (final) process.stderr.write('\n');
		} else {
			const tenth = Math.floor(frac * 10);
			if (tenth > lastTenth || final) {
				lastTenth = tenth;
				process.stderr.write(`${(frac * 100).toFixed(0)} % (${rows} rows)\n`);
			}
		}
	};
}
