// The one error the browser sees from the API: built from the JSON error body every non-2xx
// answer carries ({error: ErrorInfo}, src/lib/domain/errors.ts), or from what failed without one.
import type { ErrorBody, ErrorInfo, ErrorValues } from '$lib/domain/errors';

/**
 * Codes the API answers with beside those of UserInputError and the import's own (empty_file,
 * xlsx_…). A page may translate any as `errors.<code>`.
 */
export const API_ERROR_CODES = {
	/** A query parameter or body field with a value the endpoint does not take. */
	invalidParam: 'invalid_param',
	/** A query parameter or body field the endpoint does not know. */
	unknownParam: 'unknown_param',
	/** An uploaded file the import cannot read (not JSON, no GeoJSON, no HSDS package…). */
	invalidFile: 'invalid_file',
	/** An upload larger than the server takes (413). */
	tooLarge: 'too_large',
	/** A body that is not JSON. */
	invalidJson: 'invalid_json',
	/** A body that is not sent as application/json (415). */
	unsupportedMediaType: 'unsupported_media_type',
	/** An upload from another site (403). */
	forbiddenOrigin: 'forbidden_origin',
	/** No session, or one whose organisation is gone (401). */
	signedOut: 'signed_out',
	/** A request the role may not make (403). */
	roleRefused: 'role_refused',
	/** Answers without a JSON error body: the network (status 0), or a server that said nothing. */
	network: 'network',
	http: 'http'
} as const;

export class ApiError extends Error {
	/** Stable; see API_ERROR_CODES. */
	readonly code: string;
	readonly param?: string;
	readonly values?: ErrorValues;

	constructor(
		readonly status: number,
		info: ErrorInfo
	) {
		super(info.message);
		this.name = 'ApiError';
		this.code = info.code;
		this.param = info.param;
		this.values = info.values;
	}

	/** From an answer's status and (parsed) body; a body without an error gives `HTTP <status>`. */
	static from(status: number, body: unknown): ApiError {
		const e = (body as Partial<ErrorBody> | null)?.error;
		if (e && typeof e === 'object') {
			return new ApiError(status, {
				code: typeof e.code === 'string' ? e.code : API_ERROR_CODES.http,
				message: typeof e.message === 'string' ? e.message : `HTTP ${status}`,
				...(typeof e.param === 'string' ? { param: e.param } : {}),
				...(e.values ? { values: e.values } : {})
			});
		}
		return new ApiError(status, { code: status === 0 ? API_ERROR_CODES.network : API_ERROR_CODES.http, message: `HTTP ${status}` });
	}
}
