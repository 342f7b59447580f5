// The provider and model pickers: filled from GET /api/providers (whatever this server offers, no
// list in the page), and remembered in this browser: the provider last picked, and per provider the
// model last picked with it (so switching providers back and forth keeps each one's model). A
// remembered choice the server no longer offers falls back to the server's defaults.
import { api } from '/api.js';

const STORAGE_KEY = 'contentgen.model-choice';
const NOTES = { offline: 'The built-in offline generator: no network, deterministic text.' };

function make(tag, props = {}) {
  return Object.assign(document.createElement(tag), props);
}

function remembered() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    return saved && typeof saved === 'object' ? { provider: saved.provider, models: saved.models ?? {} } : { models: {} };
  } catch {
    return { models: {} }; // storage off or the value unreadable: start from the server's defaults
  }
}

function remember(memory) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(memory));
  } catch {
    // Private mode or storage full: the choice just is not kept.
  }
}

/**
 * Fills `providerSelect` and `modelSelect` (with `note` for a line about the provider) and returns
 * `{ choice() }`: the `{provider, model}` a new job asks for, or `{}` when the server listed none.
 */
export async function startModelPicker(providerSelect, modelSelect, note) {
  let listing;
  try {
    listing = await api('/api/providers', { retries: 2 });
  } catch {
    // An older or unreachable server: the job goes without a choice and gets the server's defaults.
    providerSelect.replaceChildren(make('option', { value: '', textContent: 'Server default' }));
    modelSelect.replaceChildren(make('option', { value: '', textContent: 'Server default' }));
    providerSelect.disabled = modelSelect.disabled = true;
    return { choice: () => ({}) };
  }
  const offers = new Map(listing.providers.map((p) => [p.name, p]));
  const memory = remembered();

  function showModels(name) {
    const offer = offers.get(name);
    const wanted = offer.models.includes(memory.models[name]) ? memory.models[name] : offer.defaultModel;
    modelSelect.replaceChildren(...offer.models.map((m) => make('option', {
      value: m, textContent: m, selected: m === wanted })));
    modelSelect.disabled = offer.models.length < 2;
    note.textContent = NOTES[name] ?? '';
  }

  providerSelect.replaceChildren(...listing.providers.map((p) => make('option', {
    value: p.name, textContent: p.name })));
  providerSelect.value = offers.has(memory.provider) ? memory.provider : listing.defaultProvider;
  providerSelect.disabled = offers.size < 2;
  showModels(providerSelect.value);

  providerSelect.addEventListener('change', () => {
    showModels(providerSelect.value);
    save();
  });
  modelSelect.addEventListener('change', save);

  function save() {
    memory.provider = providerSelect.value;
    memory.models[providerSelect.value] = modelSelect.value;
    remember(memory);
  }

  return { choice: () => ({ provider: providerSelect.value, model: modelSelect.value }) };
}
