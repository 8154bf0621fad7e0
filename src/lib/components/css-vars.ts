// Sets CSS custom properties from script (an action), not as a style attribute: the page's
// Content-Security-Policy refuses style attributes in server-rendered HTML (style-src-attr), and
// hydration does not set them again, so a `style:--x` on a server-rendered element was dropped.
export function cssVars(node: HTMLElement, vars: Record<string, string>) {
	const apply = (v: Record<string, string>) => {
		for (const [name, value] of Object.entries(v)) node.style.setProperty(name, value);
	};
	apply(vars);
	return { update: apply };
}
