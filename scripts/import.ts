// npm run import -- --kind contacts --file x.csv|x.xlsx [--sheet N] [--mapping m.json] [--source NAME]
//                   [--org SLUG] [--dry-run] [--skip-invalid] [--fix-swapped] [--accept-outside] [--lang nl|en]
// npm run import -- --kind services --file x.csv|x.geojson|HSDS-FOLDER [--format csv|geojson|hsds] …
// npm run import -- --kind areas --file wijken.geojson [--layer district] …
// npm run import -- --kind area_indicators --file cijfers.csv [--layer district] …
// npm run import -- --kind signals --file meldingen.csv …
// The same validation as the web import, with a progress bar on stderr. Exits 1 with a report
// (and FILE.rejected.csv for CSV files) when rows are rejected, unless --skip-invalid: then the
// valid rows are committed and it exits 0. Without --mapping, the mapping saved for --source is
// used. A services folder is read as an Open Referral HSDS package (its *.csv files); --layer
// overrides the mapping's layer for areas and area indicators. Wherever a CSV is read, an Excel
// workbook (.xlsx, ≤ 50 MB) is too: its first worksheet (or --sheet N) is read as that CSV, and
// row N of the sheet is row N of the report.
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCliDatabase } from './cli-db';
import { migrate } from '../src/lib/server/migrate';
import { findOrganisation } from '../src/lib/server/organisations';
import { importContacts } from '../src/lib/server/imports/contacts';
import { loadMappings, saveMapping } from '../src/lib/server/imports/jobs';
import { columnMappingSchema } from '../src/lib/domain/import/mapping';
import { importServices, type ServiceInput } from '../src/lib/server/imports/services';
import type { KindImportOptions, KindImportResult } from '../src/lib/server/imports/run';
import { importAreaIndicators, importAreas } from '../src/lib/server/imports/areas';
import { importSignals } from '../src/lib/server/imports/signals';
import {
	areaIndicatorMappingSchema,
	areaMappingSchema,
	hsdsMappingSchema,
	serviceCsvMappingSchema,
	serviceGeoJsonMappingSchema,
	signalMappingSchema
} from '../src/lib/domain/import/mapping';
import type { z } from 'zod';
import { openUpload, WorkbookError } from '../src/lib/server/imports/xlsx';
import { CLI_MESSAGES } from './import-messages';
import { UserInputError } from '../src/lib/domain/errors';

const USAGE =
	'usage: npm run import -- --kind contacts|services|areas|area_indicators|signals --file FILE [--format csv|geojson|hsds] ' +
	'[--sheet N] [--layer NAME] [--mapping MAPPING.json] [--source NAME] [--org SLUG] [--dry-run] [--skip-invalid] ' +
	'[--fix-swapped] [--accept-outside] [--lang nl|en]';

function usage(message: string): never {
	console.error(message);
	console.error(USAGE);
	process.exit(2);
}

const OPTIONS = {
	kind: { type: 'string', default: 'contacts' },
	file: { type: 'string' },
	mapping: { type: 'string' },
	source: { type: 'string' },
	org: { type: 'string' },
	'dry-run': { type: 'boolean', default: false },
	'skip-invalid': { type: 'boolean', default: false },
	'fix-swapped': { type: 'boolean', default: false },
	'accept-outside': { type: 'boolean', default: false },
	lang: { type: 'string', default: 'nl' },
	format: { type: 'string' },
	layer: { type: 'string' },
	sheet: { type: 'string' },
	help: { type: 'boolean', default: false }
} as const;

// A mistyped option gets the usage line, not a stack trace.
const a = (() => {
	try {
		return parseArgs({ options: OPTIONS }).values;
	} catch (e) {
		usage((e as Error).message);
	}
})();
if (a.help) {
	console.log(USAGE);
	process.exit(0);
}

const KINDS = ['contacts', 'services', 'areas', 'area_indicators', 'signals'] as const;
type Kind = (typeof KINDS)[number];
if (!(KINDS as readonly string[]).includes(a.kind)) usage(`--kind ${a.kind}: expected one of ${KINDS.join(', ')}`);
const kind = a.kind as Kind;
if (!a.file) usage('--file is required');
const isDir = (() => {
	try {
		return statSync(a.file).isDirectory();
	} catch {
		usage(`cannot read ${a.file}`);
	}
})();
if (isDir && kind !== 'services') usage(`${a.file} is a folder: only --kind services reads a folder (an HSDS package)`);
const format: 'csv' | 'geojson' | 'hsds' =
	(a.format as 'csv' | 'geojson' | 'hsds' | undefined) ?? (isDir ? 'hsds' : /\.(geo)?json$/i.test(a.file) ? 'geojson' : 'csv');
