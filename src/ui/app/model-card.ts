// Draws the model card from the store's context: the banner for a deprecated, retired or unknown model with its
// one-click switch, the dropdown (rebuilt only when its options change), what is known of the shown model, where
// the list came from, and the outcome of an apply.
import { byId, h, renderOutcome, setText, setUsable } from './dom.js';
import { canApplyModel, listNote, modelBanner, modelDetails, modelGroups, shownModel } from './models.view.js';
import { currentModel, type SettingsContext } from './settings.context.js';

export const modelEls = {
  banner: byId('model-banner', HTMLElement),
  bannerTitle: byId('model-banner-title', HTMLElement),
  bannerText: byId('model-banner-text', HTMLElement),
  switchButton: byId('btn-switch-model', HTMLButtonElement),
  select: byId('model-select', HTMLSelectElement),
  apply: byId('btn-apply', HTMLButtonElement),
  refresh: byId('btn-refresh-models', HTMLButtonElement),
  showAll: byId('show-all', HTMLInputElement),
  note: byId('models-note', HTMLElement),
  details: byId('model-id', HTMLElement),
  outcome: byId('model-outcome', HTMLElement),
};

let optionsKey = '';
let detailsKey = '';

/** Draws the card. */
export function renderModelCard(ctx: SettingsContext, now: number): void {
  const el = modelEls;
  const busy = ctx.applying !== null || ctx.pendingCommand !== null || ctx.configApplying;
  const banner = modelBanner(ctx, now);
  el.banner.hidden = banner === null;
  el.banner.dataset['tone'] = banner?.tone ?? 'warn';
  setText(el.bannerTitle, banner?.title ?? '');
  setText(el.bannerText, banner?.text ?? '');
  el.switchButton.hidden = !banner?.replacement;
  el.switchButton.dataset['model'] = banner?.replacement?.id ?? '';
  setText(el.switchButton, banner?.replacement ? `Switch to ${banner.replacement.label}` : 'Switch');
  setUsable(el.switchButton, ctx.connection === 'live' && !busy);
  el.switchButton.setAttribute('aria-busy', String(banner?.replacement != null && ctx.applying === banner.replacement.id));

  // No list yet: the placeholder says so ("Loading models…"), rather than a dropdown of one.
  const groups = ctx.models ? modelGroups(ctx.models, currentModel(ctx), now) : [];
  const shown = shownModel(ctx);
  // Rebuild the options only when they change, so an open dropdown is not disturbed.
  const key = JSON.stringify([groups, shown, ctx.models === null && ctx.modelsError === null]);
  if (key !== optionsKey) {
    optionsKey = key;
    const children: HTMLElement[] = groups.map((group) =>
      h('optgroup', { label: group.label }, ...group.options.map((o) => h('option', { value: o.id, selected: o.id === shown, 'data-latest': o.latest }, o.label))),
    );
    if (children.length === 0) {
      // "Loading models…" until the first answer; "No models" only when an answer said so.
      const loading = ctx.models === null && ctx.modelsError === null;
      children.push(h('option', { value: '', disabled: true, selected: true }, loading ? 'Loading models…' : ctx.modelsError ? 'Could not load models' : 'No models'));
    }
    el.select.replaceChildren(...children);
    if (shown !== null && groups.length) el.select.value = shown;
  }
  el.select.disabled = ctx.applying !== null || ctx.connection !== 'live' || groups.length === 0;
  setUsable(el.apply, canApplyModel(ctx));
  el.apply.setAttribute('aria-busy', String(ctx.applying !== null && ctx.applying === ctx.selectedModel));
  setUsable(el.refresh, ctx.connection === 'live' && !ctx.modelsRefreshing);
  el.refresh.setAttribute('aria-busy', String(ctx.modelsRefreshing));
  el.showAll.checked = ctx.showAll;
  el.showAll.disabled = ctx.applying !== null;

  const details = modelDetails(ctx, now);
  const newDetails = JSON.stringify(details);
  if (newDetails !== detailsKey) {
    detailsKey = newDetails;
    el.details.replaceChildren(
      ...(details
        ? [
            h('span', { class: 'model-id-text' }, details.id),
            ...details.facts.map((fact) => h('span', { class: 'model-fact' }, fact)),
            ...(details.lifecycle ? [h('span', { class: 'lifecycle-badge', 'data-lifecycle': 'deprecated' }, details.lifecycle)] : []),
          ]
        : []),
    );
  }
  setText(el.note, listNote(ctx, now));
  renderOutcome(el.outcome, ctx.modelOutcome);
}
