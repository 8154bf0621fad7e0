// Builds hex mesh parts in a worker (hex-mesh-worker.ts) for the atlas. Where no worker can run,
// or it fails, build() answers null and the caller builds the cells itself, as before.
import type { MeshPart } from './hex-mesh';
import type { MeshReply, MeshRequest } from './hex-mesh-worker';

export class MeshBuilder {
	private worker: Worker | null = null;
	private next = 0;
	private readonly waiting = new Map<number, (part: MeshPart | null) => void>();

	constructor() {
		try {
			this.worker = new Worker(new URL('./hex-mesh-worker.ts', import.meta.url), { type: 'module', name: 'hex-mesh' });
		} catch (e) {
			console.warn('hex mesh worker', e);
			return;
		}
		this.worker.onmessage = (e: MessageEvent<MeshReply>) => {
			const done = this.waiting.get(e.data.id);
			this.waiting.delete(e.data.id);
			if ('error' in e.data) console.warn('hex mesh worker', e.data.error);
			done?.('part' in e.data ? e.data.part : null);
		};
		this.worker.onerror = (e) => {
			console.warn('hex mesh worker', e.message);
			this.stop();
		};
	}

	/** `cells` as a part around `origin` (null: their own), or null: build them on this thread. */
	build(res: number, cells: string[], origin: [number, number] | null): Promise<MeshPart | null> {
		const worker = this.worker;
		if (!worker) return Promise.resolve(null);
		const id = ++this.next;
		return new Promise((ok) => {
			this.waiting.set(id, ok);
			worker.postMessage({ id, res, cells, origin } satisfies MeshRequest);
		});
	}

	private stop() {
		this.worker?.terminate();
		this.worker = null;
		for (const done of this.waiting.values()) done(null);
		this.waiting.clear();
	}
}
