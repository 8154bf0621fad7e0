// Every import problem code has a short label in both languages for the report's "problems by
// kind" list; without one the coordinator sees the raw code ("too_few_columns").
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';

/** The codes of row-errors.ts, read from its TEXTS table (the type alone is gone at run time). */
function issueCodes(): string[] {
	const src = readFileSync('src/lib/domain/import/row-errors.ts', 'utf8');
	const table = src.slice(src.indexOf('const TEXTS = {'), src.indexOf('} satisfies Record<string, Text>'));
	return [...table.matchAll(/^\t([a-z0-9_]+): /gm)].map((m) => m[1]!);
}

function labels(lang: 'nl' | 'en'): Record<string, string> {
	const dir = 'src/lib/i18n';
	const files = [
		`${dir}/${lang}.json`,
		...readdirSync(`${dir}/features`)
			.filter((f) => f.endsWith(`.${lang}.json`))
			.map((f) => `${dir}/features/${f}`)
	];
	return Object.assign({}, ...files.map((f) => JSON.parse(readFileSync(f, 'utf8')).import?.codes ?? {}));
}

describe('import problem labels', () => {
	it('reads the codes', () => {
		expect(issueCodes()).toEqual(expect.arrayContaining(['required', 'column_count', 'too_few_columns', 'empty_file']));
	});
	it.each(['nl', 'en'] as const)('has a %s label for every code', (lang) => {
		const known = labels(lang);
		expect(issueCodes().filter((c) => !known[c])).toEqual([]);
	});
});
