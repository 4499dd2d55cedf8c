// Engines: the installed engine bundles with their declared capabilities, and for one model each engine's yes or
// its reasons, on this host or on a host profile preset.
import { get, el } from '/ui/api.js';

const PROFILES = ['', 'linux-x86_64-cpu', 'linux-x86_64-cuda', 'linux-x86_64-cuda-x4', 'macos-arm64',
  'windows-x86_64-cpu'];

export async function render(container, page) {
  const installed = el('section', { id: 'engines-installed' }, el('h2', {}, 'Installed engines'));
  const explainForm = el('form', { id: 'explain-form', class: 'row' },
    el('label', {}, 'Model', el('input', { id: 'explain-model', value: 'smollm2-instruct', required: true })),
    el('label', {}, 'Host', el('select', { id: 'explain-profile' },
      PROFILES.map((name) => el('option', { value: name }, name || 'this host')))),
    el('button', { id: 'explain-button', type: 'submit' }, 'Explain'));
  const result = el('div', { id: 'explain-result' });
  explainForm.addEventListener('submit', (event) => {
    event.preventDefault();
    explain(result, page);
  });
  container.append(installed, el('section', {}, el('h2', {}, 'Which engine can run a model'), explainForm, result));
  try {
    const list = await get('/v1/engine-bundles');
    installed.append(bundleTable(list.bundles.filter((bundle) => bundle.engines.length > 0)));
  } catch (error) {
    page.showError(error);
  }
}

function bundleTable(bundles) {
  return el('table', { id: 'engines-table' },
    el('tr', {}, ['Engine', 'Version', 'Backend', 'State', 'Formats', 'Devices', 'Abilities', 'Bundle']
      .map((name) => el('th', {}, name))),
    bundles.flatMap((bundle) => bundle.engines.map((engine) => el('tr', { class: 'engine' },
      el('td', {}, engine.engine), el('td', {}, engine.version), el('td', {}, engine.backend || ''),
      el('td', {}, bundle.state), el('td', {}, list(engine.formats)), el('td', {}, list(engine.devices)),
      el('td', {}, list(engine.abilities)), el('td', { class: 'muted' }, `${bundle.symbolic_name} ${bundle.version}`)))));
}

/** Capability lists arrive as their string form, "[a, b]". */
function list(value) {
  return (value || '').replace(/^\[|\]$/g, '');
}

async function explain(result, page) {
  page.clearError();
  result.replaceChildren(el('p', { class: 'muted' }, 'Asking the registry…'));
  const model = document.getElementById('explain-model').value.trim();
  const profile = document.getElementById('explain-profile').value;
  const query = profile ? `?host_profile=${encodeURIComponent(profile)}` : '';
  try {
    const decision = await get(`/v1/engines/${encodeURIComponent(model)}/explain${query}`);
    result.replaceChildren(choice(decision.choice, profile), candidates(decision.candidates));
  } catch (error) {
    result.replaceChildren();
    page.showError(error);
  }
}

function choice(chosen, profile) {
  const where = profile || 'this host';
  if (!chosen) return el('p', { id: 'explain-choice', class: 'no' }, `No engine can run it on ${where}.`);
  return el('p', { id: 'explain-choice' }, el('span', { class: 'yes' }, `On ${where}: ${chosen.engine}`),
    chosen.backend ? ` (${chosen.backend})` : '', ` — ${chosen.model_format} ${chosen.quantization || ''}. `,
    el('span', { class: 'muted' }, chosen.why));
}

function candidates(all) {
  return el('table', { id: 'explain-candidates' },
    el('tr', {}, ['Engine', 'Backend', 'Can run', 'Why not'].map((name) => el('th', {}, name))),
    all.map((candidate) => {
      const yes = candidate.available && candidate.specs.length > 0;
      return el('tr', { class: 'candidate', 'data-engine': candidate.engine },
      el('td', {}, `${candidate.engine} ${candidate.engine_version}`), el('td', {}, candidate.backend || ''),
      el('td', { class: yes ? 'yes' : 'no' }, yes ? 'yes' : 'no'),
      el('td', { class: 'reasons' }, el('ul', {}, (candidate.reasons || []).map((reason) =>
        el('li', {}, `${reason.code}: ${reason.message}`)))));
    }));
}
