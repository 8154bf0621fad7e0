// Places with the same name told apart in a ranked list: the compass point within the area, then
// a running number (domain/compass.ts).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compassPoint, distinctPlaces, type Compass } from '../../src/lib/domain/compass';

const GENT: [number, number] = [3.7254, 51.0543];

describe('compassPoint', () => {
	it('names the eight points and the centre, hand-checked around Ghent', () => {
		expect(compassPoint(GENT, [3.7254, 51.07])).toBe('n'); // 1.7 km north
		expect(compassPoint(GENT, [3.7254, 51.04])).toBe('s');
		expect(compassPoint(GENT, [3.75, 51.0543])).toBe('e'); // 1.7 km east
		expect(compassPoint(GENT, [3.7, 51.0543])).toBe('w');
		expect(compassPoint(GENT, [3.745, 51.0668])).toBe('ne'); // ~1.4 km east, ~1.4 km north
		expect(compassPoint(GENT, [3.705, 51.0418])).toBe('sw');
		expect(compassPoint(GENT, [3.7264, 51.0548])).toBe('centre'); // ~90 m away
	});
});

describe('distinctPlaces', () => {
	it('adds the compass point only to repeated names, and a number only where that repeats too', () => {
		const labels = distinctPlaces([
			{ name: 'Binnenstad', compass: 'ne' },
			{ name: 'Muide', compass: 's' },
			{ name: 'Binnenstad', compass: 'sw' },
			{ name: 'Binnenstad', compass: 'ne' },
			{ name: null, compass: null }
		]);
		expect(labels).toEqual([
			{ name: 'Binnenstad', compass: 'ne', n: 1 },
			{ name: 'Muide', compass: null, n: null },
			{ name: 'Binnenstad', compass: 'sw', n: null },
			{ name: 'Binnenstad', compass: 'ne', n: 2 },
			{ name: null, compass: null, n: null }
		]);
	});

	it('always gives every place in the list its own label (property)', () => {
		const compass = fc.constantFrom<Compass | null>('centre', 'n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw', null);
		const place = fc.record({ name: fc.constantFrom('Binnenstad', 'Muide', 'Ledeberg'), compass });
		fc.assert(
			fc.property(fc.array(place, { maxLength: 12 }), (places) => {
				const labels = distinctPlaces(places).map((l) => JSON.stringify(l));
				expect(new Set(labels).size).toBe(labels.length);
			})
		);
	});
});
