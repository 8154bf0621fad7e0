import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { parse } from 'csv-parse/sync';
import { routeCsv, routeGpx, type ExportRound } from '../../src/lib/domain/round-export';
import { cellCentre } from '../../src/lib/domain/cells';

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
const stops = zones.map((cell, i) => ({ cell, dwellMinutes: 15, walkMinutes: 4.6 + i, score: 40 - i }));

/** Elements named `tag` in well-formed XML (the unit tests run in Node, without a DOM). */
const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;

describe('round export', () => {
	it('writes GPX 1.1 with the start, each zone as waypoint and a route there and back', () => {
		const gpx = routeGpx(round, stops);
		expect(gpx.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
		expect(count(gpx, 'wpt')).toBe(1 + stops.length);
		expect(count(gpx, 'rtept')).toBe(1 + stops.length + 1);
		// names are escaped, positions are the zone centres to 6 decimals
		expect(gpx).toContain('Stationsbuurt &lt;avond&gt; &amp; &quot;nacht&quot;');
		const c = cellCentre(zones[0]!);
		expect(gpx).toContain(`<wpt lat="${c.lat.toFixed(6)}" lon="${c.lng.toFixed(6)}"><name>1. Zone ${zones[0]} (score 40)</name>`);
		expect(gpx).toContain('<desc>5 min stappen, 15 min in de zone</desc>');
		// no start: the route begins in the first zone; no stops: no return point
		expect(count(routeGpx({ ...round, startCell: null }, stops), 'rtept')).toBe(1 + stops.length + 1);
		expect(count(routeGpx(round, []), 'rtept')).toBe(1);
	});

	it('speaks English when asked: names in the GPX, header and decimal points in the CSV', () => {
		const gpx = routeGpx(round, stops, 'en');
		expect(gpx).toContain('<name>Start: Inloopcentrum De Tram</name>');
		expect(gpx).toContain('<desc>5 min walking, 15 min in the zone</desc>');
		expect(gpx).toContain('<name>Back</name>');
		expect(gpx).not.toMatch(/Vertrek|stappen|Terug/);
		const rows = parse(routeCsv(round, stops, 'en').slice(1), { delimiter: ';', columns: true }) as Record<string, string>[];
		expect(Object.keys(rows[0]!)).toEqual(['order', 'zone', 'latitude', 'longitude', 'walk_min', 'in_zone_min', 'score']);
		expect(Number(rows[0]!.latitude)).toBeCloseTo(cellCentre(zones[0]!).lat, 6);
	});

	it('writes a ; CSV with a BOM and comma decimals that reads back', () => {
		const csv = routeCsv(round, stops);
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		const rows = parse(csv.slice(1), { delimiter: ';', columns: true }) as Record<string, string>[];
		expect(rows).toHaveLength(3);
		expect(rows[1]).toMatchObject({ volgorde: '2', zone: zones[1], stappen_min: '6', in_zone_min: '15', score: '39' });
		expect(Number(rows[0]!.breedtegraad!.replace(',', '.'))).toBeCloseTo(cellCentre(zones[0]!).lat, 6);
	});
});
