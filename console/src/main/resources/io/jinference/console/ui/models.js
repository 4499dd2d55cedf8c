// Models: the catalog and registrations (searchable), a launch form whose choices come from /v1/engines/{model}
// with the registry's choice and why, launch progress, and the running models with state, engine, log tail and
// terminate.
import { get, post, del, el } from '/ui/api.js';

let timer;

export async function render(container, page) {
  clearInterval(timer);
  const search = el('input', { id: 'catalog-search', placeholder: 'search models' });
  const catalog = el('ul', { id: 'catalog' });
  const form = launchForm(page);
  const running = el('div', { id: 'running' });
  container.append(
    el('section', {}, el('h2', {}, 'Launch a model'), form),
    el('section', {}, el('h2', {}, 'Running models'), running, el('div', { id: 'model-log' })),
    el('section', {}, el('h2', {}, 'Catalog and registrations'), search, catalog));
  const families = await get('/v1/model_registrations/LLM');
  const showCatalog = () => {
    const wanted = search.value.trim().toLowerCase();
    catalog.replaceChildren(...families.filter((family) => family.model_name.toLowerCase().includes(wanted))
      .map((family) => el('li', {}, el('a', { href: '#models', class: 'family', onclick: (event) => {
        event.preventDefault();
        document.getElementById('launch-model').value = family.model_name;
        loadChoices(page);
      } }, family.model_name), family.is_builtin ? '' : el('span', { class: 'muted' }, ' (registered)'))));
  };
  search.addEventListener('input', showCatalog);
  showCatalog();
  await refreshRunning(running, page);
  timer = setInterval(() => {
    if (!document.body.contains(running)) {
      clearInterval(timer);
      return;
    }
    refreshRunning(running, page);
  }, 2000);
}

