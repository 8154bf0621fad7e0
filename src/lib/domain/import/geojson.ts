// GeoJSON FeatureCollections as the imports read them (service points, area polygons): the
// features, their properties as cell text, what a file offers for the mapping step, and issues
// that name a feature's number and property.
import { rowIssue, type IssueCode, type RowIssue } from './row-errors';

const q = (s: string) => `‘${s}’`;

/** An issue about feature `n` (1-based, features[n-1]) and one of its properties. */
export function featureIssue(n: number, property: string, code: IssueCode, value?: string, extra: Record<string, string> = {}): RowIssue {
	const base = rowIssue(n, '', code, value, extra);
	if (n === 0) return { ...base, field: property };
	const body = { nl: base.message.nl.slice(`Rij ${n}: `.length), en: base.message.en.slice(`Row ${n}: `.length) };
	const where = property
		? { nl: `Object ${n}, eigenschap ${q(property)}`, en: `Feature ${n}, property ${q(property)}` }
		: { nl: `Object ${n}`, en: `Feature ${n}` };
	return { ...base, field: property, message: { nl: `${where.nl}: ${body.nl}`, en: `${where.en}: ${body.en}` } };
}

/**
 * The issue with the feature also named by its code ("Feature 3 (‘Q12’), property …"), so a
 * warning can be found in the file by what the user knows it as, not only by its position.
 */
export function withFeatureCode(issue: RowIssue, n: number, code: string): RowIssue {
	if (!code || n === 0) return issue;
	const name = (prefix: string, text: string) =>
		text.startsWith(`${prefix} ${n}`) ? `${prefix} ${n} (${q(code)})${text.slice(`${prefix} ${n}`.length)}` : text;
	return { ...issue, message: { nl: name('Object', issue.message.nl), en: name('Feature', issue.message.en) } };
}

export interface GeoFeature {
	type?: unknown;
	id?: unknown;
	geometry?: { type?: unknown; coordinates?: unknown } | null;
	properties?: Record<string, unknown> | null;
}

/** A property value as cell text: numbers as written in JSON, null/absent as ''. */
export function propertyText(v: unknown): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return v.trim();
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return JSON.stringify(v);
}

/** The features of a FeatureCollection, or a file-level issue. */
export function featuresOf(value: unknown): { ok: true; features: GeoFeature[] } | { ok: false; issue: RowIssue } {
	const v = value as { type?: unknown; features?: unknown } | null;
	if (!v || typeof v !== 'object' || v.type !== 'FeatureCollection' || !Array.isArray(v.features))
		return { ok: false, issue: rowIssue(0, '', 'not_feature_collection', propertyText(v && typeof v === 'object' ? v.type : typeof v)) };
	return { ok: true, features: v.features as GeoFeature[] };
}

/** What a FeatureCollection offers, for the mapping step: property names, geometry types, samples. */
export function inspectFeatures(features: readonly GeoFeature[], sample = 5) {
	const properties = new Set<string>();
	const geometryTypes: Record<string, number> = {};
	for (const f of features) {
		for (const k of Object.keys(f?.properties ?? {})) properties.add(k);
		const t = typeof f?.geometry?.type === 'string' ? f.geometry.type : 'null';
		geometryTypes[t] = (geometryTypes[t] ?? 0) + 1;
	}
	return {
		features: features.length,
		geometryTypes,
		properties: [...properties],
		sample: features.slice(0, sample).map((f) => Object.fromEntries(Object.entries(f?.properties ?? {}).map(([k, v]) => [k, propertyText(v)])))
	};
}
