// The hex layer as a MapLibre custom layer (WebGL2): one draw call over the HexMesh's triangle
// fans, with the fill colour per vertex, the hatch over suppressed cells and the white grid between
// cells computed in the fragment shader. WHY (issue 11): as a GeoJSON source, 10,000 cells cost
// MapLibre's worker over a second (tiling, triangulating, transfer) on each new set of cells, and
// every recolour went through feature-state and a relayout of the tiles; here a new answer only
// uploads the colour array.
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from 'maplibre-gl';
import { HATCH_COLOUR } from './icons';
import { COLOUR_BYTES, HexMesh, rgbBytes, VERTEX_FLOATS } from './hex-mesh';

const VERTEX = `#version 300 es
uniform mat4 u_matrix;
in vec3 a_pos;
in vec4 a_colour;
out float v_edge;
out vec4 v_colour;
void main() {
	v_edge = a_pos.z;
	v_colour = a_colour;
	// a cell not drawn: all its vertices on one point outside the clip volume (nothing rasterised)
	gl_Position = a_colour.a == 0.0 ? vec4(2.0, 2.0, 2.0, 1.0) : u_matrix * vec4(a_pos.xy, 0.0, 1.0);
}`;

// Premultiplied output, as MapLibre blends (ONE, ONE_MINUS_SRC_ALPHA).
const FRAGMENT = `#version 300 es
precision highp float;
uniform float u_opacity;
uniform float u_grid;
uniform float u_ratio;
uniform vec3 u_hatch;
in float v_edge;
in vec4 v_colour;
out vec4 fragColor;
void main() {
	vec4 c = vec4(v_colour.rgb * u_opacity, u_opacity);
	if (v_colour.a < 0.75) {
		// the suppressed hatch: 1.5 px diagonal lines (bottom left to top right) every 8 px
		float period = 8.0 * u_ratio;
		float s = mod(gl_FragCoord.x - gl_FragCoord.y, period);
		float d = min(s, period - s) * 0.70710678;
		float k = clamp(0.75 * u_ratio + 0.5 - d, 0.0, 1.0);
		c = vec4(u_hatch, 1.0) * k + c * (1.0 - k);
	}
	if (u_grid > 0.0) {
		// the white grid: v_edge falls from 1 at the centre to 0 on the cell's edge
		float w = length(vec2(dFdx(v_edge), dFdy(v_edge)));
		float d = v_edge / max(w, 1e-6);
		float k = clamp(0.2 * u_ratio + 0.5 - d, 0.0, 1.0) * u_grid;
		c = vec4(k) + c * (1.0 - k);
	}
	fragColor = c;
}`;

