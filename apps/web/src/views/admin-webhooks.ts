import type { components } from '../../../../clients/typescript/schema.js';
import { del, get, post } from '../api.js';
import type { Page } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { formatInstant } from '../format.js';
import { confirmButton, labelledField, problemBox, problemForm } from '../widgets.js';

type Webhook = components['schemas']['Webhook'];
type Delivery = components['schemas']['DeliveryAttempt'];
type Replay = components['schemas']['WebhookReplay'];

const STATE_LABELS: Record<Webhook['state'], string> = { idle: 'Idle (up to date)', delivering: 'Delivering', retrying: 'Retrying', stopped: 'Stopped' };

/** Admins only: the webhooks, register one, its delivery log, replay from a position, delete. */
export const renderWebhooks: Page = async (main, context) => {
  if (context.principal.role !== 'admin') {
    replaceChildren(main, h('h1', {}, 'Webhooks'), h('p', {}, 'Only administrators manage webhooks.'));
    return;
  }
  const status = h('p', { class: 'success', role: 'status', id: 'webhooks-status' });
  const listSlot = h('div', { class: 'webhooks' });
  const refresh = async (message?: string) => {
    const webhooks = await get<Webhook[]>('/v1/webhooks');
    replaceChildren(listSlot, webhooks.length === 0 ? h('p', {}, 'No webhooks yet.') : webhooks.map((webhook) => webhookCard(webhook, refresh)));
    if (message) {
      status.textContent = message;
      announce(message);
    }
  };
  await refresh();
  replaceChildren(
    main,
    h('h1', {}, 'Webhooks'),
    h('p', { class: 'muted' }, 'Receivers of launch events, each POST signed with its secret (see the README for the signature).'),
    createForm(refresh),
    status,
    h('h2', {}, 'Registered webhooks'),
    listSlot,
  );
};

function createForm(refresh: (message?: string) => Promise<void>): HTMLFormElement {
  const urlInput = h('input', { type: 'url', autocomplete: 'off', placeholder: 'https://hooks.example.com/launch-control' });
  const secretInput = h('input', { type: 'password', autocomplete: 'new-password' });
  const eventsInput = h('input', { type: 'text', autocomplete: 'off' });
  const fromInput = h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric' });
  const url = labelledField('new-webhook', 'url', 'Receiver URL', urlInput);
  const secret = labelledField(
    'new-webhook',
    'secret',
    'Signing secret',
    secretInput,
    '16 to 256 characters; it signs every delivery and is never shown again',
  );
  const events = labelledField(
    'new-webhook',
    'events',
    'Event types (optional)',
    eventsInput,
    'Comma-separated, e.g. GoDecided, LaunchCompleted; empty: every launch event',
  );
  const from = labelledField('new-webhook', 'fromPosition', 'Deliver stored events from position (optional)', fromInput, 'Empty: only events from now on');
  const form = problemForm('Register a webhook', [url, secret, events, from], 'Register webhook', async () => {
    const names = eventsInput.value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const created = await post<Webhook>('/v1/webhooks', {
      url: urlInput.value.trim(),
      secret: secretInput.value,
      ...(names.length ? { events: names } : {}),
      ...(fromInput.value.trim() ? { fromPosition: Number(fromInput.value) } : {}),
    });
    for (const input of [urlInput, secretInput, eventsInput, fromInput]) input.value = '';
    await refresh(`Registered the webhook to ${created.url}.`);
  });
  form.classList.add('admin-form');
  return form;
}

