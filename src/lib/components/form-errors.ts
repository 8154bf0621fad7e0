// Errors that form actions return: the field they belong to, a translatable code and the
// server's own (English) message as a fallback when no translation exists for the code.
export interface FieldProblem {
	field?: string;
	code?: string;
	message?: string;
	params?: Record<string, string | number>;
}

/** The problem when it belongs to this field, else null. */
export function problemFor(p: FieldProblem | null | undefined, field: string): FieldProblem | null {
	return p && p.field === field && (p.code || p.message) ? p : null;
}