// The cached cells onto the map: one triangle over the viewport, each pixel from the texture.
const BLIT_VERTEX = `#version 300 es
void main() {
	vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
	gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

const BLIT_FRAGMENT = `#version 300 es
precision mediump float;
uniform sampler2D u_texture;
uniform ivec2 u_offset;
out vec4 fragColor;
void main() {
	fragColor = texelFetch(u_texture, ivec2(gl_FragCoord.xy) - u_offset, 0);
}`;

/** Any cell: the warm-up draw's (res 0, in the Gulf of Guinea; never drawn). */
const WARM_UP_CELL = '8075fffffffffff';

function link(gl: WebGL2RenderingContext, vertex: string, fragment: string): WebGLProgram {
	const program = gl.createProgram()!;
	gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, vertex));
	gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, fragment));
	gl.linkProgram(program);
	if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`hex layer program: ${gl.getProgramInfoLog(program)}`);
	return program;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
	const s = gl.createShader(type)!;
	gl.shaderSource(s, source);
	gl.compileShader(s);
	if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`hex layer shader: ${gl.getShaderInfoLog(s)}`);
	return s;
}

interface GlState {
	program: WebGLProgram;
	vao: WebGLVertexArrayObject;
	positions: WebGLBuffer;
	colours: WebGLBuffer;
	indices: WebGLBuffer;
	plainIndices: WebGLBuffer;
	uniforms: Record<'matrix' | 'opacity' | 'grid' | 'ratio' | 'hatch', WebGLUniformLocation | null>;
	/** The mesh and version in the position buffer, and the colour array uploaded. */
	mesh: HexMesh | null;
	version: number;
	colourVersion: number;
	/** The warm-up draw was done (see render). */
	warmed: boolean;
	/** The cells as last drawn, kept in a texture the size of the viewport (see render). */
	cache: {
		program: WebGLProgram;
		vao: WebGLVertexArrayObject;
		texture: WebGLTexture;
		framebuffer: WebGLFramebuffer;
		uniforms: Record<'texture' | 'offset', WebGLUniformLocation | null>;
		/** What the texture holds: '' when nothing valid. */
		key: string;
		cells: HexMesh | null;
		width: number;
		height: number;
	} | null;
}

export interface HexLayerOptions {
	id: string;
	opacity: number;
	/** Zoom from which the grid between cells is drawn, and its opacity. */
	gridMinZoom: number;
	gridOpacity: number;
}

/** The layer: give it a mesh and a colour array (setCells), it draws them from the next frame. */
export class HexGlLayer implements CustomLayerInterface {
	readonly id: string;
	readonly type = 'custom' as const;
	readonly renderingMode = '2d' as const;
	private map: MapLibreMap | null = null;
	private gl: GlState | null = null;
	private mesh: HexMesh | null = null;
	private colours: Uint8Array | null = null;
	/** Bumped by setCells: the colour array is uploaded again (it may be the same array, rewritten). */
	private colourVersion = 0;
	/** The first render was let pass without drawing (see render). */
	private deferred = false;
	private readonly opts: HexLayerOptions;

	constructor(opts: HexLayerOptions) {
		this.opts = opts;
		this.id = opts.id;
	}

	/** What to draw: `colours` holds COLOUR_BYTES per vertex of `mesh` (see colourArray). */
	setCells(mesh: HexMesh | null, colours: Uint8Array | null) {
		this.mesh = mesh;
		this.colours = colours;
		this.colourVersion++;
		this.map?.triggerRepaint();
	}

	onAdd(map: MapLibreMap) {
		this.map = map;
		this.deferred = false;
	}

	/** The programs, buffers and texture (see render: not in the style's first frame). */
	private setup(gl: WebGL2RenderingContext) {
		const program = link(gl, VERTEX, FRAGMENT);
		const u = (name: string) => gl.getUniformLocation(program, name);
		const vao = gl.createVertexArray()!;
		const [positions, colours, indices, plainIndices] = [gl.createBuffer()!, gl.createBuffer()!, gl.createBuffer()!, gl.createBuffer()!];
		gl.bindVertexArray(vao);
		gl.bindBuffer(gl.ARRAY_BUFFER, positions);
		const aPos = gl.getAttribLocation(program, 'a_pos');
		gl.enableVertexAttribArray(aPos);
		gl.vertexAttribPointer(aPos, VERTEX_FLOATS, gl.FLOAT, false, 0, 0);
		gl.bindBuffer(gl.ARRAY_BUFFER, colours);
		const aColour = gl.getAttribLocation(program, 'a_colour');
		gl.enableVertexAttribArray(aColour);
		gl.vertexAttribPointer(aColour, COLOUR_BYTES, gl.UNSIGNED_BYTE, true, 0, 0);
		gl.bindVertexArray(null);
		gl.bindBuffer(gl.ARRAY_BUFFER, null);
		this.gl = {
			program,
			vao,
			positions,
			colours,
			indices,
			plainIndices,
			uniforms: { matrix: u('u_matrix'), opacity: u('u_opacity'), grid: u('u_grid'), ratio: u('u_ratio'), hatch: u('u_hatch') },
			mesh: null,
			version: -1,
			colourVersion: -1,
			warmed: false,
			cache: null
		};
		const blit = link(gl, BLIT_VERTEX, BLIT_FRAGMENT);
		this.gl.cache = {
			program: blit,
			vao: gl.createVertexArray()!,
			texture: gl.createTexture()!,
			framebuffer: gl.createFramebuffer()!,
			uniforms: { texture: gl.getUniformLocation(blit, 'u_texture'), offset: gl.getUniformLocation(blit, 'u_offset') },
			key: '',
			cells: null,
			width: 0,
			height: 0
		};
	}

	onRemove(_map: MapLibreMap, gl: WebGL2RenderingContext) {
		const s = this.gl;
		if (s) {
			gl.deleteBuffer(s.positions);
			gl.deleteBuffer(s.colours);
			gl.deleteBuffer(s.indices);
			gl.deleteBuffer(s.plainIndices);
			gl.deleteVertexArray(s.vao);
			gl.deleteProgram(s.program);
			if (s.cache) {
				gl.deleteProgram(s.cache.program);
				gl.deleteVertexArray(s.cache.vao);
				gl.deleteTexture(s.cache.texture);
				gl.deleteFramebuffer(s.cache.framebuffer);
			}
		}
		this.gl = null;
		this.map = null;
	}

	render(gl: WebGL2RenderingContext, options: CustomRenderMethodInput) {
		if (!this.gl) {
			// The style's first frame compiles MapLibre's own programs, on software GL a long task
			// of 200 ms or more (issue 11). Unless cells are waiting, this layer's programs and
			// warm-up draw come a frame later, while the first answer is still on its way.
			const waiting = this.mesh?.origin && this.colours && this.mesh.indexCount;
			if (!waiting && !this.deferred) {
				this.deferred = true;
				this.map?.triggerRepaint();
				return;
			}
			this.setup(gl);
		}
		const s = this.gl;
		if (!s) return;
		let [mesh, colours, colourVersion] = [this.mesh, this.colours, this.colourVersion];
		if (!mesh || !mesh.origin || !colours || !mesh.indexCount) {
			// Before the first cells: once, the whole path with one cell that is not drawn. WHY:
			// software GL compiles a pipeline at its first draw; done now, while the first answer
			// is on its way, the frame that shows the cells does not pay for it.
			if (s.warmed) return;
			s.warmed = true;
			mesh = new HexMesh(0);
			mesh.add([WARM_UP_CELL]);
			colours = new Uint8Array(mesh.vertexCount * COLOUR_BYTES);
			colourVersion = -2;
		}
		const origin = mesh.origin;
		if (!origin) return;
		gl.bindVertexArray(s.vao);
		if (s.mesh !== mesh || s.version !== mesh.version) {
			gl.bindBuffer(gl.ARRAY_BUFFER, s.positions);
			gl.bufferData(gl.ARRAY_BUFFER, mesh.positions.subarray(0, mesh.vertexCount * VERTEX_FLOATS), gl.STATIC_DRAW);
			gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, s.indices);
			gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, mesh.indices.subarray(0, mesh.indexCount), gl.STATIC_DRAW);
			gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, s.plainIndices);
			gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, mesh.plainIndices.subarray(0, mesh.plainIndexCount), gl.STATIC_DRAW);
			s.mesh = mesh;
			s.version = mesh.version;
			s.colourVersion = -1;
		}
		if (s.colourVersion !== colourVersion) {
			gl.bindBuffer(gl.ARRAY_BUFFER, s.colours);
			gl.bufferData(gl.ARRAY_BUFFER, colours.subarray(0, mesh.vertexCount * COLOUR_BYTES), gl.DYNAMIC_DRAW);
			s.colourVersion = colourVersion;
		}
		const zoom = this.map?.getZoom() ?? 0;
		const matrix = translated(options.modelViewProjectionMatrix, origin, 512 * 2 ** zoom);
		const grid = zoom >= this.opts.gridMinZoom;
		const ratio = this.map ? this.map.getPixelRatio() : 1;
		gl.disable(gl.DEPTH_TEST);
		gl.disable(gl.STENCIL_TEST);
		gl.disable(gl.CULL_FACE);
		gl.enable(gl.BLEND);
		gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
		const c = s.cache;
		if (!c) return this.drawCells(gl, s, mesh, matrix, grid, ratio);
		// The cells are drawn into a texture, and the texture onto the map. WHY: the map renders
		// again for many reasons other than the cells (a source's tiles arriving, placement, a
		// marker), and on software GL drawing 10,000 cells costs a frame 100 ms; while the camera,
		// the cells and their colours stay the same, the texture is simply drawn again.
		const [vx, vy, w, h] = gl.getParameter(gl.VIEWPORT) as Int32Array;
		const key = `${Array.from(matrix).join(',')}|${mesh.version}|${colourVersion}|${grid}|${ratio}|${w}x${h}`;
		if (c.key !== key || c.cells !== mesh) {
			const target = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
			if (c.width !== w || c.height !== h) {
				gl.bindTexture(gl.TEXTURE_2D, c.texture);
				gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, w!, h!, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
				gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
				gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
				gl.bindFramebuffer(gl.FRAMEBUFFER, c.framebuffer);
				gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, c.texture, 0);
				// Asked only when the texture is (re)made: the check waits for the GPU to finish every
				// command sent so far, on software GL a whole frame (issue 11: long tasks).
				if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) {
					// no texture to draw into: draw the cells straight onto the map, every frame
					gl.bindFramebuffer(gl.FRAMEBUFFER, target);
					s.cache = null;
					return this.drawCells(gl, s, mesh, matrix, grid, ratio);
				}
				[c.width, c.height] = [w!, h!];
			}
			gl.bindFramebuffer(gl.FRAMEBUFFER, c.framebuffer);
			gl.viewport(0, 0, w!, h!);
			gl.clearColor(0, 0, 0, 0);
			gl.clear(gl.COLOR_BUFFER_BIT);
			this.drawCells(gl, s, mesh, matrix, grid, ratio);
			gl.bindFramebuffer(gl.FRAMEBUFFER, target);
			gl.viewport(vx!, vy!, w!, h!);
			c.key = key;
			c.cells = mesh;
		}
		gl.useProgram(c.program);
		gl.bindVertexArray(c.vao);
		gl.activeTexture(gl.TEXTURE0);
		gl.bindTexture(gl.TEXTURE_2D, c.texture);
		gl.uniform1i(c.uniforms.texture, 0);
		gl.uniform2i(c.uniforms.offset, vx!, vy!);
		gl.drawArrays(gl.TRIANGLES, 0, 3);
		gl.bindVertexArray(null);
	}

	/** The cells with the current blending, into the bound framebuffer. */
	private drawCells(gl: WebGL2RenderingContext, s: GlState, mesh: HexMesh, matrix: Float32Array, grid: boolean, ratio: number) {
		gl.useProgram(s.program);
		gl.bindVertexArray(s.vao);
		gl.uniformMatrix4fv(s.uniforms.matrix, false, matrix);
		gl.uniform1f(s.uniforms.opacity, this.opts.opacity);
		gl.uniform1f(s.uniforms.grid, grid ? this.opts.gridOpacity : 0);
		gl.uniform1f(s.uniforms.ratio, ratio);
		const [r, g, b] = rgbBytes(HATCH_COLOUR);
		gl.uniform3f(s.uniforms.hatch, r / 255, g / 255, b / 255);
		// without the grid, the fewer triangles of plainIndices (a third less work for software GL)
		gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, grid ? s.indices : s.plainIndices);
		gl.drawElements(gl.TRIANGLES, grid ? mesh.indexCount : mesh.plainIndexCount, gl.UNSIGNED_INT, 0);
		gl.bindVertexArray(null);
	}
}

/**
 * `m` × scale(worldSize) × translate(origin), computed in float64 before it becomes float32.
 * MapLibre's modelViewProjectionMatrix takes world pixels (Mercator × worldSize, 512 × 2^zoom);
 * the positions are small Mercator offsets from the origin, so float32 keeps them exact to a
 * fraction of a pixel at every zoom.
 */
export function translated(m: ArrayLike<number>, [ox, oy]: readonly [number, number], worldSize: number): Float32Array {
	const out = new Float32Array(16);
	for (let i = 0; i < 12; i++) out[i] = m[i]! * (i < 8 ? worldSize : 1);
	for (let r = 0; r < 4; r++) out[12 + r] = (m[r]! * ox + m[4 + r]! * oy) * worldSize + m[12 + r]!;
	return out;
}
