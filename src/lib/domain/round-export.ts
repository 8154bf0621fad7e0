// A round's route as files to take along. GPX 1.1 (waypoints plus one route, which phone map apps
// such as OsmAnd or Organic Maps open) and ';'-separated CSV with a BOM (Excel in a Belgian locale
// opens it straight). Positions are zone centres: the route says where to go, nothing about whom.
import { cellCentre } from './cells';

export interface ExportRound {
	roundId: number;
	plannedOn: string;
	title: string;
	budgetMinutes: number;
	startCell: string | null;
	startLabel: string | null;
	workers: { name: string }[];
}

export interface ExportStop {
	cell: string;
	dwellMinutes: number;
	walkMinutes: number;
	score: number | null;
}

const xml = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const coord = (x: number) => x.toFixed(6);
const stopName = (i: number, s: ExportStop) => `${i + 1}. Zone ${s.cell}${s.score === null ? '' : ` (score ${s.score})`}`;

function point(tag: 'wpt' | 'rtept', cell: string, name: string, desc?: string): string {
	const { lat, lng } = cellCentre(cell);
	return `<${tag} lat="${coord(lat)}" lon="${coord(lng)}"><name>${xml(name)}</name>${desc ? `<desc>${xml(desc)}</desc>` : ''}</${tag}>`;
}

export function routeGpx(round: ExportRound, stops: readonly ExportStop[]): string {
	const title = `${round.plannedOn} · ${round.title}`;
	const start = round.startCell ?? stops[0]?.cell ?? null;
	const startName = round.startLabel ? `Vertrek: ${round.startLabel}` : 'Vertrek';
	const desc = (s: ExportStop) => `${Math.round(s.walkMinutes)} min stappen, ${s.dwellMinutes} min in de zone`;
	const lines = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<gpx version="1.1" creator="Outreach Atlas" xmlns="http://www.topografix.com/GPX/1/1">',
		`<metadata><name>${xml(title)}</name><desc>${xml(round.workers.map((w) => w.name).join(', '))}</desc></metadata>`,
		...(round.startCell ? [point('wpt', round.startCell, startName)] : []),
		...stops.map((s, i) => point('wpt', s.cell, stopName(i, s), desc(s))),
		`<rte><name>${xml(title)}</name>`,
		...(start ? [point('rtept', start, startName)] : []),
		...stops.map((s, i) => point('rtept', s.cell, stopName(i, s))),
		...(start && stops.length ? [point('rtept', start, 'Terug')] : []),
		'</rte>',
		'</gpx>',
		''
	];
	return lines.join('\n');
}

const csvField = (v: string | number | null) => {
	const s = v === null ? '' : String(v);
	return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const decimal = (x: number, digits: number) => x.toFixed(digits).replace('.', ',');

export function routeCsv(round: ExportRound, stops: readonly ExportStop[]): string {
	const header = ['volgorde', 'zone', 'breedtegraad', 'lengtegraad', 'stappen_min', 'in_zone_min', 'score'];
	const rows = stops.map((s, i) => {
		const { lat, lng } = cellCentre(s.cell);
		return [i + 1, s.cell, decimal(lat, 6), decimal(lng, 6), Math.round(s.walkMinutes), s.dwellMinutes, s.score];
	});
	return '\uFEFF' + [header, ...rows].map((r) => r.map(csvField).join(';')).join('\r\n') + '\r\n';
}
