// A worker's street rounds as an iCalendar feed (RFC 5545) their phone's calendar subscribes to.
// Rounds have a date and a time budget but no start time, so each round is an all-day event on
// its date (DTSTART;VALUE=DATE); the budget is said in the description. Only what the worker
// already sees on the round page leaves: title, start place, the stops by name, the duo's names.

export type CalendarLang = 'nl' | 'en';

export interface CalendarRound {
	orgId: number;
	roundId: number;
	/** YYYY-MM-DD */
	plannedOn: string;
	title: string;
	budgetMinutes: number;
	/** The start place's name, or null (the round starts at its first stop). */
	startLabel: string | null;
	/** The duo's names. */
	workers: readonly string[];
	/** The stops' names in walking order (as the round page names them). */
	stops: readonly string[];
	/** The round page, absolute. */
	url: string;
}

const WORDS = {
	nl: {
		stops: 'Stops in volgorde:',
		noStops: 'Nog geen route gepland.',
		duo: 'Duo:',
		budget: (m: number) => `Tijdsbudget: ${m} min`,
		start: 'Vertrek:'
	},
	en: {
		stops: 'Stops in order:',
		noStops: 'No route planned yet.',
		duo: 'Duo:',
		budget: (m: number) => `Time budget: ${m} min`,
		start: 'Start:'
	}
} as const;

/** A TEXT value escaped (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(s: string): string {
	return s
		.replace(/\\/g, '\\\\')
		.replace(/;/g, '\\;')
		.replace(/,/g, '\\,')
		.replace(/\r\n|\r|\n/g, '\\n');
}

/** A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character. */
export function foldLine(line: string): string {
	const enc = new TextEncoder();
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const ch of line) {
		const n = enc.encode(ch).length;
		const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
		if (octets + n > limit) {
			parts.push(current);
			current = '';
			octets = 0;
		}
		current += ch;
		octets += n;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

/** 20261206T182100Z */
function utcStamp(d: Date): string {
	return d
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

/** The day after a YYYY-MM-DD date, as YYYYMMDD. */
function nextDay(day: string): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 1);
	return d.toISOString().slice(0, 10).replace(/-/g, '');
}

/** The event's stable UID: the same round keeps it across fetches, unique across organisations. */
export function roundUid(orgId: number, roundId: number): string {
	return `round-${roundId}-org-${orgId}@outreach-atlas`;
}

/** The description: the start, the stops in order (numbered), the duo and the budget. */
export function roundDescription(r: CalendarRound, lang: CalendarLang = 'nl'): string {
	const w = WORDS[lang];
	const lines: string[] = [];
	if (r.startLabel) lines.push(`${w.start} ${r.startLabel}`);
	if (r.stops.length) {
		lines.push(w.stops);
		r.stops.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
	} else lines.push(w.noStops);
	if (r.workers.length) lines.push(`${w.duo} ${r.workers.join(', ')}`);
	lines.push(w.budget(r.budgetMinutes));
	lines.push(r.url);
	return lines.join('\n');
}

/** One VEVENT's content lines (unfolded). */
export function roundEvent(r: CalendarRound, stamp: Date, lang: CalendarLang = 'nl'): string[] {
	const lines = [
		'BEGIN:VEVENT',
		`UID:${roundUid(r.orgId, r.roundId)}`,
		`DTSTAMP:${utcStamp(stamp)}`,
		`DTSTART;VALUE=DATE:${r.plannedOn.replace(/-/g, '')}`,
		`DTEND;VALUE=DATE:${nextDay(r.plannedOn)}`,
		`SUMMARY:${escapeText(r.title)}`
	];
	if (r.startLabel) lines.push(`LOCATION:${escapeText(r.startLabel)}`);
	lines.push(`DESCRIPTION:${escapeText(roundDescription(r, lang))}`);
	lines.push(`URL:${r.url}`);
	lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
	return lines;
}

/** The whole feed: a VCALENDAR with one VEVENT per round, CRLF line ends, folded lines. */
export function calendarFeed(rounds: readonly CalendarRound[], opts: { stamp: Date; name: string; lang?: CalendarLang }): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Outreach Atlas//Straatrondes//NL',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${escapeText(opts.name)}`,
		...rounds.flatMap((r) => roundEvent(r, opts.stamp, opts.lang)),
		'END:VCALENDAR'
	];
	return lines.map(foldLine).join('\r\n') + '\r\n';
}
