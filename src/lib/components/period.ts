// Period presets for the filter panel, relative to the organisation's "today" (Europe/Brussels).
import { addDays, parseDay, utcDay } from '$lib/domain/calendar';

export const PRESETS = ['30d', '90d', '12m', '24m'] as const;
export type Preset = (typeof PRESETS)[number] | 'custom';

function monthsBack(today: string, months: number): string {
	const d = new Date(today + 'T00:00:00Z');
	d.setUTCMonth(d.getUTCMonth() - months);
	return addDays(utcDay(d), 1);
}

/** Inclusive [from, to] for a preset ending today. */
export function presetRange(preset: Exclude<Preset, 'custom'>, today: string): { from: string; to: string } {
	switch (preset) {
		case '30d':
			return { from: addDays(today, -29), to: today };
		case '90d':
			return { from: addDays(today, -89), to: today };
		case '12m':
			return { from: monthsBack(today, 12), to: today };
		case '24m':
			return { from: monthsBack(today, 24), to: today };
	}
}

export function validRange(from: string, to: string, today: string): boolean {
	return !!parseDay(from) && !!parseDay(to) && from <= to && to <= today && addDays(to, -(366 * 5 - 1)) <= from;
}

export function formatDay(day: string, tag: string, style: 'long' | 'short' = 'long'): string {
	const d = new Date(day + 'T12:00:00Z');
	return new Intl.DateTimeFormat(tag, {
		day: 'numeric',
		month: style === 'long' ? 'long' : 'short',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(d);
}
