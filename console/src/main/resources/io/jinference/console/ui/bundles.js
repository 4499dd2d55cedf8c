// Bundles: the installed OSGi bundles; install a jar, update one, remove one, with the models each drained.
import { get, post, put, del, el } from '/ui/api.js';

export async function render(container, page) {
  const file = el('input', { id: 'bundle-file', type: 'file', accept: '.jar' });
  const outcome = el('p', { id: 'bundle-outcome' });
  const table = el('div', { id: 'bundles' });
  const install = el('form', { id: 'bundle-install', class: 'row' }, file,
    el('button', { id: 'bundle-install-button', type: 'submit' }, 'Install'));
  install.addEventListener('submit', async (event) => {
    event.preventDefault();
    page.clearError();
    if (!file.files[0]) return;
    try {
      const installed = await post(`/v1/engine-bundles?name=${encodeURIComponent(file.files[0].name)}`, file.files[0]);
      outcome.textContent = `Installed ${installed.symbolic_name} ${installed.version} (${installed.state})`;
    } catch (error) {
      page.showError(error);
    }
    await refresh(table, outcome, page);
  });
  container.append(el('section', {}, el('h2', {}, 'Install an engine bundle'), install, outcome),
    el('section', {}, el('h2', {}, 'Installed bundles'), table));
  await refresh(table, outcome, page);
}

async function refresh(table, outcome, page) {
  const list = await get('/v1/engine-bundles').catch((error) => {
    page.showError(error);
    return { bundles: [] };
  });
  table.replaceChildren(el('table', { id: 'bundles-table' },
    el('tr', {}, ['Id', 'Bundle', 'Version', 'State', 'Role', 'Models', ''].map((name) => el('th', {}, name))),
    list.bundles.map((bundle) => {
      const replacement = el('input', { type: 'file', accept: '.jar', class: 'bundle-update-file' });
      return el('tr', { class: 'bundle', 'data-name': bundle.symbolic_name },
        el('td', {}, bundle.id), el('td', {}, bundle.symbolic_name), el('td', {}, bundle.version),
        el('td', {}, bundle.state), el('td', {}, bundle.role),
        el('td', {}, (bundle.models || []).join(', ')),
        el('td', {}, replacement,
          el('button', { class: 'secondary bundle-update', onclick: () => change(() =>
            put(`/v1/engine-bundles/${bundle.id}`, replacement.files[0]), 'Updated', table, outcome, page) }, 'Update'),
          ' ',
          el('button', { class: 'bundle-remove', onclick: () => change(() => del(`/v1/engine-bundles/${bundle.id}`),
            'Removed', table, outcome, page) }, 'Remove')));
    })));
}

async function change(action, verb, table, outcome, page) {
  page.clearError();
  try {
    const bundle = await action();
    // The models the bundle served: drained before the change, relaunched or awaiting their engine after it.
    const drained = bundle.models || [];
    outcome.textContent = `${verb} ${bundle.symbolic_name} ${bundle.version} (${bundle.state})`
      + (drained.length ? `; models drained: ${drained.join(', ')}` : '');
  } catch (error) {
    page.showError(error);
  }
  await refresh(table, outcome, page);
}
