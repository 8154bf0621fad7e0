// The one error model. Every refusal that reaches a user carries a stable, translatable code
// (pages translate `errors.<code>` through i18n, never the message), the field or parameter it
// concerns, and an English message for logs, the CLI and API clients. Values fill the
// translation's placeholders ({minutes}, {value}, …).

/** Placeholder values of a translated message. */
export type ErrorValues = Record<string, string | number>;

/** What every API error response and every form action failure carries. */
export interface ErrorInfo {
	/** Stable, snake_case or camelCase code; translated as `errors.<code>` where the UI shows it. */
	code: string;
	/** The query parameter, body field or form field it concerns, when there is one. */
	param?: string;
	/** English, for API clients, logs and the CLI. Never matched by a page. */
	message: string;
	values?: ErrorValues;
}

/** The JSON body of every non-2xx API answer. */
export interface ErrorBody {
	error: ErrorInfo;
}

/**
 * Input a user can correct: thrown by domain and server code, turned into a 400 (API) or a
 * `fail(400, …)` (form action) by the route, with its code and field intact.
 */
export class UserInputError extends Error {
	constructor(
		readonly code: string,
		readonly field: string,
		message: string,
		readonly values?: ErrorValues
	) {
		super(message);
		this.name = 'UserInputError';
	}

	info(): ErrorInfo {
		return { code: this.code, param: this.field, message: this.message, ...(this.values ? { values: this.values } : {}) };
	}
}

/**
 * A form action's refusal as the form pages read it (FieldError, FormField): the ErrorInfo of
 * one field, under the names the pages use, since a failure's `values` carries the form's
 * echoed input and the translation's placeholder values travel as `params`.
 */
export interface FieldProblem {
	field?: string;
	code?: string;
	message?: string;
	params?: ErrorValues;
}

/** The FieldProblem of a refusal; `field` moves it next to another control than the error's own. */
export function fieldProblem(e: UserInputError, field: string = e.field): FieldProblem & { field: string; code: string; message: string } {
	return { field, code: e.code, message: e.message, ...(e.values ? { params: e.values } : {}) };
}
