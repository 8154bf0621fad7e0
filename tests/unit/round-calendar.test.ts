// A round as an iCalendar event: stable UID, all-day on its date, escaped text, folded lines,
// the stops in order; and the whole feed read back by a real parser (ical.js).
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { calendarFeed, escapeText, foldLine, roundDescription, roundEvent, roundUid, type CalendarRound } from '../../src/lib/domain/round-calendar';

const round: CalendarRound = {
	orgId: 3,
	roundId: 17,
	plannedOn: '2026-12-31',
	title: 'Avondronde; Station, Zuid',
	budgetMinutes: 120,
	startLabel: 'Dagcentrum De Tram',
	workers: ['Anna Peeters', 'Bram Claes'],
	stops: ['Stationsbuurt-Zuid (bij De Tram)', 'Rabot', 'Sluizeken-Tolhuis-Ham'],
	url: 'https://atlas.example/rounds/17'
};
const stamp = new Date('2026-12-06T18:30:00.123Z');

describe('round calendar events', () => {
	it('escapes text values and folds long lines at 75 octets without splitting a character', () => {
		expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
		const folded = foldLine('DESCRIPTION:' + 'é'.repeat(100));
		const parts = folded.split('\r\n');
		expect(parts.length).toBeGreaterThan(1);
		for (const p of parts) expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(75);
		expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
		expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe('DESCRIPTION:' + 'é'.repeat(100));
	});

	it('makes one all-day VEVENT with a stable UID, the start place and the page link', () => {
		const lines = roundEvent(round, stamp);
		expect(lines).toContain(`UID:${roundUid(3, 17)}`);
		expect(roundUid(3, 17)).not.toBe(roundUid(4, 17));
		expect(lines).toContain('DTSTAMP:20261206T183000Z');
		expect(lines).toContain('DTSTART;VALUE=DATE:20261231');
		expect(lines).toContain('DTEND;VALUE=DATE:20270101');
		expect(lines).toContain('SUMMARY:Avondronde\\; Station\\, Zuid');
		expect(lines).toContain('LOCATION:Dagcentrum De Tram');
		expect(lines).toContain('URL:https://atlas.example/rounds/17');
		expect(roundEvent(round, stamp)).toEqual(lines);
	});

	it('describes the stops in order, the duo and the budget, in Dutch or English', () => {
		expect(roundDescription(round).split('\n')).toEqual([
			'Vertrek: Dagcentrum De Tram',
			'Stops in volgorde:',
			'1. Stationsbuurt-Zuid (bij De Tram)',
			'2. Rabot',
			'3. Sluizeken-Tolhuis-Ham',
			'Duo: Anna Peeters, Bram Claes',
			'Tijdsbudget: 120 min',
			'https://atlas.example/rounds/17'
		]);
		expect(roundDescription({ ...round, stops: [], startLabel: null }, 'en').split('\n')).toEqual([
			'No route planned yet.',
			'Duo: Anna Peeters, Bram Claes',
			'Time budget: 120 min',
			'https://atlas.example/rounds/17'
		]);
		expect(roundEvent({ ...round, startLabel: null }, stamp).some((l) => l.startsWith('LOCATION'))).toBe(false);
	});

	it('writes a feed a real iCalendar parser reads back', () => {
		const text = calendarFeed([round, { ...round, roundId: 18, plannedOn: '2027-01-02' }], { stamp, name: 'Straatrondes' });
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
		const cal = new ICAL.Component(ICAL.parse(text));
		expect(cal.getFirstPropertyValue('version')).toBe('2.0');
		const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
		expect(events.map((e) => e.uid)).toEqual([roundUid(3, 17), roundUid(3, 18)]);
		expect(events[0]!.summary).toBe(round.title);
		expect(events[0]!.location).toBe(round.startLabel);
		expect(events[0]!.description).toBe(roundDescription(round));
		expect(events[0]!.startDate.isDate).toBe(true);
		expect(events[0]!.startDate.toString()).toBe('2026-12-31');
		expect(calendarFeed([], { stamp, name: 'X' })).toContain('BEGIN:VCALENDAR');
	});
});
