// Outbound webhooks (OWNER): endpoints, their signing secrets (shown once), and the delivery log
// with replay.

import { api } from './api.js';
import { h, replace, when } from './dom.js';
import { AdminPage, table, fill, field, form } from './admin.js';

const EVENTS = ['chat.custody_changed', 'chat.queued', 'chat.resolved', 'message.created', 'note.created', 'message.status',
  'offer.created', 'offer.accepted', 'offer.declined', 'offer.expired', 'offer.cancelled'];

export class WebhooksPage extends AdminPage {
  constructor(store) {
    super(store, 'webhooks', 'Webhooks', store.me.role === 'OWNER', 'Only owners manage webhooks.');
    if (!this.allowed) return;
    this.body = h('tbody');
    this.secret = h('p', { class: 'notice ok secret', role: 'status' });
    this.deliveries = h('section', { class: 'detail', 'aria-live': 'polite' });
    this.el.append(this.secret,
      table('Webhook endpoints', ['URL', 'Events', 'Status', 'Actions'], this.body),
      this.deliveries,
      form('New endpoint', 'webhook', [
        field('URL', { name: 'url', type: 'url', required: true, maxlength: 2000 }),
        field('Description (optional)', { name: 'description', maxlength: 200 }),
        h('fieldset', { class: 'events' }, h('legend', {}, 'Events'),
          EVENTS.map((e) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'event', value: e }), e))),
      ], 'Create endpoint', async (f, el) => {
        const events = [...el.querySelectorAll('input[name=event]:checked')].map((box) => box.value);
        const body = { url: f.url, events };
        if (f.description) body.description = f.description;
        const created = await this.run(() => api('POST', '/webhooks', body), (w) => `Created the endpoint for ${w.url}.`);
        if (created) this.showSecret(created);
        this.load();
        return Boolean(created);
      }));
    this.load();
  }

  showSecret(endpoint) {
    replace(this.secret, `Signing secret for ${endpoint.url} (shown once, copy it now): `, h('code', {}, endpoint.secret),
      endpoint.previousSecretUntil ? ` — the previous secret also signs until ${when(endpoint.previousSecretUntil)}.` : '');
  }

  async load() {
    const endpoints = await this.run(() => api('GET', '/webhooks'));
    if (!endpoints) return;
    fill(this.body, endpoints.map((w) => h('tr', { 'data-webhook': w.url },
      h('td', {}, h('code', {}, w.url), w.description ? h('div', { class: 'hint' }, w.description) : null),
      h('td', {}, w.events.join(', ')),
      h('td', {}, w.active ? 'active' : `disabled${w.disabledReason ? ': ' + w.disabledReason : ''}`),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', onclick: () => this.showDeliveries(w) }, `Deliveries of ${w.url}`),
        h('button', { type: 'button', onclick: () => this.rotate(w) }, `Rotate secret of ${w.url}`),
        h('button', { type: 'button', onclick: () => this.toggle(w) }, `${w.active ? 'Disable' : 'Enable'} ${w.url}`)))),
    'No endpoints yet.', 4);
  }

  async rotate(endpoint) {
    const rotated = await this.run(() => api('POST', `/webhooks/${endpoint.id}/rotate-secret`, {}), () => `Rotated the secret of ${endpoint.url}.`);
    if (rotated) this.showSecret(rotated);
  }

  async toggle(endpoint) {
    await this.run(() => api('PATCH', `/webhooks/${endpoint.id}`, { active: !endpoint.active }),
      (w) => `${w.url} is ${w.active ? 'enabled' : 'disabled'}.`);
    this.load();
  }

  async showDeliveries(endpoint) {
    const page = await this.run(() => api('GET', `/webhooks/${endpoint.id}/deliveries?limit=50`));
    if (!page) return;
    const body = h('tbody');
    fill(body, page.items.map((d) => h('tr', { 'data-delivery': d.id },
      h('td', {}, d.eventType), h('td', {}, d.status.toLowerCase()), h('td', {}, String(d.attempts)),
      h('td', {}, d.responseStatus ? `HTTP ${d.responseStatus}` : d.lastError ?? ''),
      h('td', {}, when(d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt)),
      h('td', {}, d.status === 'SENDING' ? '' : h('button', { type: 'button', onclick: () => this.replay(endpoint, d) }, `Replay ${d.eventType}`)))),
    'Nothing delivered yet.', 6);
    replace(this.deliveries, h('h2', { tabindex: -1 }, `Deliveries to ${endpoint.url}, newest first`),
      table(`Deliveries to ${endpoint.url}`, ['Event', 'Status', 'Attempts', 'Last answer', 'When', ''], body));
    this.deliveries.querySelector('h2').focus();
  }

  async replay(endpoint, delivery) {
    await this.run(() => api('POST', `/webhooks/${endpoint.id}/deliveries/${delivery.id}/replay`, {}),
      () => `${delivery.eventType} (${delivery.messageId}) is queued to be delivered again.`);
    this.showDeliveries(endpoint);
  }
}
