import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { parse } from 'csv-parse/sync';
import { routeCsv, routeGpx, type ExportRound } from '../../src/lib/domain/round-export';
import { cellCentre } from '../../src/lib/domain/cells';
import { routeOf } from '../../src/lib/domain/round-route';
import { paceOf, DEFAULT_ROUND_SETTINGS, WALKING_PACE } from '../../src/lib/domain/travel';

const start = latLngToCell(51.0357, 3.7101, 12);
const zones = gridDisk(latLngToCell(51.0357, 3.7101, 9), 1).slice(1, 4);
const round: ExportRound = {
	roundId: 7,
	plannedOn: '2026-12-01',
	title: 'Stationsbuurt <avond> & "nacht"',
	budgetMinutes: 120,
	startCell: start,
	startLabel: 'Inloopcentrum De Tram',
	workers: [{ name: 'Noor Peeters' }, { name: 'Sam De Smet' }]
};
const names = ['Stationsbuurt-Zuid (noord)', 'Stationsbuurt-Zuid (zuid)', 'Sint-Pietersaalst'];
const stops = zones.map((cell, i) => ({ cell, name: names[i]!, dwellMinutes: 15, walkMinutes: 4.6 + i, score: 40 - i }));

/** Elements named `tag` in well-formed XML (the unit tests run in Node, without a DOM). */
const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;
/** The text of every `tag` inside each `parent` element, in order. */
const texts = (xml: string, parent: string, tag: string) =>
	[...xml.matchAll(new RegExp(`<${parent}[ >][\\s\\S]*?</${parent}>`, 'g'))].map(
		(m) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(m[0])?.[1] ?? null
	);
/** The CSV's lines as cells (a ; CSV with a BOM). */
const csvRows = (csv: string) => parse(csv.slice(1), { delimiter: ';', relax_column_count: true, skip_empty_lines: false }) as string[][];

