// Service symbols drawn on a canvas: one shape + one Okabe-Ito colour per category, so a
// category is recognisable by shape alone (colour-blind safe) and needs no font glyphs.

const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'star' | 'down' | 'pentagon' | 'plus';
const SHAPES: Shape[] = ['circle', 'square', 'triangle', 'diamond', 'star', 'down', 'pentagon', 'plus'];

export const ICON_SIZE = 22; // CSS pixels
const RATIO = 2;

export function iconStyle(index: number): { colour: string; shape: Shape } {
	return { colour: OKABE_ITO[index % OKABE_ITO.length]!, shape: SHAPES[index % SHAPES.length]! };
}

function polygon(ctx: CanvasRenderingContext2D, n: number, r: number, rotation: number) {
	for (let i = 0; i < n; i++) {
		const a = rotation + (i * 2 * Math.PI) / n;
		const x = Math.cos(a) * r;
		const y = Math.sin(a) * r;
		if (i === 0) ctx.moveTo(x, y);
		else ctx.lineTo(x, y);
	}
	ctx.closePath();
}

function tracePath(ctx: CanvasRenderingContext2D, shape: Shape, r: number) {
	ctx.beginPath();
	const up = -Math.PI / 2;
	switch (shape) {
		case 'circle':
			ctx.arc(0, 0, r * 0.85, 0, 2 * Math.PI);
			break;
		case 'square':
			ctx.rect(-r * 0.75, -r * 0.75, r * 1.5, r * 1.5);
			break;
		case 'triangle':
			ctx.translate(0, r * 0.15);
			polygon(ctx, 3, r, up);
			break;
		case 'down':
			ctx.translate(0, -r * 0.15);
			polygon(ctx, 3, r, Math.PI / 2);
			break;
		case 'diamond':
			polygon(ctx, 4, r, up);
			break;
		case 'pentagon':
			polygon(ctx, 5, r * 0.92, up);
			break;
		case 'star':
			for (let i = 0; i < 10; i++) {
				const a = up + (i * Math.PI) / 5;
				const rr = i % 2 === 0 ? r : r * 0.45;
				if (i === 0) ctx.moveTo(Math.cos(a) * rr, Math.sin(a) * rr);
				else ctx.lineTo(Math.cos(a) * rr, Math.sin(a) * rr);
			}
			ctx.closePath();
			break;
		case 'plus': {
			const w = r * 0.38;
			ctx.moveTo(-w, -r);
			ctx.lineTo(w, -r);
			ctx.lineTo(w, -w);
			ctx.lineTo(r, -w);
			ctx.lineTo(r, w);
			ctx.lineTo(w, w);
			ctx.lineTo(w, r);
			ctx.lineTo(-w, r);
			ctx.lineTo(-w, w);
			ctx.lineTo(-r, w);
			ctx.lineTo(-r, -w);
			ctx.lineTo(-w, -w);
			ctx.closePath();
			break;
		}
	}
}

/** A canvas with the category's symbol, at RATIO device pixels per CSS pixel. */
export function drawIcon(index: number, size = ICON_SIZE): HTMLCanvasElement {
	const { colour, shape } = iconStyle(index);
	const canvas = document.createElement('canvas');
	canvas.width = canvas.height = size * RATIO;
	const ctx = canvas.getContext('2d')!;
	ctx.scale(RATIO, RATIO);
	ctx.translate(size / 2, size / 2);
	ctx.lineJoin = 'round';
	const r = size / 2 - 3;
	// White halo, then a dark rim, then the fill: readable on hexes of any colour.
	ctx.save();
	tracePath(ctx, shape, r);
	ctx.restore();
	ctx.lineWidth = 4;
	ctx.strokeStyle = '#ffffff';
	ctx.stroke();
	ctx.fillStyle = colour;
	ctx.fill();
	ctx.lineWidth = 1.5;
	ctx.strokeStyle = '#1a1a1a';
	ctx.stroke();
	return canvas;
}

export function iconImageData(index: number): { width: number; height: number; data: Uint8Array } {
	const canvas = drawIcon(index);
	const img = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
	return { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer) };
}

const urlCache = new Map<number, string>();
export function iconDataUrl(index: number): string {
	let url = urlCache.get(index);
	if (!url) urlCache.set(index, (url = drawIcon(index).toDataURL('image/png')));
	return url;
}

export const RATIO_PX = RATIO;

/** Name of the hatch pattern drawn over suppressed ("< k") cells. */
export const HATCH_IMAGE = 'suppressed-hatch';
export const HATCH_COLOUR = '#4b5563';
const HATCH_SIZE = 8; // CSS pixels; the pattern repeats seamlessly at this size

/** Diagonal lines on transparent, tiling without seams (the line wraps at the corners). */
export function hatchImageData(): { width: number; height: number; data: Uint8Array } {
	const px = HATCH_SIZE * RATIO;
	const canvas = document.createElement('canvas');
	canvas.width = canvas.height = px;
	const ctx = canvas.getContext('2d')!;
	ctx.strokeStyle = HATCH_COLOUR;
	ctx.lineWidth = 1.5 * RATIO;
	ctx.lineCap = 'square';
	ctx.beginPath();
	for (const offset of [-px, 0, px]) {
		ctx.moveTo(offset, px);
		ctx.lineTo(offset + px, 0);
	}
	ctx.stroke();
	const img = ctx.getImageData(0, 0, px, px);
	return { width: px, height: px, data: new Uint8Array(img.data.buffer) };
}
