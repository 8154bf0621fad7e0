// Today's date where the outreach happens. Periods and "days since" are counted in this zone.
export const TIME_ZONE = 'Europe/Brussels';

export function todayInBrussels(now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(now); // YYYY-MM-DD
}