if (!['csv', 'geojson', 'hsds'].includes(format)) usage(`--format ${a.format}: expected csv, geojson or hsds`);
if (kind === 'services' && (format === 'hsds') !== isDir) usage(format === 'hsds' ? '--format hsds needs a folder' : `${a.file} is not a folder`);
const size = isDir
	? readdirSync(a.file)
			.filter((f) => f.toLowerCase().endsWith('.csv'))
			.reduce((n, f) => n + statSync(join(a.file!, f)).size, 0)
	: statSync(a.file).size;
const lang = a.lang === 'en' ? 'en' : 'nl';
const say = CLI_MESSAGES[lang];
const sheet = a.sheet === undefined ? undefined : Number(a.sheet);
if (sheet !== undefined && !(Number.isInteger(sheet) && sheet >= 1)) usage(`--sheet ${a.sheet}: expected a worksheet number from 1`);
const source = a.source ?? basename(a.file).replace(/\.[^.]+$/, '');

const database = await openCliDatabase();
let exitCode: number;
try {
	const { sql } = database;
	await migrate(sql);
	const org = a.org
		? await findOrganisation(sql, a.org)
		: await (async () => {
				const orgs = await sql`select slug from organisation order by org_id`;
				if (orgs.length === 0) {
					usage(
						'this database has no organisation yet: start the app once (it seeds the demo organisation) or create yours with npm run user:create'
					);
				}
				if (orgs.length > 1) usage(`there are ${orgs.length} organisations (${orgs.map((o) => o.slug).join(', ')}): name one with --org`);
				return findOrganisation(sql, orgs[0]!.slug as string);
			})();
	if (!org) usage(`no organisation "${a.org}"`);

	let rawMapping: unknown;
	if (a.mapping) {
		try {
			rawMapping = JSON.parse(readFileSync(a.mapping, 'utf8'));
		} catch (e) {
			usage(`--mapping ${a.mapping}: not a readable JSON file (${(e as Error).message})`);
		}
	} else {
		const saved = (await loadMappings(sql, org.orgId, kind)).find((m) => m.source === source);
		// an HSDS package needs no mapping when its taxonomy terms are labels of the vocabulary
		if (!saved && kind === 'services' && format === 'hsds') rawMapping = {};
		else if (!saved) usage(`no --mapping given and none saved for source "${source}"`);
		else rawMapping = saved.mapping;
	}
	if (a.layer && (kind === 'areas' || kind === 'area_indicators') && rawMapping && typeof rawMapping === 'object')
		rawMapping = { ...rawMapping, layer: a.layer };
	try {
		exitCode = await runKind(sql, org.orgId, rawMapping);
	} catch (e) {
		// a mapping the organisation's lists refuse (a value mapped to a code it lacks): said, not a stack trace
		if (!(e instanceof UserInputError)) throw e;
		console.error(`mapping: ${e.message}`);
		exitCode = 1;
	}
	// As the import page does on request: a mapping that worked is kept for the source, so the
	// next file from the same source needs no --mapping.
	if (exitCode === 0 && a.mapping && !a['dry-run']) {
		await saveMapping(sql, org.orgId, kind, source, rawMapping, null);
		console.log(say.mappingSaved(source));
	}
} finally {
	await database.close();
}
process.exit(exitCode);

function mappingOf<T>(r: z.ZodSafeParseResult<T>): T {
	if (r.success) return r.data;
	usage(`mapping: ${r.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`);
}

