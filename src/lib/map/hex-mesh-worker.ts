// The hex mesh's cells built off the page's main thread (see hex-mesh.ts, mesh-builder.ts). WHY
// (issue 11): the first 10,000 cells of a page load cost the main thread 100–200 ms, while MapLibre
// waits there to draw the districts and services; here they are built beside it.
import { buildMeshPart, type MeshPart } from './hex-mesh';

export interface MeshRequest {
	id: number;
	res: number;
	cells: string[];
	origin: [number, number] | null;
}

export type MeshReply = { id: number; part: MeshPart | null } | { id: number; error: string };

const scope = self as unknown as {
	onmessage: ((e: MessageEvent<MeshRequest>) => void) | null;
	postMessage(message: MeshReply, transfer: Transferable[]): void;
};

scope.onmessage = (e) => {
	const { id, res, cells, origin } = e.data;
	try {
		const part = buildMeshPart(res, cells, origin);
		const transfer = part ? [part.positions.buffer, part.indices.buffer, part.plainIndices.buffer, part.firstVertex.buffer] : [];
		scope.postMessage({ id, part }, transfer);
	} catch (err) {
		scope.postMessage({ id, error: (err as Error).message }, []);
	}
};