describe('round export', () => {
	it('writes GPX 1.1 with the start, each zone as waypoint and a route there and back', () => {
		const gpx = routeGpx(round, stops);
		expect(gpx.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
		expect(count(gpx, 'wpt')).toBe(1 + stops.length);
		expect(count(gpx, 'rtept')).toBe(1 + stops.length + 1);
		// names are escaped, positions are the zone centres to 6 decimals
		expect(gpx).toContain('Stationsbuurt &lt;avond&gt; &amp; &quot;nacht&quot;');
		const c = cellCentre(zones[0]!);
		expect(gpx).toContain(`<wpt lat="${c.lat.toFixed(6)}" lon="${c.lng.toFixed(6)}"><name>1. Stationsbuurt-Zuid (noord)</name>`);
		expect(gpx).toContain('<desc>5 min stappen, 15 min in de zone · score 40</desc>');
		// no start: the route begins in the first zone; no stops: no return point
		expect(count(routeGpx({ ...round, startCell: null, startLabel: null }, stops), 'rtept')).toBe(1 + stops.length + 1);
		expect(count(routeGpx(round, []), 'rtept')).toBe(1);
	});

	it('names the stops as the page does, with the start and the way back, in the route', () => {
		const gpx = routeGpx(round, stops);
		expect(texts(gpx, 'wpt', 'name')).toEqual(['Vertrek: Inloopcentrum De Tram', ...names.map((n, i) => `${i + 1}. ${n}`)]);
		expect(texts(gpx, 'rtept', 'name')).toEqual([
			'Vertrek: Inloopcentrum De Tram',
			...names.map((n, i) => `${i + 1}. ${n}`),
			'Terug: Inloopcentrum De Tram'
		]);
		expect(gpx).not.toMatch(/Zone [0-9a-f]{15}/);
		// the route starts and ends at the start's centre
		const s = cellCentre(start);
		const rtepts = [...gpx.matchAll(/<rtept lat="([-\d.]+)" lon="([-\d.]+)">/g)].map((m) => [m[1], m[2]]);
		expect(rtepts[0]).toEqual([s.lat.toFixed(6), s.lng.toFixed(6)]);
		expect(rtepts.at(-1)).toEqual(rtepts[0]);
		// without a start of its own the round starts in its first zone and comes back there
		const first = routeGpx({ ...round, startCell: null, startLabel: null }, stops);
		expect(texts(first, 'rtept', 'name')).toEqual(['Vertrek in de eerste zone', ...names.map((n, i) => `${i + 1}. ${n}`), 'Terug']);
		expect(count(first, 'wpt')).toBe(stops.length);
	});

	it('holds the round’s title, date and duo in the GPX metadata, in GPX 1.1’s order', () => {
		const gpx = routeGpx(round, stops);
		const meta = /<metadata>([\s\S]*)<\/metadata>/.exec(gpx)![1]!;
		expect(meta).toBe(
			'<name>Stationsbuurt &lt;avond&gt; &amp; &quot;nacht&quot;</name>' +
				'<desc>2026-12-01 · Noor Peeters en Sam De Smet</desc>' +
				'<author><name>Noor Peeters en Sam De Smet</name></author>' +
				'<time>2026-12-01T00:00:00Z</time>'
		);
		expect(routeGpx({ ...round, workers: [...round.workers, { name: 'Lies' }] }, stops, 'en')).toContain(
			'<author><name>Noor Peeters, Sam De Smet and Lies</name></author>'
		);
		// the route's own name carries the date as well
		expect(texts(gpx, 'rte', 'name')).toEqual(['2026-12-01 · Stationsbuurt &lt;avond&gt; &amp; &quot;nacht&quot;']);
	});

	it('speaks English when asked: names in the GPX, head and header and decimal points in the CSV', () => {
		const gpx = routeGpx(round, stops, 'en');
		expect(gpx).toContain('<name>Start: Inloopcentrum De Tram</name>');
		expect(gpx).toContain('<desc>5 min walking, 15 min in the zone · score 40</desc>');
		expect(gpx).toContain('<name>Back: Inloopcentrum De Tram</name>');
		expect(gpx).not.toMatch(/Vertrek|stappen|Terug/);
		const rows = csvRows(routeCsv(round, stops, 'en'));
		expect(rows.slice(0, 4)).toEqual([
			['title', round.title],
			['date', '2026-12-01'],
			['duo', 'Noor Peeters and Sam De Smet'],
			['budget_min', '120']
		]);
		expect(rows[5]).toEqual(['leg', 'from', 'to', 'walk_min', 'in_zone_min', 'zone', 'latitude', 'longitude', 'score']);
		expect(Number(rows[6]![6])).toBeCloseTo(cellCentre(zones[0]!).lat, 6);
	});

	it('writes a ; CSV with a BOM, a head and one row per leg, start and way back included', () => {
		const csv = routeCsv(round, stops);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const rows = csvRows(csv);
		expect(rows.slice(0, 5)).toEqual([
			['titel', round.title],
			['datum', '2026-12-01'],
			['duo', 'Noor Peeters en Sam De Smet'],
			['tijdsbudget_min', '120'],
			['']
		]);
		expect(rows[5]).toEqual(['stap', 'van', 'naar', 'stappen_min', 'in_zone_min', 'zone', 'breedtegraad', 'lengtegraad', 'score']);
		const legs = rows.slice(6);
		expect(legs).toHaveLength(stops.length + 1);
		expect(legs.map((r) => [r[0], r[1], r[2]])).toEqual([
			['1', 'Vertrek: Inloopcentrum De Tram', '1. Stationsbuurt-Zuid (noord)'],
			['2', '1. Stationsbuurt-Zuid (noord)', '2. Stationsbuurt-Zuid (zuid)'],
			['3', '2. Stationsbuurt-Zuid (zuid)', '3. Sint-Pietersaalst'],
			['4', '3. Sint-Pietersaalst', 'Terug: Inloopcentrum De Tram']
		]);
		expect(legs[1]).toMatchObject({ 3: '6', 4: '15', 5: zones[1], 8: '39' });
		expect(Number(legs[0]![6]!.replace(',', '.'))).toBeCloseTo(cellCentre(zones[0]!).lat, 6);
		// the way back: its walk from the last zone, no minutes in a zone, at the start
		const back = Math.round(routeOf(start, stops).returnMinutes);
		expect(legs[3]!.slice(3, 6)).toEqual([String(back), '0', '']);
		expect(Number(legs[3]![6]!.replace(',', '.'))).toBeCloseTo(cellCentre(start).lat, 6);
		// no stops: the head and the header only
		expect(csvRows(routeCsv(round, []))).toHaveLength(6);
	});

	it('says "fietsen"/"cycling" for a cycled round, and times its way back at the cycling pace', () => {
		const cycled: ExportRound = { ...round, travelMode: 'cycling' };
		const pace = paceOf('cycling', DEFAULT_ROUND_SETTINGS);
		const gpx = routeGpx(cycled, stops);
		expect(gpx).toContain('<desc>5 min fietsen, 15 min in de zone · score 40</desc>');
		expect(gpx).not.toMatch(/stappen/);
		expect(routeGpx(cycled, stops, 'en')).toContain('<desc>5 min cycling, 15 min in the zone · score 40</desc>');
		const rows = csvRows(routeCsv(cycled, stops, 'nl', pace));
		expect(rows[5]).toEqual(['stap', 'van', 'naar', 'fietsen_min', 'in_zone_min', 'zone', 'breedtegraad', 'lengtegraad', 'score']);
		expect(csvRows(routeCsv(cycled, stops, 'en', pace))[5]![3]).toBe('cycle_min');
		const back = routeOf(start, stops, pace).returnMinutes;
		expect(rows.at(-1)![3]).toBe(String(Math.round(back)));
		// by bike the way back is shorter than on foot
		expect(back).toBeLessThan(routeOf(start, stops, WALKING_PACE).returnMinutes);
	});

	it('keeps a name that looks like a formula as text in the CSV', () => {
		const rows = csvRows(routeCsv({ ...round, title: '=HYPERLINK("x")' }, [{ ...stops[0]!, name: '@SUM(A1)' }]));
		expect(rows[0]).toEqual(['titel', `'=HYPERLINK("x")`]);
		expect(rows[6]![2]).toBe(`1. @SUM(A1)`);
	});
});
