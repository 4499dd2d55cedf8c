// Registrations: custom model families, added from Xinference's family JSON; the validator's errors are shown.
import { get, post, del, el } from '/ui/api.js';

const EXAMPLE = JSON.stringify({
  version: 2, context_length: 2048, model_name: 'my-smollm2', model_lang: ['en'], model_ability: ['chat', 'generate'],
  model_family: 'smollm2-instruct', model_specs: [{ model_format: 'ggufv2', model_size_in_billions: '0_135',
    quantization: 'q4_1', model_uri: 'file:///models/my-smollm2.gguf' }],
}, null, 2);

export async function render(container, page) {
  const json = el('textarea', { id: 'registration-json', rows: 14 }, EXAMPLE);
  const outcome = el('p', { id: 'registration-outcome' });
  const custom = el('div', { id: 'registrations' });
  const form = el('form', { id: 'registration-form' }, json,
    el('div', { class: 'row' }, el('button', { id: 'registration-add', type: 'submit' }, 'Register')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    page.clearError();
    let family;
    try {
      family = JSON.parse(json.value);
    } catch (error) {
      page.showError(new Error(`Not JSON: ${error.message}`));
      return;
    }
    try {
      await post('/v1/model_registrations/LLM', { model: JSON.stringify(family), persist: true });
      outcome.textContent = `Registered ${family.model_name}`;
    } catch (error) {
      page.showError(error);
    }
    await refresh(custom, outcome, page);
  });
  container.append(el('section', {}, el('h2', {}, 'Add a registration'), form, outcome),
    el('section', {}, el('h2', {}, 'Custom registrations'), custom));
  await refresh(custom, outcome, page);
}

async function refresh(custom, outcome, page) {
  const families = (await get('/v1/model_registrations/LLM')).filter((family) => !family.is_builtin);
  custom.replaceChildren(families.length === 0 ? el('p', { class: 'muted' }, 'None yet.')
    : el('ul', {}, families.map((family) => el('li', { class: 'registration' }, family.model_name, ' ',
      el('button', { class: 'secondary', onclick: async () => {
        page.clearError();
        try {
          await del(`/v1/model_registrations/LLM/${encodeURIComponent(family.model_name)}`);
          outcome.textContent = `Unregistered ${family.model_name}`;
        } catch (error) {
          page.showError(error);
        }
        await refresh(custom, outcome, page);
      } }, 'Unregister')))));
}
