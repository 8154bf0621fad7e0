// Today's date where the outreach happens (see domain/calendar.ts).
import { dayInBrussels } from '../domain/calendar';

export function todayInBrussels(now = new Date()): string {
	return dayInBrussels(now);
}
