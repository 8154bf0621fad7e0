// The coverage report page's words (changes, figures, gap reasons) with the app's real messages,
// and its URL state and sorting.
import { afterAll, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { _, locale } from 'svelte-i18n';
import { intlTag, setLocale, setupI18n, type AppLocale } from '../../src/lib/i18n';
import { changeShort, changeText, figureText, gapReasonText, type ReportTextContext } from '../../src/lib/components/report-text';
import { readView, visibleRows, writeView, type AreaRow } from '../../src/lib/components/report-view';
import { change } from '../../src/lib/domain/reports/indicators';

setupI18n();

function ctx(lang: AppLocale, k: number | null = null, quarterly = true): ReportTextContext {
	setLocale(lang);
	return { t: get(_), tag: intlTag(lang), k, quarterly };
}

describe('report words', () => {
	afterAll(() => locale.set('nl'));

	it('says a change with its arrow, in Dutch and English', () => {
		const nl = ctx('nl');
		expect(changeText(change(118, 100), 'previous', nl)).toBe('▲ +18 % t.o.v. vorig kwartaal');
		expect(changeText(change(95, 100), 'yearEarlier', nl)).toBe('▼ -5 % t.o.v. hetzelfde kwartaal vorig jaar');
		expect(changeText(change(4, 0), 'previous', nl)).toBe('▲ nieuw t.o.v. vorig kwartaal');
		expect(changeText(change(null, 10), 'previous', nl)).toBe('niet te vergelijken');
		expect(changeText(change(10, 10), 'previous', ctx('nl', null, false))).toBe('▶ gelijk aan vorige periode');
		expect(changeText(change(118, 100), 'previous', ctx('en'))).toBe('▲ +18 % vs the previous quarter');
	});

	it('says a change in short for the printed table, whose caption says against what', () => {
		const nl = ctx('nl');
		expect(changeShort(change(118, 100), nl)).toBe('▲ +18 %');
		expect(changeShort(change(95, 100), nl)).toBe('▼ -5 %');
		expect(changeShort(change(4, 0), nl)).toBe('▲ nieuw');
		expect(changeShort(change(10, 10), ctx('en'))).toBe('▶ same');
		expect(changeShort(change(null, 10), nl)).toBe('–');
	});

	it('shows a suppressed count as "< k" and coverage as a percentage', () => {
		const c = ctx('nl', 5);
		expect(figureText('contacts', null, c)).toBe('< 5');
		expect(figureText('perThousand', null, c)).toBe('–');
		expect(figureText('coverage', 0.3425, c)).toBe('34,3%');
		expect(figureText('contacts', 7865, c)).toBe('7.865');
	});

	it('says the gap reasons in words', () => {
		const c = ctx('nl', 5);
		expect(gapReasonText({ kind: 'zones', n: 2, of: 8 }, c)).toBe('2 van 8 zones onderbediend');
		expect(gapReasonText({ kind: 'signals', count: null }, c)).toBe('minder dan 5 open signalen');
		expect(gapReasonText({ kind: 'signals', count: 10 }, c)).toBe('10 open signalen');
		expect(gapReasonText({ kind: 'coverage', share: 0.1, org: 0.34 }, c)).toBe('dekking 10% (organisatie 34%)');
		expect(gapReasonText({ kind: 'lastVisit', days: 35 }, c)).toBe('laatste bezoek 5 weken voor het einde');
		expect(gapReasonText({ kind: 'noService' }, ctx('en'))).toBe('no service within 1 km');
	});
});

describe('report view', () => {
	it('keeps every choice in the URL and reads it back', () => {
		const v = readView(new URLSearchParams('layer=sector&from=2026-01-01&to=2026-03-31&cmp=yearEarlier&sort=coverage&dir=descending&q=brug'));
		expect(v).toEqual({ layer: 'sector', from: '2026-01-01', to: '2026-03-31', cmp: 'yearEarlier', sort: 'coverage', dir: 'descending', q: 'brug' });
		expect(readView(new URLSearchParams(writeView(v)))).toEqual(v);
		expect(writeView(readView(new URLSearchParams('sort=evil')))).toBe('');
	});

	it('sorts by a figure with unknown values last, and searches names', () => {
		const row = (name: string, contacts: number | null) =>
			({ code: name, name, population: null, values: { contacts }, changes: {} }) as unknown as AreaRow;
		const rows = [row('Muide', 20), row('Brugse Poort', null), row('Ledeberg', 5), row('Dampoort', 40)];
		const names = (sort: 'name' | 'contacts', dir: 'ascending' | 'descending', q = '') =>
			visibleRows(rows, { sort, dir, q }, 'nl-BE').map((r) => r.name);
		expect(names('contacts', 'descending')).toEqual(['Dampoort', 'Muide', 'Ledeberg', 'Brugse Poort']);
		expect(names('contacts', 'ascending')).toEqual(['Ledeberg', 'Muide', 'Dampoort', 'Brugse Poort']);
		expect(names('name', 'ascending')).toEqual(['Brugse Poort', 'Dampoort', 'Ledeberg', 'Muide']);
		expect(names('name', 'ascending', 'POORT')).toEqual(['Brugse Poort', 'Dampoort']);
	});

	it('sorts by the referrals to one target category, "< k" and unknown codes last', () => {
		const row = (name: string, byTarget: Record<string, number | null>) =>
			({ code: name, name, population: null, values: {}, changes: {}, byTarget }) as unknown as AreaRow;
		const rows = [
			row('Muide', { caw: 10, ocmw: 40 }),
			row('Ledeberg', { caw: null, ocmw: 5 }),
			row('Dampoort', { caw: 25, ocmw: 0 }),
			row('Wondelgem', {})
		];
		const names = (sort: `target:${string}`, dir: 'ascending' | 'descending') => visibleRows(rows, { sort, dir, q: '' }, 'nl-BE').map((r) => r.name);
		expect(names('target:caw', 'descending')).toEqual(['Dampoort', 'Muide', 'Ledeberg', 'Wondelgem']);
		expect(names('target:ocmw', 'ascending')).toEqual(['Dampoort', 'Ledeberg', 'Muide', 'Wondelgem']);
		const v = readView(new URLSearchParams('sort=target:caw&dir=descending'));
		expect(v.sort).toBe('target:caw');
		expect(writeView(v)).toBe('sort=target%3Acaw&dir=descending');
		expect(readView(new URLSearchParams('sort=target:')).sort).toBe('name');
	});
});
