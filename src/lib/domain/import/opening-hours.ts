// Opening hours in OpenStreetMap's opening_hours syntax, from what people type.

const OSM_DAY = '(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)';
const OSM_DAYS = `${OSM_DAY}(?:\\[-?[1-5]\\])?(?:-${OSM_DAY})?(?:,${OSM_DAY}(?:\\[-?[1-5]\\])?(?:-${OSM_DAY})?)*`;
const OSM_MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const OSM_MONTHS = `${OSM_MONTH}(?:-${OSM_MONTH})?(?:,${OSM_MONTH}(?:-${OSM_MONTH})?)*`;
const OSM_TIME = '(?:[01]\\d|2[0-4]):[0-5]\\d';
const OSM_END = '(?:[0-3]\\d|4[0-8]):[0-5]\\d';
const OSM_SPANS = `${OSM_TIME}-${OSM_END}(?:,${OSM_TIME}-${OSM_END})*`;
const OSM_COMMENT = '"[^"]*"';
const OSM_RULE = new RegExp(
	`^(?:24/7|(?:${OSM_MONTHS} )?(?:${OSM_DAYS})(?: (?:${OSM_SPANS}|off|closed))?(?: ${OSM_COMMENT})?|(?:${OSM_MONTHS} )?${OSM_SPANS}(?: ${OSM_COMMENT})?|${OSM_COMMENT})$`
);

// Two-letter French abbreviations are left out: "di" is Tuesday in Dutch, Sunday in French.
const DAY_WORDS: [RegExp, string][] = [
	[/\b(?:maandag|maandagen|ma|mon|monday|mo|lundi)\b/gi, 'Mo'],
	[/\b(?:dinsdag|dinsdagen|di|tue|tues|tuesday|tu|mardi)\b/gi, 'Tu'],
	[/\b(?:woensdag|woensdagen|wo|wed|wednesday|we|mercredi)\b/gi, 'We'],
	[/\b(?:donderdag|donderdagen|do|thu|thur|thurs|thursday|th|jeudi)\b/gi, 'Th'],
	[/\b(?:vrijdag|vrijdagen|vr|fri|friday|fr|vendredi)\b/gi, 'Fr'],
	[/\b(?:zaterdag|zaterdagen|za|sat|saturday|sa|samedi)\b/gi, 'Sa'],
	[/\b(?:zondag|zondagen|zo|sun|sunday|su|dimanche)\b/gi, 'Su'],
	[/\b(?:feestdagen|feestdag|ph|holidays?)\b/gi, 'PH']
];

const hhmm = (h: string, m: string | undefined) => `${h.padStart(2, '0')}:${(m ?? '00').padStart(2, '0')}`;

/**
 * Opening hours → OSM `opening_hours` text. Text already in (the common subset of) that syntax
 * passes unchanged; Dutch, French and English notations as people type them are rewritten:
 * "ma-vr 9u-17u", "maandag t/m vrijdag 9.00 - 17.00 uur", "za 10-14, zo gesloten" become
 * "Mo-Fr 09:00-17:00", "Sa 10:00-14:00; Su off". Anything else is not guessed: the caller keeps
 * the text as it is and warns. Empty → null.
 */
export function normaliseOpeningHours(raw: string): { ok: true; value: string | null } | { ok: false; value: string } {
	const s = raw.trim().replace(/\s+/g, ' ');
	if (s === '') return { ok: true, value: null };
	const strict = s.split(/\s*;\s*/).filter(Boolean);
	if (strict.every((r) => OSM_RULE.test(r))) return { ok: true, value: strict.join('; ') };

	const rules: string[] = [];
	// rules end at ';' or '||', or at a comma after a time or "closed" that a new day group follows
	for (const part of s.split(/\s*(?:;|\|\|)\s*|(?<=\d|gesloten|closed|off)\s*,\s*(?=[A-Za-z])/i)) {
		if (!part) continue;
		let r = part
			.replace(/[\u2013\u2014]/g, '-')
			.replace(/\b(?:t\/m|tot en met|tot|till|to|until)\b/gi, '-')
			.replace(/\s*&\s*|\s+(?:en|and|et)\s+/gi, ',');
		// time spans: 9u-17u, 9.30 - 17 uur, 09h00-17h00, 9:00-12:30
		r = r.replace(
			/(\d{1,2})(?:[:.hu](\d{2}))?\s*(?:u|h|uur)?\s*-\s*(\d{1,2})(?:[:.hu](\d{2}))?\s*(?:uur|u|h)?(?![\d:])/gi,
			(_, h1: string, m1: string | undefined, h2: string, m2: string | undefined) => `${hhmm(h1, m1)}-${hhmm(h2, m2)}`
		);
		r = r.replace(/\b(?:gesloten|closed|ferme)\b/gi, 'off');
		if (/^(?:24\/7|dag en nacht|altijd open|always open)$/i.test(r.trim())) {
			rules.push('24/7');
			continue;
		}
		for (const [re, day] of DAY_WORDS) r = r.replace(re, day);
		r = r
			.replace(/\s*([-,])\s*/g, '$1')
			.replace(new RegExp(`(${OSM_DAY}):\\s*`, 'g'), '$1 ')
			.replace(/\s+/g, ' ')
			.trim();
		rules.push(r);
	}
	if (rules.length > 0 && rules.every((r) => OSM_RULE.test(r))) return { ok: true, value: rules.join('; ') };
	return { ok: false, value: s };
}
