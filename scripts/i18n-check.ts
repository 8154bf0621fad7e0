// Checks the translations: every key is in both languages, and every key is used somewhere in src.
//
//   npm run i18n:check            exits 1 and lists the keys when one is missing or unused
//
// The messages are merged as src/lib/i18n/index.ts merges them: nl.json and en.json, and each
// features/<name>.<lang>.json pair deep-merged over them under its top-level keys.
//
// A key counts as used when src (outside the i18n folder) contains it as a string literal
// ('hex.selected'), lies under a literal of two or more segments that names a branch
// (label('import.jobs.modes', mode)) or ends in a dot ('import.fields.' + key), or
// matches a template literal whose ${…} parts stand for one or more segments
// (`import.fields.${f.key}.label`). Keys built in ways that leave no such trace are listed in
// DYNAMIC_KEYS below, each with where it is built.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const I18N = join(ROOT, 'src/lib/i18n');
const LANGS = ['nl', 'en'] as const;

/**
 * Keys looked up through a variable that holds part of the key's start, so that neither a literal
 * nor a template literal with a literal first segment shows them. Keep this list short: prefer a
 * literal or a template literal in the code. Each entry says where the key is built.
 */
const DYNAMIC_KEYS: { keys: RegExp; where: string }[] = [
	{
		// `${texts}.loading` with texts = 'map' | 'hotspots' | 'underserved' | 'mapMonths' | 'mapChange', the map's mode
		keys: /^(map|hotspots|underserved|mapMonths|mapChange)\.(canvasLabel|centreEmpty|loading|loadFailed)$/,
		where: 'src/lib/components/MapView.svelte'
	},
	{
		// `${TIME_TEXTS[v]}.view` and `.title`, the view switch and panel of the map over time
		keys: /^(mapMonths|mapChange)\.(view|title)$/,
		where: 'src/routes/+page.svelte'
	}
];

type Messages = { [key: string]: string | Messages };

function flatten(messages: Messages, prefix = '', out = new Map<string, string>()): Map<string, string> {
	for (const [k, v] of Object.entries(messages)) {
		if (typeof v === 'string') out.set(prefix + k, v);
		else flatten(v, `${prefix}${k}.`, out);
	}
	return out;
}

/** Every key of one language, with the file that defines it (a feature file wins, as in index.ts). */
function keysOf(lang: string): Map<string, string> {
	const files = [
		`${lang}.json`,
		...readdirSync(join(I18N, 'features'))
			.filter((f) => f.endsWith(`.${lang}.json`))
			.map((f) => `features/${f}`)
	];
	const keys = new Map<string, string>();
	for (const file of files) {
		const messages = JSON.parse(readFileSync(join(I18N, file), 'utf8')) as Messages;
		for (const key of flatten(messages).keys()) keys.set(key, `src/lib/i18n/${file}`);
	}
	return keys;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) {
			if (path !== I18N) sourceFiles(path, out);
		} else if (/\.(ts|js|svelte)$/.test(name)) out.push(path);
	}
	return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the code says about keys: exact literals, literal prefixes and template-literal patterns. */
function usesIn(files: string[]) {
	const literals = new Set<string>();
	const prefixes = new Set<string>();
	const patterns = new Set<string>();
	const KEYISH = /^[A-Za-z][\w-]*(\.[\w-]+)*\.?$/;
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		for (const m of text.matchAll(/'([^'\n\\]*)'|"([^"\n\\]*)"/g)) {
			const s = m[1] ?? m[2]!;
			if (!KEYISH.test(s)) continue;
			if (s.endsWith('.')) prefixes.add(s);
			else {
				literals.add(s);
				if (s.includes('.')) prefixes.add(`${s}.`);
			}
		}
		for (const m of text.matchAll(/`((?:[^`\\]|\\.)*)`/g)) {
			const body = m[1]!;
			if (!body.includes('${')) {
				if (KEYISH.test(body) && !body.endsWith('.')) literals.add(body);
				continue;
			}
			const parts = body.split(/\$\{[^}]*\}/);
			// Only templates that look like a key once their ${…} parts are filled in, and that start with
			// a literal first segment (`errors.${code}`): `${texts}.loading` would match any *.loading.
			if (!parts.every((p) => /^[\w.-]*$/.test(p)) || !/^[A-Za-z][\w-]*\./.test(parts[0]!)) continue;
			patterns.add(`^${parts.map(escape).join('[\\w.-]+')}$`);
		}
	}
	return { literals, prefixes: [...prefixes], patterns: [...patterns].map((p) => new RegExp(p)) };
}

const byLang = Object.fromEntries(LANGS.map((l) => [l, keysOf(l)])) as Record<(typeof LANGS)[number], Map<string, string>>;
const problems: string[] = [];

for (const lang of LANGS) {
	for (const other of LANGS) {
		if (other === lang) continue;
		for (const [key, file] of byLang[lang]) if (!byLang[other].has(key)) problems.push(`missing in ${other}: ${key} (defined in ${file})`);
	}
}

const { literals, prefixes, patterns } = usesIn(sourceFiles(join(ROOT, 'src')));
const allKeys = new Map([...byLang.en, ...byLang.nl]);
for (const [key, file] of allKeys) {
	const used =
		literals.has(key) || prefixes.some((p) => key.startsWith(p)) || patterns.some((p) => p.test(key)) || DYNAMIC_KEYS.some((d) => d.keys.test(key));
	if (!used) problems.push(`unused: ${key} (${relative(ROOT, join(ROOT, file))})`);
}

if (problems.length) {
	console.error(problems.sort().join('\n'));
	console.error(`i18n check: ${problems.length} problem(s) in ${allKeys.size} keys`);
	process.exit(1);
}
console.log(`i18n check: ${allKeys.size} keys, all in nl and en, all used`);