/** Every kind: the same options, report and exit codes. */
async function runKind(sql: Awaited<ReturnType<typeof openCliDatabase>>['sql'], orgId: number, rawMapping: unknown): Promise<number> {
	const file = a.file!;
	// CSV kinds: an Excel workbook is read as CSV (its size for the bar is then the CSV's)
	let csv: Awaited<ReturnType<typeof openUpload>> | null = null;
	if (kind === 'contacts' || kind === 'area_indicators' || kind === 'signals' || (kind === 'services' && format === 'csv')) {
		try {
			csv = await openUpload(createReadStream(file, { highWaterMark: 256 * 1024 }), { totalBytes: size, sheet });
		} catch (e) {
			if (!(e instanceof WorkbookError)) throw e;
			console.error(e.problem.message[lang]);
			return 1;
		}
	}
	const total = csv?.totalBytes ?? size;
	const bar = progressBar(total);
	const o: KindImportOptions = {
		orgId,
		userId: null,
		source,
		filename: basename(file),
		mode: a['dry-run'] ? 'dry-run' : 'commit',
		skipInvalid: a['skip-invalid'],
		fixSwapped: a['fix-swapped'],
		acceptOutside: a['accept-outside'],
		lang,
		totalBytes: total,
		onProgress: (p) => bar(p.bytesRead, p.counts.records)
	};
	const stream = () => csv?.chunks ?? createReadStream(file, { highWaterMark: 256 * 1024 });
	let result: KindImportResult;
	if (kind === 'contacts') {
		result = await importContacts(sql, stream(), { ...o, mapping: mappingOf(columnMappingSchema.safeParse(rawMapping)) });
	} else if (kind === 'services') {
		let input: ServiceInput;
		if (format === 'hsds') {
			const m = mappingOf(hsdsMappingSchema.safeParse(rawMapping));
			const files = Object.fromEntries(
				readdirSync(file)
					.filter((f) => f.toLowerCase().endsWith('.csv'))
					.map((f) => [f, readFileSync(join(file, f), 'utf8')])
			);
			input = { format, files, mapping: m };
		} else if (format === 'geojson') {
			const m = mappingOf(serviceGeoJsonMappingSchema.safeParse(rawMapping));
			input = { format, chunks: stream(), mapping: m };
		} else {
			const m = mappingOf(serviceCsvMappingSchema.safeParse(rawMapping));
			input = { format, chunks: stream(), mapping: m };
		}
		result = await importServices(sql, input, o);
	} else if (kind === 'areas') {
		const m = mappingOf(areaMappingSchema.safeParse(rawMapping));
		result = await importAreas(sql, stream(), m, o);
	} else if (kind === 'area_indicators') {
		const m = mappingOf(areaIndicatorMappingSchema.safeParse(rawMapping));
		result = await importAreaIndicators(sql, stream(), m, o);
	} else {
		const m = mappingOf(signalMappingSchema.safeParse(rawMapping));
		result = await importSignals(sql, stream(), m, o);
	}
	bar(total, result.counts.records, true);

	const c = result.counts;
	console.log(say.summary(result, c));
	for (const e of result.errors.slice(0, 20)) console.log(`  ${e.message[lang]}`);
	if (result.errors.length > 20 || result.truncated) console.log(`  ${say.moreProblems(result.errors.length, result.truncated)}`);
	for (const w of result.warnings.slice(0, 10)) console.log(`  (${say.warning}) ${w.message[lang]}`);
	for (const s of result.elsewhere?.sources ?? []) console.log(say.elsewhere(result.elsewhere!.sampled, s.rows, s.source));
	const unmatched = (result.values?.values ?? []).filter((v) => v.how === 'none' || v.how === 'ambiguous');
	for (const field of new Set(unmatched.map((v) => v.field)))
		console.log(
			`${say.unmatchedValues(field)}: ${unmatched
				.filter((v) => v.field === field)
				.map((v) => `${v.value} (${v.rows}${v.suggestions?.length ? `; ${say.maybe}: ${v.suggestions.join(' / ')}` : ''})`)
				.join(', ')}`
		);
	if (result.unmappedCategories.length && !result.values)
		console.log(`${say.unmapped}: ${result.unmappedCategories.map((u) => `${u.value} (${u.rows})`).join(', ')}`);
	if (result.rejectedCsv && c.rejected > 0 && !isDir && format === 'csv') {
		const out = file.replace(/(\.[^.]+)?$/, '.rejected.csv');
		writeFileSync(out, result.rejectedCsv);
		console.log(`${say.rejectedFile}: ${out}`);
	}
	// a file-level problem (not JSON, a missing table…) rejects no row but imports nothing either
	const unusable = result.errors.length > 0 && c.valid === 0;
	if ((c.rejected > 0 && !a['skip-invalid']) || unusable) {
		if (result.mode === 'commit') console.log(say.nothingImported);
		return 1;
	}
	return 0;
}

/** A progress bar on stderr; a line per 10 % when stderr is not a terminal. */
function progressBar(total: number) {
	let lastTenth = -1;
	return (done: number, rows: number, final = false) => {
		const frac = total ? Math.min(1, done / total) : 1;
		if (process.stderr.isTTY) {
			const width = 30;
			const fill = Math.round(frac * width);
			process.stderr.write(
				`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)} %  ${rows.toLocaleString('en')} rows`
			);
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
