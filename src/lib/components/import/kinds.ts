// What the import page can import, and how a file's columns feed each kind's fields. A kind
// plugs in by adding its field list, its validation and its flags here; the page renders the
// mapping form, the dry run and the commit from this description alone. Kinds without a field
// list (or whose API is not there yet) are shown disabled as "coming soon".
import { columnMappingSchema, CRS_CHOICES } from '$lib/domain/import/mapping';
import { matchKey } from '$lib/domain/import/vocab-match';

export type ImportKindId = 'contacts' | 'services' | 'areas' | 'signals';

export interface FieldSpec {
	/** The key in the mapping JSON (and in i18n: import.fields.<key>). */
	key: string;
	required: boolean;
	/** Header spellings that suggest this field, compared with matchKey (case, accents, spaces ignored). */
	aliases: readonly string[];
}

export interface FieldGroup {
	/** i18n: import.groups.<id> */
	id: string;
	fields: readonly FieldSpec[];
}

/** A yes/no option sent as a query parameter (i18n: import.flags.<key>.label / .help). */
export interface FlagSpec {
	key: string;
}

export interface KindDefinition {
	id: ImportKindId;
	/** The API directory under /api/imports/. */
	api: string;
	groups: readonly FieldGroup[] | null;
	flags: readonly FlagSpec[];
	/** Offers the coordinate system select (sent as mapping.crs). */
	crs: boolean;
	validate: (mapping: Record<string, unknown>) => MappingIssue[];
}

export interface MappingIssue {
	field: string;
	/** i18n: import.mappingErrors.<code> */
	code: 'required' | 'pair' | 'coordinates' | 'crsBoth' | 'sameColumn' | 'invalid';
	/** The other field (of a pair, or already using the same column), for the message. */
	other?: string;
}

export const CRS_OPTIONS = CRS_CHOICES;

const contactGroups: FieldGroup[] = [
	{
		id: 'when',
		fields: [
			{
				key: 'occurredAt',
				required: true,
				aliases: ['datum', 'date', 'timestamp', 'tijdstip', 'datumtijd', 'datetime', 'occurredat', 'datumcontact', 'contactdatum', 'dag', 'moment', 'when']
			},
			{ key: 'time', required: false, aliases: ['uur', 'tijd', 'time', 'hour', 'uurcontact', 'beginuur'] }
		]
	},
	{
		id: 'where',
		fields: [
			{ key: 'lat', required: false, aliases: ['breedte', 'breedtegraad', 'lat', 'latitude', 'noorderbreedte'] },
			{ key: 'lng', required: false, aliases: ['lengte', 'lengtegraad', 'lon', 'lng', 'long', 'longitude', 'oosterlengte'] },
			{ key: 'x', required: false, aliases: ['x', 'xcoord', 'xcoordinaat', 'lambertx', 'oost', 'easting'] },
			{ key: 'y', required: false, aliases: ['y', 'ycoord', 'ycoordinaat', 'lamberty', 'noord', 'northing'] }
		]
	},
	{
		id: 'what',
		fields: [
			{
				key: 'contactType',
				required: true,
				aliases: ['typecontact', 'contacttype', 'type', 'soortcontact', 'soort', 'contactsoort', 'aardcontact', 'kind']
			},
			{ key: 'targetGroups', required: false, aliases: ['doelgroep', 'doelgroepen', 'targetgroup', 'targetgroups', 'groep', 'groups'] },
			{ key: 'themes', required: false, aliases: ['thema', 'themas', 'theme', 'themes', 'onderwerp', 'onderwerpen', 'topics'] },
			{ key: 'persons', required: false, aliases: ['aantal', 'aantalpersonen', 'personen', 'persons', 'people', 'count', 'aantalmensen'] },
			{ key: 'referral', required: false, aliases: ['doorverwezen', 'doorverwijzing', 'referral', 'referred', 'verwezen', 'toegeleid'] }
		]
	},
	{
		id: 'other',
		fields: [
			{ key: 'externalId', required: false, aliases: ['id', 'externalid', 'externid', 'nr', 'nummer', 'volgnummer', 'registratienummer', 'recordid', 'contactid'] },
			{ key: 'team', required: false, aliases: ['team', 'ploeg', 'equipe', 'teamnaam'] }
		]
	}
];

