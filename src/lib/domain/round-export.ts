// A round's route as files to take along. GPX 1.1 (waypoints plus one route, which phone map apps
// such as OsmAnd or Organic Maps open) and ';'-separated CSV with a BOM (Excel in a Belgian locale
// opens it straight). Positions are zone centres: the route says where to go, nothing about whom.
import { cellCentre } from './cells';
import { csvDocument, csvLine } from './csv';

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

/** The files' words in the language the person downloading reads (the page's). */
export type ExportLang = 'nl' | 'en';
const WORDS = {
	nl: {
		start: 'Vertrek',
		back: 'Terug',
		zone: 'Zone',
		score: 'score',
		desc: (walk: number, dwell: number) => `${walk} min stappen, ${dwell} min in de zone`,
		header: ['volgorde', 'zone', 'breedtegraad', 'lengtegraad', 'stappen_min', 'in_zone_min', 'score']
	},
	en: {
		start: 'Start',
		back: 'Back',
		zone: 'Zone',
		score: 'score',
		desc: (walk: number, dwell: number) => `${walk} min walking, ${dwell} min in the zone`,
		header: ['order', 'zone', 'latitude', 'longitude', 'walk_min', 'in_zone_min', 'score']
	}
} as const;

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const coord = (x: number) => x.toFixed(6);
const stopName = (w: (typeof WORDS)[ExportLang], i: number, s: ExportStop) =>
	`${i + 1}. ${w.zone} ${s.cell}${s.score === null ? '' : ` (${w.score} ${s.score})`}`;

function point(tag: 'wpt' | 'rtept', cell: string, name: string, desc?: string): string {
	const { lat, lng } = cellCentre(cell);
	return `<${tag} lat="${coord(lat)}" lon="${coord(lng)}"><name>${xml(name)}</name>${desc ? `<desc>${xml(desc)}</desc>` : ''}</${tag}>`;
}

export function routeGpx(round: ExportRound, stops: readonly ExportStop[], lang: ExportLang = 'nl'): string {
	const w = WORDS[lang];
	const title = `${round.plannedOn} · ${round.title}`;
	const start = round.startCell ?? stops[0]?.cell ?? null;
	const startName = round.startLabel ? `${w.start}: ${round.startLabel}` : w.start;
	const desc = (s: ExportStop) => w.desc(Math.round(s.walkMinutes), s.dwellMinutes);
	const lines = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<gpx version="1.1" creator="Outreach Atlas" xmlns="http://www.topografix.com/GPX/1/1">',
		`<metadata><name>${xml(title)}</name><desc>${xml(round.workers.map((w) => w.name).join(', '))}</desc></metadata>`,
		...(round.startCell ? [point('wpt', round.startCell, startName)] : []),
		...stops.map((s, i) => point('wpt', s.cell, stopName(w, i, s), desc(s))),
		`<rte><name>${xml(title)}</name>`,
		...(start ? [point('rtept', start, startName)] : []),
		...stops.map((s, i) => point('rtept', s.cell, stopName(w, i, s))),
		...(start && stops.length ? [point('rtept', start, w.back)] : []),
		'</rte>',
		'</gpx>',
		''
	];
	return lines.join('\n');
}

const decimal = (x: number, digits: number) => x.toFixed(digits).replace('.', ',');

export function routeCsv(round: ExportRound, stops: readonly ExportStop[], lang: ExportLang = 'nl'): string {
	const header = WORDS[lang].header;
	const rows = stops.map((s, i) => {
		const { lat, lng } = cellCentre(s.cell);
		const deg = (x: number) => (lang === 'nl' ? decimal(x, 6) : x.toFixed(6));
		return [i + 1, s.cell, deg(lat), deg(lng), Math.round(s.walkMinutes), s.dwellMinutes, s.score];
	});
	return csvDocument([header, ...rows].map((r) => csvLine(r, ';')));
}
