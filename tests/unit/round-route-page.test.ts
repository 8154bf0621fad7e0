import { describe, expect, it } from 'vitest';
import nl from '../../src/lib/i18n/features/round-route.nl.json';
import en from '../../src/lib/i18n/features/round-route.en.json';
import {
	moveStop,
	planningContext,
	planningText,
	planningTranslate,
	reasonsLine,
	routeKey,
	routePayload,
	saveProblemText,
	toggleStop,
	type DraftStop
} from '../../src/lib/components/round-route';
import type { Translate } from '../../src/lib/components/underserved';
import { durationText, minutesUp } from '../../src/lib/components/rounds';

// A stand-in for svelte-i18n's $_: the key with its values, so the tests see what was asked for.
const t: Translate = (id, o) =>
	o?.values
		? `${id}(${Object.entries(o.values)
				.map(([k, v]) => `${k}=${v}`)
				.join(',')})`
		: id;

const stop = (cell: string, dwellMinutes = 15): DraftStop => ({ cell, dwellMinutes, score: 40, reasons: [] });

describe('round page helpers', () => {
	it('moves a stop up or down, and leaves the list alone at its ends', () => {
		expect(moveStop(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
		expect(moveStop(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
		expect(moveStop(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
		expect(moveStop(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
		const xs = ['a', 'b'];
		moveStop(xs, 0, 1);
		expect(xs).toEqual(['a', 'b']);
	});

	it('toggles a zone: added at the end with the dwell given, or taken out', () => {
		const reasons = [{ kind: 'signals' as const, points: 30, count: 3 }];
		const one = toggleStop([stop('a')], { cell: 'b', score: 62, reasons }, 20);
		expect(one).toEqual([stop('a'), { cell: 'b', dwellMinutes: 20, score: 62, reasons }]);
		expect(toggleStop(one, { cell: 'a', score: 40, reasons: [] }, 20)).toEqual([{ cell: 'b', dwellMinutes: 20, score: 62, reasons }]);
	});

	it('sends the start and the stops as the save action reads them', () => {
		const body = JSON.parse(routePayload({ cell: '891fa4a', label: 'Inloopcentrum' }, [stop('x', 10)]));
		expect(body).toEqual({ start: { cell: '891fa4a', label: 'Inloopcentrum' }, stops: [{ cell: 'x', dwellMinutes: 10, score: 40, reasons: [] }] });
		expect(JSON.parse(routePayload(null, []))).toEqual({ start: null, stops: [] });
	});

	it('compares routes by start, zones, order and minutes, not by the reasons', () => {
		const a = [stop('x'), { ...stop('y'), reasons: [{ kind: 'noVisit' as const, points: 20, days: 40 }] }];
		expect(routeKey(null, a)).toBe(routeKey(null, [stop('x'), stop('y')]));
		expect(routeKey(null, a)).not.toBe(routeKey(null, [stop('y'), stop('x')]));
		expect(routeKey(null, a)).not.toBe(routeKey(null, [stop('x'), stop('y', 20)]));
		expect(routeKey(null, a)).not.toBe(routeKey({ cell: 'z', label: 'Z' }, a));
	});

	it('says "in 12 maanden" for the planning window and passes every other key through', () => {
		const pt = planningTranslate(t);
		expect(pt('underserved.reason.demand', { values: { n: 4 } })).toBe('roundRoute.reason.demand(n=4)');
		expect(pt('underserved.reason.noVisitRecent', { values: { n: 90 } })).toBe('underserved.reason.noVisitRecent(n=90)');
		expect(pt('underserved.reason.signals', { values: { n: 3 } })).toBe('underserved.reason.signals(n=3)');
		for (const m of [nl, en]) expect(Object.keys(m.roundRoute.reason).sort()).toEqual(['demand', 'demandBelowK']);
	});

	it("names the field of a refused save and puts the server's known refusals in words", () => {
		expect(saveProblemText({ field: 'stops', code: 'routeOverBudget', params: { minutes: 171, budget: 150 } }, t)).toBe(
			'roundRoute.error.withField(field=roundRoute.field.stops,message=roundRoute.error.overBudget(minutes=171,budget=150))'
		);
		expect(saveProblemText({ field: 'stops.2.cell', code: 'stopNotZone', params: { res: 9 } }, t)).toBe(
			'roundRoute.error.withField(field=roundRoute.field.stop(n=3),message=roundRoute.error.notZone)'
		);
		expect(saveProblemText({ field: 'stops.0.dwellMinutes', code: 'routeInvalid' }, t)).toBe(
			'roundRoute.error.withField(field=roundRoute.field.stopDwell(n=1),message=roundRoute.dwellInvalid(max=240))'
		);
		expect(saveProblemText({ field: 'start', code: 'startUnknown' }, t)).toContain(
			'field=roundRoute.field.start,message=roundRoute.error.startUnknown'
		);
		expect(saveProblemText({ field: 'route', code: 'routeInvalid' }, t)).toBe(
			'roundRoute.error.withField(field=roundRoute.field.route,message=errors.generic)'
		);
		expect(saveProblemText({ field: 'stops', code: 'stopTwice' }, t)).toContain('roundRoute.error.twice');
	});

	it("puts a zone's reasons on one line, with its score at planning when it had one", () => {
		const c = planningContext(t, 'nl-BE');
		const reasons = [
			{ kind: 'signals' as const, points: 30, count: 3 },
			{ kind: 'demand' as const, points: 10, contacts: 4 }
		];
		expect(reasonsLine(reasons, c)).toBe('underserved.reason.signals(n=3) · roundRoute.reason.demand(n=4)');
		expect(reasonsLine([], c)).toBe('');
		expect(planningText({ score: 47, reasons }, c)).toBe(
			'roundRoute.score(score=47) · underserved.reason.signals(n=3) · roundRoute.reason.demand(n=4)'
		);
		expect(planningText({ score: null, reasons }, c)).toBe('underserved.reason.signals(n=3) · roundRoute.reason.demand(n=4)');
		expect(planningText({ score: 12, reasons: [] }, c)).toBe('roundRoute.score(score=12)');
	});

	it("says a route's time in whole minutes, rounded up", () => {
		expect([minutesUp(90), minutesUp(90 + 1e-12), minutesUp(90.2), minutesUp(0), minutesUp(-3)]).toEqual([90, 90, 91, 0, 0]);
		expect(durationText(89.5, t)).toBe('rounds.hoursMinutes(h=1,m=30)');
		expect(durationText(120, t)).toBe('rounds.hours(h=2,m=0)');
		expect(durationText(44.1, t)).toBe('rounds.minutes(h=0,m=45)');
	});

	it('has the same keys in Dutch and English', () => {
		const keys = (o: object, p = ''): string[] =>
			Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${p}${k}.`) : [`${p}${k}`]));
		expect(keys(en).sort()).toEqual(keys(nl).sort());
		expect(nl.audit.action.round_route).toBe('Route van straatronde opgeslagen');
	});
});