function webhookCard(webhook: Webhook, refresh: (message?: string) => Promise<void>): HTMLElement {
  const prefix = `wh-${webhook.id.slice(0, 8)}`;
  const deliveries = h('div', { id: `${prefix}-deliveries` });
  const showDeliveries = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': `${prefix}-deliveries` }, 'Deliveries');
  showDeliveries.addEventListener('click', async () => {
    if (showDeliveries.getAttribute('aria-expanded') === 'true') {
      showDeliveries.setAttribute('aria-expanded', 'false');
      replaceChildren(deliveries);
      return;
    }
    showDeliveries.setAttribute('aria-expanded', 'true');
    try {
      replaceChildren(deliveries, deliveryTable(await get<Delivery[]>(`/v1/webhooks/${webhook.id}/deliveries?limit=50`)));
    } catch (error) {
      replaceChildren(deliveries, problemBox((error as Error).message));
    }
  });
  const fromInput = h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric', value: 0 });
  const from = labelledField(prefix, 'fromPosition', 'Replay from global position', fromInput);
  const replay = problemForm('Replay', [from], 'Replay events', async () => {
    const answer = await post<Replay>(`/v1/webhooks/${webhook.id}/replay`, {
      fromPosition: fromInput.value.trim() === '' ? undefined : Number(fromInput.value),
    });
    await refresh(`Replaying events from position ${answer.fromPosition} to ${webhook.url}.`);
  });
  return h(
    'section',
    { class: 'card webhook', 'data-webhook-id': webhook.id, 'aria-label': `Webhook to ${webhook.url}` },
    h('h3', { class: 'webhook-url' }, webhook.url),
    h(
      'dl',
      { class: 'evidence' },
      h('dt', {}, 'State'),
      h('dd', {}, STATE_LABELS[webhook.state] ?? webhook.state),
      h('dt', {}, 'Events'),
      h('dd', {}, webhook.events ? webhook.events.join(', ') : 'Every launch event'),
      h('dt', {}, 'Position'),
      h('dd', {}, String(webhook.position)),
      h('dt', {}, 'Created'),
      h('dd', {}, formatInstant(webhook.createdAt)),
      webhook.lastError
        ? [
            h('dt', {}, 'Last error'),
            h(
              'dd',
              {},
              `${webhook.lastError.message}${webhook.lastError.httpStatus ? ` (HTTP ${webhook.lastError.httpStatus})` : ''}, attempt ${webhook.lastError.attempt}, ${formatInstant(webhook.lastError.at)}`,
            ),
          ]
        : null,
      webhook.nextAttemptAt ? [h('dt', {}, 'Next attempt'), h('dd', {}, formatInstant(webhook.nextAttemptAt))] : null,
    ),
    h(
      'div',
      { class: 'actions' },
      showDeliveries,
      confirmButton(
        ['Delete', h('span', { class: 'visually-hidden' }, ` the webhook to ${webhook.url}`)],
        'Delete this webhook? Deliveries stop at once.',
        'Yes, delete',
        async () => {
          await del(`/v1/webhooks/${webhook.id}`);
          await refresh(`Deleted the webhook to ${webhook.url}.`);
        },
      ),
    ),
    deliveries,
    replay,
  );
}

function deliveryTable(attempts: Delivery[]): HTMLElement {
  if (attempts.length === 0) return h('p', { class: 'muted' }, 'No delivery attempts yet.');
  const headings = ['When', 'Event', 'Position', 'Attempt', 'Result', 'Time'];
  return h(
    'table',
    { class: 'compact stack-on-phone' },
    h('caption', {}, 'Recent delivery attempts, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headings.map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      attempts.map((attempt) =>
        h(
          'tr',
          {},
          h('td', { 'data-label': 'When' }, formatInstant(attempt.at)),
          h('td', { 'data-label': 'Event' }, attempt.type),
          h('td', { 'data-label': 'Position' }, String(attempt.position)),
          h('td', { 'data-label': 'Attempt' }, String(attempt.attempt)),
          h(
            'td',
            { 'data-label': 'Result', class: attempt.status === 'failed' ? 'past' : '' },
            attempt.status === 'delivered'
              ? `Delivered${attempt.httpStatus ? ` (${attempt.httpStatus})` : ''}`
              : `Failed: ${attempt.error ?? `HTTP ${attempt.httpStatus}`}`,
          ),
          h('td', { 'data-label': 'Time' }, `${attempt.durationMs} ms`),
        ),
      ),
    ),
  );
}
