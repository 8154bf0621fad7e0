// Which layer is the district layer until a coordinator chooses: the coarsest, told by parent
// codes before the number of areas (a small file of blocks inside quartiers is the finer layer).
import { describe, expect, it } from 'vitest';
import { effectiveLayers, type AreaLayerInfo } from '../../src/lib/server/area-layers';

const layer = (name: string, features: number, withParent = 0, populated = 0): AreaLayerInfo => ({ layer: name, features, populated, withParent });
const none = { district: null, population: null };

describe('the district layer in effect', () => {
	it('is the layer whose areas name no parent, even with more areas than a finer one', () => {
		// four blocks (îlots) naming their quartier, five quartiers naming none
		const layers = [layer('ilots', 4, 4), layer('quartiers', 5)];
		expect(effectiveLayers(none, layers).district).toBe('quartiers');
	});

	it('without parent codes, is the layer with the fewest areas; the stored choice wins when imported', () => {
		const layers = [layer('sector', 201, 0, 201), layer('district', 25, 0, 25)];
		expect(effectiveLayers(none, layers)).toMatchObject({ district: 'district', population: 'sector', chosen: { district: false } });
		expect(effectiveLayers({ district: 'sector', population: null }, layers)).toMatchObject({ district: 'sector', chosen: { district: true } });
		expect(effectiveLayers({ district: 'gone', population: null }, layers).district).toBe('district');
		expect(effectiveLayers(none, []).district).toBeNull();
	});
});
