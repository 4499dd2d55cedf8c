// The console's shell: the API key field, the page tabs (#engines …) and the error line every page reports to.
import { apiKey, setApiKey } from '/ui/api.js';
import * as engines from '/ui/engines.js';
import * as models from '/ui/models.js';
import * as chat from '/ui/chat.js';
import * as bundles from '/ui/bundles.js';
import * as registrations from '/ui/registrations.js';

const PAGES = { engines, models, chat, bundles, registrations };
const errorLine = document.getElementById('error');

export function showError(error) {
  errorLine.textContent = error && error.message ? error.message : String(error);
  errorLine.hidden = false;
}

export function clearError() {
  errorLine.hidden = true;
  errorLine.textContent = '';
}

function currentPage() {
  const name = location.hash.replace('#', '');
  return PAGES[name] ? name : 'engines';
}

async function show() {
  const name = currentPage();
  clearError();
  document.querySelectorAll('nav a').forEach((link) => link.classList.toggle('active', link.dataset.page === name));
  const container = document.getElementById('page');
  container.replaceChildren();
  try {
    await PAGES[name].render(container, { showError, clearError });
  } catch (error) {
    showError(error);
  }
}

const keyField = document.getElementById('api-key');
keyField.value = apiKey();
document.getElementById('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setApiKey(keyField.value.trim());
  show();
});
window.addEventListener('hashchange', show);
show();
