// The part of autocannon (which ships no types) that scripts/bench-load.ts uses.
declare module 'autocannon' {
	import type { EventEmitter } from 'node:events';

	interface Request {
		method?: string;
		path?: string;
		headers?: Record<string, string>;
		setupRequest?: (req: Request, context: Record<string, unknown>) => Request;
	}
	interface Options {
		url: string;
		connections?: number;
		duration?: number;
		headers?: Record<string, string>;
		requests?: Request[];
	}
	interface Instance extends EventEmitter {
		on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
		on(event: 'done', listener: (result: autocannon.Result) => void): this;
		on(event: 'error', listener: (error: Error) => void): this;
	}
	function autocannon(options: Options): Instance;
	namespace autocannon {
		interface Result {
			errors: number;
			timeouts: number;
			non2xx: number;
			requests: { total: number; average: number };
		}
	}
	export default autocannon;
}
