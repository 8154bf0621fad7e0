// The box the map asks data for: the visible box padded by a tenth on each side, never more than
// 0.02° beyond the organisation's area.
import { describe, expect, it } from 'vitest';
import { requestBbox } from '../../src/lib/map/geometry';
import type { Bbox } from '../../src/lib/domain/hex-query';

const ORG: Bbox = [4.7, 52.2, 5.1, 52.5];

function expectBbox(actual: Bbox, expected: Bbox) {
	actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 10));
}

describe('requestBbox', () => {
	it('pads a view inside the area by 10 % of its width and height', () => {
		// 0.1° × 0.2°: 0.01° and 0.02° on each side.
		expectBbox(requestBbox([4.8, 52.3, 4.9, 52.5], [4.5, 52, 5.5, 53]), [4.79, 52.28, 4.91, 52.52]);
	});

	it("stops 0.02° beyond the organisation's area", () => {
		expectBbox(requestBbox([4, 52, 6, 53], ORG), [4.68, 52.18, 5.12, 52.52]);
		// Only the side that reaches past it is cut.
		expectBbox(requestBbox([5.0, 52.3, 5.2, 52.4], ORG), [4.98, 52.29, 5.12, 52.41]);
	});
});
