// The audit page names every action in both languages: a new action without a label would show
// as a raw key ("audit.action.round_budget") to the coordinator.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { AUDIT_ACTIONS } from '../../src/lib/server/audit';

function labels(lang: 'nl' | 'en'): Record<string, string> {
	const dir = 'src/lib/i18n';
	const files = [
		`${dir}/${lang}.json`,
		...readdirSync(`${dir}/features`)
			.filter((f) => f.endsWith(`.${lang}.json`))
			.map((f) => `${dir}/features/${f}`)
	];
	return Object.assign({}, ...files.map((f) => JSON.parse(readFileSync(f, 'utf8')).audit?.action ?? {}));
}

describe('audit log labels', () => {
	it.each(['nl', 'en'] as const)('has a %s label for every action', (lang) => {
		const known = labels(lang);
		expect(AUDIT_ACTIONS.filter((a) => !known[a.replace(/\./g, '_')])).toEqual([]);
	});
});
