// Small DOM helpers for the pages (no framework: two pages, a few dozen elements).

type Attrs = Record<string, string | number | boolean | null | undefined>;

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

/** An HTML element with attributes and children (strings become text, never markup). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const child of children) if (child !== null && child !== undefined) el.append(child);
  return el;
}

const svgNs = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(svgNs, tag);
  setAttrs(el, attrs);
  for (const child of children) if (child !== null && child !== undefined) el.append(child);
  return el;
}

/** The element with this id, of the expected type; throws if the page lacks it. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} missing or not a ${type.name}`);
  return el;
}

/** Sets text only when it changed (keeps selection and screen-reader announcements quiet). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Makes a button usable or not with `aria-disabled` rather than `disabled`: a disabled button loses keyboard focus,
 * and the focus must stay on the control the user pressed while its action runs.
 */
export function setUsable(button: HTMLElement, usable: boolean): void {
  const value = String(!usable);
  if (button.getAttribute('aria-disabled') !== value) button.setAttribute('aria-disabled', value);
}

/** Whether a button made unusable with setUsable may act now. */
export function isUsable(button: HTMLElement): boolean {
  return button.getAttribute('aria-disabled') !== 'true';
}

/** The visible result of an action, as an outcome line shows it. */
export interface OutcomeText {
  kind: string;
  message: string;
  detail?: string;
}

/** Shows an outcome (or nothing) in its line; unchanged outcomes leave the DOM alone so nothing is re-announced. */
export function renderOutcome(target: HTMLElement, outcome: OutcomeText | null): void {
  const key = outcome ? JSON.stringify([outcome.kind, outcome.message, outcome.detail]) : '';
  if (target.dataset['key'] === key) return;
  target.dataset['key'] = key;
  target.dataset['kind'] = outcome?.kind ?? 'none';
  if (!outcome) target.replaceChildren();
  else if (!outcome.detail) target.replaceChildren(outcome.message);
  else target.replaceChildren(h('span', { class: 'outcome-message' }, outcome.message), ' ', h('span', { class: 'outcome-detail' }, outcome.detail));
}
