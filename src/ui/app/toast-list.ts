// Draws the toasts: notices about the server from /supervisor/events, each with a close button, each gone by
// itself after a while (the history panel keeps the record).
import { byId, h } from './dom.js';
import type { SettingsContext, Toast } from './settings.context.js';

const container = byId('toasts', HTMLElement);
/** How long a toast stays unless closed. */
const toastMs = 12_000;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** Draws the toasts; `dismiss` is called when one is closed or has been up long enough. */
export function renderToasts(ctx: SettingsContext, dismiss: (id: number) => void): void {
  const shown = new Set(ctx.toasts.map((t) => t.id));
  for (const child of [...container.children] as HTMLElement[]) {
    if (!shown.has(Number(child.dataset['id']))) child.remove();
  }
  for (const [id, timer] of timers) {
    if (!shown.has(id)) {
      clearTimeout(timer);
      timers.delete(id);
    }
  }
  for (const toast of ctx.toasts) {
    if (timers.has(toast.id)) continue;
    container.append(toastElement(toast, dismiss));
    timers.set(toast.id, setTimeout(() => dismiss(toast.id), toastMs));
  }
}

function toastElement(toast: Toast, dismiss: (id: number) => void): HTMLElement {
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss notice' }, '×');
  close.addEventListener('click', () => dismiss(toast.id));
  return h(
    'div',
    { class: 'toast', 'data-tone': toast.tone, 'data-id': toast.id },
    h('p', { class: 'toast-message' }, toast.count > 1 ? `${toast.message} (${toast.count} times)` : toast.message),
    toast.detail ? h('p', { class: 'toast-detail' }, toast.detail) : null,
    close,
  );
}
