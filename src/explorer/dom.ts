/** A few lines of DOM building: an element with attributes and children (text is always text, never HTML). */
type Child = Node | string | number | null | undefined | false;
// null, undefined and false children are skipped, so a part can be written as `condition ? part : null`.
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, ...children: (Node | null)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) if (child) element.append(child);
  return element;
}

/** An instant as people read it: 2026-03-01 10:00 (UTC). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export function number(value: unknown): string {
  if (typeof value !== 'number') return value === null || value === undefined ? '—' : String(value);
  return Math.abs(value) >= 1000 ? value.toLocaleString('en', { maximumFractionDigits: 0 }) : value.toLocaleString('en', { maximumFractionDigits: 2 });
}

/** Severity as text and shape as well as colour: colour is never the only signal. */
export const SEVERITY = {
  INFO: { label: 'info', mark: '●', className: 'sev-info' },
  WARNING: { label: 'warning', mark: '▲', className: 'sev-warning' },
  CRITICAL: { label: 'critical', mark: '■', className: 'sev-critical' },
} as const;
