// Chat: a playground that streams tokens from a running model, with a system prompt, temperature and max tokens,
// and shows tokens per second.
import { get, streamChat, el } from '/ui/api.js';

let running;

export async function render(container, page) {
  const models = await get('/v1/models');
  const form = el('form', { id: 'chat-form' },
    el('div', { class: 'row' },
      el('label', {}, 'Model', el('select', { id: 'chat-model' },
        models.data.map((model) => el('option', { value: model.id }, model.id)))),
      el('label', {}, 'Temperature', el('input', { id: 'chat-temperature', type: 'number', step: '0.1', min: '0',
        max: '2', value: '0' })),
      el('label', {}, 'Max tokens', el('input', { id: 'chat-max-tokens', type: 'number', min: '1', value: '64' }))),
    el('label', {}, 'System prompt', el('textarea', { id: 'chat-system', rows: 2 })),
    el('label', {}, 'Message', el('textarea', { id: 'chat-message', rows: 3 },
      'What is the capital of France? Answer in one word.')),
    el('div', { class: 'row' }, el('button', { id: 'chat-send', type: 'submit' }, 'Send'),
      el('button', { id: 'chat-stop', type: 'button', class: 'secondary', onclick: () => running && running.abort() },
        'Stop'),
      el('span', { id: 'chat-speed', class: 'muted' })));
  const output = el('div', { id: 'chat-output' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(output, page);
  });
  container.append(el('section', {}, el('h2', {}, 'Chat'),
    models.data.length === 0 ? el('p', { class: 'muted' }, 'No model is running: launch one on the Models page.') : '',
    form, el('h2', {}, 'Answer'), output));
}

async function send(output, page) {
  page.clearError();
  const value = (id) => document.getElementById(id).value;
  const messages = [];
  if (value('chat-system').trim()) messages.push({ role: 'system', content: value('chat-system') });
  messages.push({ role: 'user', content: value('chat-message') });
  const speed = document.getElementById('chat-speed');
  output.textContent = '';
  speed.textContent = '';
  running = new AbortController();
  let first;
  let tokens = 0;
  try {
    for await (const chunk of streamChat({ model: value('chat-model'), messages,
      temperature: Number(value('chat-temperature')), max_tokens: Number(value('chat-max-tokens')) },
    running.signal)) {
      const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
      if (delta && delta.content) {
        first = first || performance.now();
        tokens += 1;
        output.textContent += delta.content;
      }
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
      if (first) speed.textContent = rate(tokens, first);
    }
    output.dataset.done = 'true';
  } catch (error) {
    if (error.name !== 'AbortError') page.showError(error);
  }
}

function rate(tokens, first) {
  const seconds = (performance.now() - first) / 1000;
  return seconds > 0 ? `${tokens} tokens, ${(tokens / seconds).toFixed(1)} tok/s` : `${tokens} tokens`;
}
