// datetime-local values (YYYY-MM-DDTHH:mm) are in the device's time zone, without a zone.

export function toLocalInput(d: Date): string {
	const p = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The moment a datetime-local value names, or null when it is empty or malformed. */
export function fromLocalInput(value: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
	if (!m) return null;
	const d = new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0);
	return Number.isNaN(d.getTime()) ? null : d;
}
