// The compute pool's chunked JSON answers (compute-pool.ts, compute-worker.ts): an array answer
// travels as JSON texts of JSON_CHUNK elements and is parsed one text per turn of the event loop.
import { describe, expect, it } from 'vitest';
import runTask, { JSON_CHUNK } from '../../src/lib/server/compute-worker';
import { parseChunks } from '../../src/lib/server/compute-pool';
import { scoreZones } from '../../src/lib/domain/analysis/underserved';
import { gridDisk, latLngToCell } from 'h3-js';

describe('chunked JSON answers', () => {
	const zones = gridDisk(latLngToCell(51.0543, 3.7208, 10), 25).map((cell, i) => ({
		cell,
		openSignals: i % 3,
		population: (i * 37) % 400,
		contacts: i % 11,
		daysSinceLast: i % 5 === 0 ? null : i % 120
	}));
	const services = [{ cell: latLngToCell(51.0543, 3.7208, 10), category: 1, capacity: 20 }];

	it('splits an array answer into texts of JSON_CHUNK elements and joins them back to the same answer', async () => {
		const chunks = runTask({ name: 'scoreZones', args: [zones, services, {}], json: true }) as string[];
		expect(zones.length).toBeGreaterThan(JSON_CHUNK); // 1,951 zones: two texts
		expect(chunks).toHaveLength(Math.ceil(zones.length / JSON_CHUNK));
		expect(JSON.parse(chunks[0]!)).toHaveLength(JSON_CHUNK);
		expect(await parseChunks(chunks)).toEqual(scoreZones(zones, services, {}));
	});

	it('lets other work run between two texts', async () => {
		const order: string[] = [];
		const parsing = parseChunks(['[1,2]', '[3]', '[4]']).then((x) => order.push(`parsed ${x.join(',')}`));
		setImmediate(() => order.push('other work'));
		await parsing;
		expect(order).toEqual(['other work', 'parsed 1,2,3,4']);
	});
});