function launchForm(page) {
  const select = (id, label) => el('label', {}, label, el('select', { id }));
  const form = el('form', { id: 'launch-form' },
    el('div', { class: 'row' },
      el('label', {}, 'Model', el('input', { id: 'launch-model', value: 'smollm2-instruct', required: true })),
      el('button', { id: 'launch-choices', type: 'button', class: 'secondary', onclick: () => loadChoices(page) },
        'Show choices')),
    el('div', { class: 'row' }, select('launch-engine', 'Engine'), select('launch-format', 'Format'),
      select('launch-size', 'Size (B)'), select('launch-quantization', 'Quantization')),
    el('p', { id: 'launch-why', class: 'muted' }),
    el('ul', { id: 'launch-refused', class: 'muted' }),
    el('div', { class: 'row' },
      el('label', {}, 'Model UID (optional)', el('input', { id: 'launch-uid' })),
      el('label', {}, 'Local model file (optional)', el('input', { id: 'launch-path', size: 50 })),
      el('button', { id: 'launch-button', type: 'submit' }, 'Launch')),
    el('p', { id: 'launch-progress' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    launch(page);
  });
  form.querySelectorAll('select').forEach((choice) => choice.addEventListener('change', () => explainChoice(page)));
  return form;
}

let choices = {};

/** Engine → specs from /v1/engines/{model}, then the registry's own choice for what is selected. */
async function loadChoices(page) {
  page.clearError();
  const model = document.getElementById('launch-model').value.trim();
  try {
    choices = await get(`/v1/engines/${encodeURIComponent(model)}`);
  } catch (error) {
    page.showError(error);
    return;
  }
  // An engine that can run the model lists its specs; one that cannot says why, in a sentence.
  const engines = Object.keys(choices).filter((engine) => Array.isArray(choices[engine]));
  document.getElementById('launch-refused').replaceChildren(...Object.keys(choices)
    .filter((engine) => !Array.isArray(choices[engine]))
    .map((engine) => el('li', {}, el('span', { class: 'no' }, engine), `: ${choices[engine]}`)));
  fill('launch-engine', [''].concat(engines), 'registry picks');
  const specs = engines.flatMap((engine) => choices[engine]);
  fill('launch-format', [''].concat(unique(specs.map((spec) => spec.model_format))), 'any');
  fill('launch-size', [''].concat(unique(specs.map((spec) => String(spec.model_size_in_billions)))), 'any');
  fill('launch-quantization', [''].concat(unique(specs.flatMap((spec) => spec.quantizations || []))), 'any');
  await explainChoice(page);
}

function unique(values) {
  return [...new Set(values)];
}

function fill(id, values, blank) {
  const select = document.getElementById(id);
  select.replaceChildren(...values.map((value) => el('option', { value }, value || blank)));
}

function selection() {
  const value = (id) => document.getElementById(id).value.trim();
  const body = { model_name: value('launch-model') };
  const fields = { model_engine: 'launch-engine', model_format: 'launch-format',
    model_size_in_billions: 'launch-size', quantization: 'launch-quantization', model_uid: 'launch-uid',
    model_path: 'launch-path' };
  for (const [field, id] of Object.entries(fields)) if (value(id)) body[field] = value(id);
  return body;
}

async function explainChoice(page) {
  const body = selection();
  const query = new URLSearchParams();
  for (const field of ['model_engine', 'model_format', 'model_size_in_billions', 'quantization']) {
    if (body[field]) query.set(field, body[field]);
  }
  const why = document.getElementById('launch-why');
  try {
    const decision = await get(`/v1/engines/${encodeURIComponent(body.model_name)}/explain?${query}`);
    why.textContent = decision.choice
      ? `The registry would launch ${decision.choice.engine} (${decision.choice.backend || 'default'}), `
        + `${decision.choice.model_format} ${decision.choice.quantization || ''}: ${decision.choice.why}`
      : 'No installed engine can run this selection here.';
  } catch (error) {
    why.textContent = '';
    page.showError(error);
  }
}

async function launch(page) {
  page.clearError();
  const progress = document.getElementById('launch-progress');
  progress.textContent = 'Launching…';
  let uid;
  try {
    uid = (await post('/v1/models?wait_ready=false', selection())).model_uid;
  } catch (error) {
    progress.textContent = '';
    page.showError(error);
    return;
  }
  for (;;) {
    let state;
    try {
      state = await get(`/v1/models/${encodeURIComponent(uid)}/progress`);
    } catch (error) {
      page.showError(error);
      return;
    }
    const download = state.download;
    progress.replaceChildren(`${uid}: ${state.status}`,
      download && download.total_bytes ? el('progress', { max: download.total_bytes, value: download.downloaded_bytes })
        : '');
    if (state.status === 'ready') {
      progress.replaceChildren(el('span', { id: 'launch-ready', class: 'yes' }, `${uid} is ready`));
      return;
    }
    if (state.status === 'failed') {
      progress.textContent = '';
      page.showError(new Error(`Launch of ${uid} failed: ${state.failure}`));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function refreshRunning(running, page) {
  let listed;
  try {
    listed = await get('/v1/models');
  } catch (error) {
    page.showError(error);
    return;
  }
  const rows = await Promise.all(listed.data.map(async (model) => {
    const described = await get(`/v1/models/${encodeURIComponent(model.id)}`).catch(() => ({}));
    return el('tr', { class: 'running-model', 'data-uid': model.id },
      el('td', {}, model.id), el('td', { class: 'model-state' }, described.status || ''),
      el('td', {}, `${described.model_engine || ''} ${described.engine_version || ''}`),
      el('td', {}, `${described.model_format || ''} ${described.quantization || ''}`),
      el('td', {}, el('button', { class: 'secondary show-log', onclick: () => showLog(model.id, page) }, 'Log'), ' ',
        el('button', { class: 'terminate', onclick: () => terminate(model.id, running, page) }, 'Terminate')));
  }));
  running.replaceChildren(rows.length === 0 ? el('p', { class: 'muted', id: 'no-models' }, 'No model is running.')
    : el('table', { id: 'running-table' },
      el('tr', {}, ['UID', 'State', 'Engine', 'Format', ''].map((name) => el('th', {}, name))), rows));
}

async function showLog(uid, page) {
  try {
    const log = await get(`/v1/models/${encodeURIComponent(uid)}/logs`);
    document.getElementById('model-log').replaceChildren(el('h2', {}, `Log of ${uid}`),
      el('pre', { class: 'log' }, log.lines.join('\n') || '(nothing logged)'));
  } catch (error) {
    page.showError(error);
  }
}

async function terminate(uid, running, page) {
  page.clearError();
  try {
    await del(`/v1/models/${encodeURIComponent(uid)}`);
  } catch (error) {
    page.showError(error);
  }
  await refreshRunning(running, page);
}
