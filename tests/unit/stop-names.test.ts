// A round's stops named as people call them (domain/stop-names): the district, told apart by the
// nearest service or a compass side when two stops share it.
import { describe, expect, it } from 'vitest';
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { stopNames } from '../../src/lib/domain/stop-names';

const station = latLngToCell(51.0357, 3.7101, 9);
const north = latLngToCell(51.045, 3.7101, 9);
const south = latLngToCell(51.026, 3.7101, 9);
const east = latLngToCell(51.0357, 3.725, 9);
const far = latLngToCell(51.16, 3.6, 9);
/** Every cell north of the station's latitude is in "Noordwijk", the others in "Zuidwijk". */
const district = (cell: string) => (cellToLatLng(cell)[0] > 51.03 ? 'Noordwijk' : 'Zuidwijk');

describe('stop names', () => {
	it('names each stop by its district, and by "Zone n" where no district holds it', () => {
		expect(stopNames([north, south], district)).toEqual(['Noordwijk', 'Zuidwijk']);
		expect(stopNames([north, far, south], (c) => (c === far ? null : district(c)))).toEqual(['Noordwijk', 'Zone 2', 'Zuidwijk']);
		expect(stopNames([], district)).toEqual([]);
	});

	it('tells two stops of one district apart by their nearest service', () => {
		const near = gridDisk(station, 1);
		const landmarks = [
			{ name: 'De Tram', cell: north },
			{ name: 'Station', cell: station },
			{ name: 'Far away', cell: far }
		];
		expect(stopNames([north, station, south], district, landmarks)).toEqual(['Noordwijk (bij De Tram)', 'Noordwijk (bij Station)', 'Zuidwijk']);
		expect(stopNames([north, station], district, landmarks, 'en')).toEqual(['Noordwijk (near De Tram)', 'Noordwijk (near Station)']);
		// the same service nearest to both: by compass side instead
		expect(
			stopNames([near[1]!, near[4]!], () => 'Wijk', [{ name: 'Station', cell: station }]).every((n) => /^Wijk \((noord|zuid|oost|west)\)$/.test(n))
		).toBe(true);
	});

	it('falls back on the compass side of the shared district, in the page’s language', () => {
		const same = () => 'Stationsbuurt';
		expect(stopNames([north, station], same)).toEqual(['Stationsbuurt (noord)', 'Stationsbuurt (zuid)']);
		expect(stopNames([station, north], same, [], 'en')).toEqual(['Stationsbuurt (south)', 'Stationsbuurt (north)']);
		expect(stopNames([station, east], same)).toEqual(['Stationsbuurt (west)', 'Stationsbuurt (oost)']);
		// a landmark too far to help does not count
		expect(stopNames([north, station], same, [{ name: 'Far away', cell: far }])).toEqual(['Stationsbuurt (noord)', 'Stationsbuurt (zuid)']);
	});

	it('numbers stops that still share a name, so every name is different', () => {
		const names = stopNames([north, station, south, latLngToCell(51.05, 3.7101, 9)], () => 'Wijk');
		expect(new Set(names).size).toBe(4);
		expect(names).toEqual(['Wijk (noord) 1', 'Wijk (zuid) 1', 'Wijk (zuid) 2', 'Wijk (noord) 2']);
		// deterministic
		expect(stopNames([north, station, south], () => 'Wijk')).toEqual(stopNames([north, station, south], () => 'Wijk'));
	});
});
