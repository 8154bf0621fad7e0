// How a signal's status looks wherever it is shown (inbox, round, today, map legend): a shape
// as well as a colour, so that it never rests on colour alone (Okabe–Ito hues).
import type { InboxStatus } from '$lib/domain/signals';

export const STATUS_SYMBOL: Record<InboxStatus, string> = {
	open: '●',
	assigned: '◆',
	visited: '▲',
	handled: '✓',
	closed_not_found: '✕',
	closed_not_ours: '⊘'
};
