import { describe, expect, it } from 'vitest';
import { parseHexQuery } from '../../src/lib/domain/hex-query';

const TODAY = '2026-11-29';
const parse = (qs: string) => parseHexQuery(new URLSearchParams(qs), TODAY);

function errorParam(qs: string): string | undefined {
	const r = parse(qs);
	return r.ok ? undefined : r.error.param;
}

describe('parseHexQuery', () => {
	it('defaults to the last 365 days and no filters', () => {
		const r = parse('res=9');
		expect(r).toEqual({
			ok: true,
			value: { res: 9, from: '2025-11-30', to: TODAY, types: null, groups: null, teams: null, bbox: null }
		});
	});

	it('parses filters, deduplicated and sorted, and a bbox', () => {
		const r = parse('res=8&from=2026-01-01&to=2026-03-31&types=3,1,3&groups=2&teams=&bbox=3.6,51.0,3.8,51.1');
		expect(r.ok && r.value).toMatchObject({ types: [1, 3], groups: [2], teams: [], bbox: [3.6, 51.0, 3.8, 51.1] });
	});

	it.each([
		['', 'res'],
		['res=6', 'res'],
		['res=11', 'res'],
		['res=9.5', 'res'],
		['res=nine', 'res'],
		['res=9&from=2026-02-30', 'from'],
		['res=9&to=29/11/2026', 'to'],
		['res=9&from=2026-05-01&to=2026-04-01', 'from'],
		['res=9&from=2010-01-01', 'from'],
		['res=9&types=1,x', 'types'],
		['res=9&groups=0', 'groups'],
		['res=9&teams=-1', 'teams'],
		['res=9&bbox=1,2,3', 'bbox'],
		['res=9&bbox=3.8,51,3.6,51.1', 'bbox'],
		['res=9&bbox=3,95,4,96', 'bbox'],
		['res=9&colour=red', 'colour']
	])('rejects %s naming %s', (qs, param) => {
		expect(errorParam(qs)).toBe(param);
	});
});
