// A round's route as files to take along. GPX 1.1 (waypoints plus one route, which phone map apps
// such as OsmAnd or Organic Maps open) and ';'-separated CSV with a BOM (Excel in a Belgian locale
// opens it straight). Positions are zone centres: the route says where to go, nothing about whom.
// Stops carry the names the round page gives them (stop-names.ts); both files hold the start and
// the way back, and the round's title, date and duo. A cycled round says "fietsen" where a walked
// one says "stappen", and its way back is timed at the cycling pace.
import { cellCentre } from './cells';
import { csvDocument, csvLine } from './csv';
import { routeOf } from './round-route';
import { WALKING_PACE, type Pace, type TravelMode } from './travel';

export interface ExportRound {
	roundId: number;
	plannedOn: string;
	title: string;
	budgetMinutes: number;
	startCell: string | null;
	startLabel: string | null;
	workers: { name: string }[];
	/** On foot (the default) or by bike. */
	travelMode?: TravelMode;
}

export interface ExportStop {
	cell: string;
	/** As the page names it (stopNames): "Stationsbuurt-Zuid (bij De Tram)". */
	name: string;
	dwellMinutes: number;
	walkMinutes: number;
	score: number | null;
}

/** The files' words in the language the person downloading reads (the page's). */
export type ExportLang = 'nl' | 'en';
/** How the duo gets from stop to stop, as the files say it. */
const TRAVEL = {
	nl: { walking: 'stappen', cycling: 'fietsen' },
	en: { walking: 'walking', cycling: 'cycling' }
} as const;
const WORDS = {
	nl: {
		start: 'Vertrek',
		startFirst: 'Vertrek in de eerste zone',
		back: 'Terug',
		score: 'score',
		and: 'en',
		desc: (travel: number, dwell: number, mode: TravelMode) => `${travel} min ${TRAVEL.nl[mode]}, ${dwell} min in de zone`,
		head: { title: 'titel', date: 'datum', duo: 'duo', budget: 'tijdsbudget_min' },
		header: (mode: TravelMode) => ['stap', 'van', 'naar', `${TRAVEL.nl[mode]}_min`, 'in_zone_min', 'zone', 'breedtegraad', 'lengtegraad', 'score']
	},
	en: {
		start: 'Start',
		startFirst: 'Start in the first zone',
		back: 'Back',
		score: 'score',
		and: 'and',
		desc: (travel: number, dwell: number, mode: TravelMode) => `${travel} min ${TRAVEL.en[mode]}, ${dwell} min in the zone`,
		head: { title: 'title', date: 'date', duo: 'duo', budget: 'budget_min' },
		header: (mode: TravelMode) => [
			'leg',
			'from',
			'to',
			mode === 'cycling' ? 'cycle_min' : 'walk_min',
			'in_zone_min',
			'zone',
			'latitude',
			'longitude',
			'score'
		]
	}
} as const;
type Words = (typeof WORDS)[ExportLang];

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const coord = (x: number) => x.toFixed(6);
const stopName = (i: number, s: ExportStop) => `${i + 1}. ${s.name}`;
/** "Noor Peeters en Sam De Smet", "A, B en C". */
const duoOf = (w: Words, round: ExportRound) => {
	const names = round.workers.map((x) => x.name);
	return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} ${w.and} ${names.at(-1)}`;
};
const startName = (w: Words, round: ExportRound) => (round.startLabel ? `${w.start}: ${round.startLabel}` : round.startCell ? w.start : w.startFirst);
const backName = (w: Words, round: ExportRound) => (round.startLabel ? `${w.back}: ${round.startLabel}` : w.back);

function point(tag: 'wpt' | 'rtept', cell: string, name: string, desc?: string): string {
	const { lat, lng } = cellCentre(cell);
	return `<${tag} lat="${coord(lat)}" lon="${coord(lng)}"><name>${xml(name)}</name>${desc ? `<desc>${xml(desc)}</desc>` : ''}</${tag}>`;
}

/** One leg of the round: from the start or a stop to the next stop or back to the start. */
interface Leg {
	from: string;
	to: string;
	/** The stop reached, or null for the way back. */
	stop: ExportStop | null;
	cell: string;
	walkMinutes: number;
}

/** The legs in order: start → 1, 1 → 2, …, n → back at the start (none without stops). */
function legs(w: Words, round: ExportRound, stops: readonly ExportStop[], pace: Pace): Leg[] {
	if (!stops.length) return [];
	const start = round.startCell ?? stops[0]!.cell;
	const route = routeOf(start, stops, pace);
	const out: Leg[] = stops.map((s, i) => ({
		from: i === 0 ? startName(w, round) : stopName(i - 1, stops[i - 1]!),
		to: stopName(i, s),
		stop: s,
		cell: s.cell,
		walkMinutes: s.walkMinutes
	}));
	out.push({ from: stopName(stops.length - 1, stops.at(-1)!), to: backName(w, round), stop: null, cell: start, walkMinutes: route.returnMinutes });
	return out;
}

export function routeGpx(round: ExportRound, stops: readonly ExportStop[], lang: ExportLang = 'nl'): string {
	const w = WORDS[lang];
	const title = `${round.plannedOn} · ${round.title}`;
	const start = round.startCell ?? stops[0]?.cell ?? null;
	const duo = duoOf(w, round);
	const desc = (s: ExportStop) =>
		[w.desc(Math.round(s.walkMinutes), s.dwellMinutes, round.travelMode ?? 'walking'), ...(s.score === null ? [] : [`${w.score} ${s.score}`])].join(
			' · '
		);
	const lines = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<gpx version="1.1" creator="Outreach Atlas" xmlns="http://www.topografix.com/GPX/1/1">',
		// GPX 1.1 orders metadata as name, desc, author, …, time; the date is the round's day
		`<metadata><name>${xml(round.title)}</name><desc>${xml(`${round.plannedOn} · ${duo}`)}</desc><author><name>${xml(duo)}</name></author><time>${round.plannedOn}T00:00:00Z</time></metadata>`,
		...(round.startCell ? [point('wpt', round.startCell, startName(w, round))] : []),
		...stops.map((s, i) => point('wpt', s.cell, stopName(i, s), desc(s))),
		`<rte><name>${xml(title)}</name>`,
		...(start ? [point('rtept', start, startName(w, round))] : []),
		...stops.map((s, i) => point('rtept', s.cell, stopName(i, s))),
		...(start && stops.length ? [point('rtept', start, backName(w, round))] : []),
		'</rte>',
		'</gpx>',
		''
	];
	return lines.join('\n');
}

const decimal = (x: number, digits: number) => x.toFixed(digits).replace('.', ',');

/**
 * The round as a spreadsheet: a head (title, date, duo, budget), an empty line, then one row per
 * leg from the start to the first zone to … back to the start, with its minutes. `pace` is the
 * round's (paceOf its travel mode): the way back is timed with it, as the page times it.
 */
export function routeCsv(round: ExportRound, stops: readonly ExportStop[], lang: ExportLang = 'nl', pace: Pace = WALKING_PACE): string {
	const w = WORDS[lang];
	const deg = (x: number) => (lang === 'nl' ? decimal(x, 6) : x.toFixed(6));
	const rows = legs(w, round, stops, pace).map((leg, i) => {
		const { lat, lng } = cellCentre(leg.cell);
		return [
			i + 1,
			leg.from,
			leg.to,
			Math.round(leg.walkMinutes),
			leg.stop?.dwellMinutes ?? 0,
			leg.stop?.cell ?? '',
			deg(lat),
			deg(lng),
			leg.stop?.score
		];
	});
	const head = [
		[w.head.title, round.title],
		[w.head.date, round.plannedOn],
		[w.head.duo, duoOf(w, round)],
		[w.head.budget, round.budgetMinutes]
	];
	return csvDocument([
		...head.map((r) => csvLine(r, ';')),
		'',
		csvLine(w.header(round.travelMode ?? 'walking'), ';'),
		...rows.map((r) => csvLine(r, ';'))
	]);
}
