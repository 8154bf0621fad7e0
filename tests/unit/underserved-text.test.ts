// The underserved view's reasons in words, with the app's real messages (Dutch and English),
// analysts' suppressed counts, and the score classes the map and legend share.
import { afterAll, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { _, locale } from 'svelte-i18n';
import { intlTag, setLocale, type AppLocale } from '../../src/lib/i18n';
import { reasonText, roughly, type ReasonContext } from '../../src/lib/components/underserved';
import { MAGMA, SCORE_BREAKS, VIRIDIS } from '../../src/lib/map/colour';
import { classOf, scoreLegend } from '../../src/lib/map/stats';
import type { Reason } from '../../src/lib/domain/analysis/underserved';

const CATEGORIES: Record<number, { nl: string; en: string }> = { 1: { nl: 'Nachtopvang', en: 'Night shelter' } };

function ctx(lang: AppLocale, k: number | null = null): ReasonContext {
	setLocale(lang);
	const t = get(_);
	return { t, tag: intlTag(lang), k, category: (id) => CATEGORIES[id]?.[lang] ?? null };
}

const signals = (count: number | null): Reason => ({ kind: 'signals', points: 30, count });
const noVisit = (days: number | null): Reason => ({ kind: 'noVisit', points: 20, days });
const demand = (contacts: number | null): Reason => ({ kind: 'demand', points: 3, contacts });
const services = (accessRatio: number, nearestM: number | null, category: number | null = 1): Reason => ({
	kind: 'services',
	points: 10,
	accessRatio,
	nearestM,
	category
});

describe('reasonText', () => {
	afterAll(() => locale.set('nl'));

	it('says each reason in Dutch, with plurals and a decimal comma', () => {
		const c = ctx('nl');
		expect(reasonText(signals(3), c)).toBe('3 open signalen');
		expect(reasonText(signals(1), c)).toBe('1 open signaal');
		expect(reasonText(noVisit(73), c)).toBe('geen bezoek in 73 dagen');
		expect(reasonText(noVisit(1), c)).toBe('geen bezoek in 1 dag');
		expect(reasonText(noVisit(null), c)).toBe('geen bezoek in de laatste 90 dagen');
		expect(reasonText(services(0.43, 2013), c)).toBe('dichtstbijzijnde voorziening 2,0 km (Nachtopvang), dienstverlening 0,4× het stadsgemiddelde');
		// at or above the average, only the distance is a reason worth saying
		expect(reasonText(services(1.7, 640), c)).toBe('dichtstbijzijnde voorziening 0,6 km (Nachtopvang)');
		expect(reasonText(services(0.2, 900, null), c)).toBe('dichtstbijzijnde voorziening 0,9 km, dienstverlening 0,2× het stadsgemiddelde');
		expect(reasonText(services(0, null, null), c)).toBe('geen voorzieningen gekend');
		expect(reasonText({ kind: 'population', points: 8, perKm2: 3587 }, c)).toBe('± 3.600 inwoners per km²');
		expect(reasonText(demand(42), c)).toBe('42 contacten in deze periode');
		expect(reasonText(demand(1), c)).toBe('1 contact in deze periode');
	});

	it('says each reason in English', () => {
		const c = ctx('en');
		expect(reasonText(signals(3), c)).toBe('3 open signals');
		expect(reasonText(signals(1), c)).toBe('1 open signal');
		expect(reasonText(noVisit(73), c)).toBe('no visit in 73 days');
		expect(reasonText(noVisit(null), c)).toBe('no visit in the last 90 days');
		expect(reasonText(services(0.43, 2013), c)).toBe('nearest service 2.0 km (Night shelter), service access 0.4× the city average');
		expect(reasonText({ kind: 'population', points: 8, perKm2: 3587 }, c)).toBe('± 3,600 residents per km²');
		expect(reasonText(demand(42), c)).toBe('42 contacts in this period');
	});

	it('shows analysts "< k" for a suppressed count, never a number below k, and whole weeks', () => {
		const nl = ctx('nl', 5);
		expect(reasonText(signals(null), nl)).toBe('< 5 open signalen');
		expect(reasonText(demand(null), nl)).toBe('< 5 contacten in deze periode');
		expect(reasonText(signals(10), nl)).toBe('10 open signalen');
		expect(reasonText(noVisit(70), nl)).toBe('geen bezoek in 10 weken');
		expect(reasonText(noVisit(7), nl)).toBe('geen bezoek in 1 week');
		expect(reasonText(noVisit(null), nl)).toBe('geen bezoek in de laatste 90 dagen');
		expect(reasonText({ kind: 'noVisit', points: 8, days: null, withheld: true }, nl)).toBe('laatste bezoek afgeschermd (< 5 recente contacten)');
		const en = ctx('en', 5);
		expect(reasonText(signals(null), en)).toBe('< 5 open signals');
		expect(reasonText(demand(null), en)).toBe('< 5 contacts in this period');
		expect(reasonText(noVisit(14), en)).toBe('no visit in 2 weeks');
	});

	it('never reads a ratio just under 1 as "1×", nor a little access as none', () => {
		expect(reasonText(services(0.97, 500), ctx('nl'))).toContain('dienstverlening 0,9×');
		expect(reasonText(services(0.04, 500), ctx('nl'))).toContain('dienstverlening < 0,1×');
		expect(reasonText(services(0, 500), ctx('nl'))).toContain('dienstverlening 0×');
	});
});

describe('roughly', () => {
	it('rounds a density to hundreds from 1,000 and to tens from 100', () => {
		expect(roughly(3587)).toBe(3600);
		expect(roughly(1049)).toBe(1000);
		expect(roughly(587)).toBe(590);
		expect(roughly(42.4)).toBe(42);
		expect(roughly(0)).toBe(0);
	});
});

describe('score classes', () => {
	it('has five fixed classes 5–19 … 80–100 in magma, none shared with viridis', () => {
		expect(scoreLegend().map((c) => [c.from, c.to])).toEqual([
			[5, 19],
			[20, 39],
			[40, 59],
			[60, 79],
			[80, 100]
		]);
		expect(scoreLegend().map((c) => c.colour)).toEqual([...MAGMA]);
		expect(MAGMA.some((c) => (VIRIDIS as readonly string[]).includes(c))).toBe(false);
	});

	it('puts each score in its class', () => {
		expect([5, 19, 20, 39, 40, 59, 60, 79, 80, 100].map((s) => classOf(s, SCORE_BREAKS))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
	});
});
