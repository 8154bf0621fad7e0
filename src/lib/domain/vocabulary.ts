// Default vocabularies for a new organisation, after Flemish outreach practice. Every
// organisation can edit its own copy; ids are stable small integers used in contact rows.
export type VocabularyKind = 'contact_type' | 'target_group' | 'theme' | 'service_category' | 'referral_target';

export interface VocabularyEntry {
	id: number;
	code: string;
	nl: string;
	en: string;
}

export type Vocabularies = Record<VocabularyKind, VocabularyEntry[]>;

const entries = (rows: [string, string, string][]): VocabularyEntry[] => rows.map(([code, nl, en], i) => ({ id: i + 1, code, nl, en }));

const SERVICE_CATEGORIES = entries([
	['nachtopvang', 'Nachtopvang', 'Night shelter'],
	['ocmw', 'OCMW / sociale dienst', 'OCMW / social services'],
	['caw', 'CAW', 'CAW (general welfare centre)'],
	['gezondheid', 'Gezondheidspost', 'Health post'],
	['voedselhulp', 'Voedselhulp', 'Food aid'],
	['inloop', 'Inloopcentrum', 'Drop-in centre'],
	['dagcentrum', 'Dagcentrum', 'Day centre'],
	['schadebeperking', 'Schadebeperking', 'Harm reduction']
]);

export const DEFAULT_VOCABULARIES: Vocabularies = {
	contact_type: entries([
		['eerste_contact', 'Eerste contact', 'First contact'],
		['opvolging', 'Opvolgcontact', 'Follow-up contact'],
		['kort_contact', 'Kort contact', 'Brief contact'],
		['crisis', 'Crisisinterventie', 'Crisis intervention'],
		['begeleiding', 'Begeleiding naar voorziening', 'Accompanied to a service'],
		['groepscontact', 'Groepscontact', 'Group contact']
	]),
	target_group: entries([
		['dak_thuisloos', 'Dak- en thuisloos', 'Homeless'],
		['druggebruik', 'Druggebruik', 'Drug use'],
		['sekswerk', 'Sekswerk', 'Sex work'],
		['jongeren', 'Jongeren', 'Young people'],
		['zonder_wettig_verblijf', 'Zonder wettig verblijf', 'Undocumented'],
		['geisoleerde_ouderen', 'Geïsoleerde ouderen', 'Isolated elderly'],
		['psychisch_kwetsbaar', 'Psychisch kwetsbaar', 'Mental health needs'],
		['eu_migranten', 'EU-migranten', 'EU migrants']
	]),
	theme: entries([
		['huisvesting', 'Huisvesting', 'Housing'],
		['gezondheid', 'Gezondheid', 'Health'],
		['inkomen', 'Inkomen en schulden', 'Income and debt'],
		['administratie', 'Administratie en rechten', 'Paperwork and rights'],
		['verslaving', 'Verslaving', 'Addiction'],
		['basisbehoeften', 'Basisbehoeften (eten, hygiëne)', 'Basic needs (food, hygiene)'],
		['veiligheid', 'Veiligheid', 'Safety'],
		['netwerk', 'Sociaal netwerk', 'Social network'],
		['werk', 'Werk en dagbesteding', 'Work and daytime activity']
	]),
	service_category: SERVICE_CATEGORIES,
	// To whom a referral went: by default the service categories (same codes and labels), which an
	// organisation then edits apart (e.g. adds "Huisarts" without it being a service on the map).
	referral_target: SERVICE_CATEGORIES.map((e) => ({ ...e }))
};

export const VOCABULARY_KINDS = Object.keys(DEFAULT_VOCABULARIES) as VocabularyKind[];