function validateContacts(mapping: Record<string, unknown>): MappingIssue[] {
	const parsed = columnMappingSchema.safeParse(mapping);
	if (parsed.success) return [];
	const issues: MappingIssue[] = [];
	for (const issue of parsed.error.issues) {
		const field = String(issue.path[0] ?? '');
		let mapped: MappingIssue;
		if (issue.code === 'invalid_type' || issue.code === 'too_small') mapped = { field, code: 'required' };
		else if (issue.message.includes('go together')) {
			const [a, b] = field === 'lat' || field === 'lng' ? ['lat', 'lng'] : ['x', 'y'];
			mapped = { field, code: 'pair', other: field === a ? b : a };
		} else if (issue.message.includes('lat/lng or x/y')) mapped = { field: 'lat', code: 'coordinates' };
		else if (field === 'crs') mapped = { field, code: 'crsBoth' };
		else mapped = { field, code: 'invalid' };
		if (!issues.some((i) => i.field === mapped.field)) issues.push(mapped);
	}
	return issues;
}

export const KINDS: readonly KindDefinition[] = [
	{
		id: 'contacts',
		api: 'contacts',
		groups: contactGroups,
		flags: [{ key: 'fixSwapped' }, { key: 'acceptOutside' }],
		crs: true,
		validate: validateContacts
	},
	// Built elsewhere; they light up here once their API and field list exist.
	{ id: 'services', api: 'services', groups: null, flags: [], crs: false, validate: () => [] },
	{ id: 'areas', api: 'areas', groups: null, flags: [], crs: false, validate: () => [] },
	{ id: 'signals', api: 'signals', groups: null, flags: [], crs: false, validate: () => [] }
];

export function kindAvailable(kind: KindDefinition, apis: readonly string[]): boolean {
	return kind.groups !== null && apis.includes(kind.api);
}

export function allFields(kind: KindDefinition): FieldSpec[] {
	return (kind.groups ?? []).flatMap((g) => g.fields);
}

/**
 * Suggests a column for each field from the header names: exact matches first (ignoring case,
 * accents, spaces and punctuation), then headers that start with or contain an alias of four
 * letters or more. A column feeds at most one field.
 */
export function suggestMapping(kind: KindDefinition, headers: readonly string[]): Record<string, string> {
	const out: Record<string, string> = {};
	const used = new Set<string>();
	const keys = headers.map((h) => ({ header: h, key: matchKey(h) }));
	const fields = allFields(kind);
	const pass = (match: (headerKey: string, alias: string) => boolean) => {
		for (const f of fields) {
			if (out[f.key]) continue;
			for (const alias of f.aliases) {
				const hit = keys.find((k) => !used.has(k.header) && k.key !== '' && match(k.key, alias));
				if (hit) {
					out[f.key] = hit.header;
					used.add(hit.header);
					break;
				}
			}
		}
	};
	pass((k, a) => k === a);
	pass((k, a) => a.length >= 4 && k.startsWith(a));
	pass((k, a) => a.length >= 4 && k.includes(a));
	return out;
}

/** The mapping to send: only fields with a column, plus crs when the kind has one. */
export function buildMapping(kind: KindDefinition, columns: Record<string, string>, crs: string): Record<string, string> {
	const m: Record<string, string> = {};
	for (const f of allFields(kind)) {
		const c = columns[f.key];
		if (c) m[f.key] = c;
	}
	if (kind.crs) m.crs = crs;
	return m;
}

/** The kind's own validation, plus: no column feeds two fields. */
export function checkMapping(kind: KindDefinition, columns: Record<string, string>, crs: string): MappingIssue[] {
	const issues = kind.validate(buildMapping(kind, columns, crs));
	const seen = new Map<string, string>();
	for (const f of allFields(kind)) {
		const c = columns[f.key];
		if (!c) continue;
		const first = seen.get(c);
		if (first && !issues.some((i) => i.field === f.key)) issues.push({ field: f.key, code: 'sameColumn', other: first });
		else seen.set(c, f.key);
	}
	return issues;
}

/** A saved mapping applied to a file: the columns it names that the file lacks. */
export function missingColumns(mapping: Record<string, unknown>, headers: readonly string[]): string[] {
	return Object.entries(mapping)
		.filter(([k, v]) => k !== 'crs' && typeof v === 'string' && !headers.includes(v))
		.map(([, v]) => v as string);
}

/** The server accepts 1–80 letters, digits, spaces, dots, dashes and underscores. */
export const SOURCE_PATTERN = /^[\w .-]{1,80}$/;

/** A source name from a file name: extension dropped, accents removed, other characters to '-'. */
export function sourceFromFilename(name: string): string {
	const base = name.replace(/\.[^.]*$/, '');
	const clean = base
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.replace(/[^\w .-]+/g, '-')
		.replace(/-{2,}/g, '-')
		.replace(/^[-. ]+|[-. ]+$/g, '')
		.slice(0, 80);
	return clean || 'import';
}

/** "<name without extension>.geweigerd.csv" */
export function rejectedFilename(name: string): string {
	return `${name.replace(/\.[^.]*$/, '') || 'import'}.geweigerd.csv`;
}
