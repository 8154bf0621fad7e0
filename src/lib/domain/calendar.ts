// Days where the outreach happens: periods, rounds and "days since" are counted in Brussels time,
// on the server and on a phone alike.
export const TIME_ZONE = 'Europe/Brussels';

/** The calendar day (YYYY-MM-DD) of an instant in Brussels. */
export function dayInBrussels(at: Date): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(at);
}
