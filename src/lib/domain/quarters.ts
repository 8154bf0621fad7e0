// Calendar quarters (YYYY-MM-DD days, Brussels calendar): the only periods analysts see figures
// for. Pure.

export interface Quarter {
	year: number;
	/** 1 to 4. */
	q: number;
	/** First and last day, inclusive. */
	from: string;
	to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function quarter(year: number, q: number): Quarter {
	const first = (q - 1) * 3 + 1;
	const last = first + 2;
	return { year, q, from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDayOfMonth(year, last))}` };
}

/** The quarter `day` lies in. */
export function quarterOf(day: string): Quarter {
	const year = Number(day.slice(0, 4));
	const month = Number(day.slice(5, 7));
	return quarter(year, Math.ceil(month / 3));
}

export function previousQuarter(x: Quarter): Quarter {
	return x.q === 1 ? quarter(x.year - 1, 4) : quarter(x.year, x.q - 1);
}

/** The `n` most recent quarters that have ended before `today`, newest first. */
export function endedQuarters(today: string, n: number): Quarter[] {
	const out: Quarter[] = [];
	let x = previousQuarter(quarterOf(today));
	for (let i = 0; i < n; i++, x = previousQuarter(x)) out.push(x);
	return out;
}

/** The quarter exactly spanned by [from, to], or null. */
export function wholeQuarter(from: string, to: string): Quarter | null {
	const x = quarterOf(from);
	return x.from === from && x.to === to ? x : null;
}
