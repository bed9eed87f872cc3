// WhatsApp channels (OWNER): connect a number, see where Meta must call, and follow its sends
// (the dead letters among them can be sent again).

import { api } from './api.js';
import { h, replace, when } from './dom.js';
import { AdminPage, table, fill, field, form } from './admin.js';

export class ChannelsPage extends AdminPage {
  constructor(store) {
    super(store, 'channels', 'Channels', store.me.role === 'OWNER', 'Only owners manage channels.');
    if (!this.allowed) return;
    this.body = h('tbody');
    this.sends = h('section', { class: 'detail', 'aria-live': 'polite' });
    this.el.append(
      table('WhatsApp channels', ['Name', 'Phone number id', 'Webhook (callback URL, verify token)', 'Status', 'Sends'], this.body),
      this.sends,
      form('New WhatsApp channel', 'channel', [
        field('Name', { name: 'name', required: true, maxlength: 100 }),
        field('Phone number id', { name: 'phoneNumberId', required: true, pattern: '[0-9]{1,32}', inputmode: 'numeric' }),
        field('Business account id (optional)', { name: 'businessAccountId', pattern: '[0-9]{1,32}', inputmode: 'numeric' }),
        field('Access token', { name: 'accessToken', type: 'password', required: true, autocomplete: 'new-password' }),
        field('App secret', { name: 'appSecret', type: 'password', required: true, autocomplete: 'new-password' }),
      ], 'Create channel', async (f) => {
        const body = { type: 'WHATSAPP_CLOUD', ...f };
        if (!body.businessAccountId) delete body.businessAccountId;
        const channel = await this.run(() => api('POST', '/channels', body),
          (c) => `Created ${c.name}. In Meta's App Dashboard set the callback URL to ${location.origin}${c.webhookPath} and the verify token to ${c.verifyToken}.`);
        this.load();
        return Boolean(channel);
      }));
    this.load();
  }

  async load() {
    const channels = await this.run(() => api('GET', '/channels'));
    if (!channels) return;
    fill(this.body, channels.map((c) => h('tr', { 'data-channel': c.name },
      h('td', {}, c.name), h('td', {}, c.phoneNumberId),
      h('td', {}, h('code', {}, location.origin + c.webhookPath), h('br'), h('code', {}, c.verifyToken)),
      h('td', {}, c.active ? 'active' : 'inactive'),
      h('td', {}, h('button', { type: 'button', onclick: () => this.showSends(c) }, `Sends of ${c.name}`)))), 'No channels yet.', 5);
  }

  async showSends(channel) {
    const sends = await this.run(() => api('GET', `/channels/${channel.id}/sends?limit=50`));
    if (!sends) return;
    const body = h('tbody');
    fill(body, sends.map((s) => h('tr', { 'data-send': `${s.chatId}/${s.seq}` },
      h('td', {}, h('a', { href: `#/live/mine/${s.chatId}` }, `${s.chatId.slice(0, 8)}… #${s.seq}`)),
      h('td', {}, s.status.toLowerCase()), h('td', {}, String(s.attempts)),
      h('td', {}, s.lastError ? s.lastError.title ?? s.lastError.code : ''),
      h('td', {}, when(s.sentAt ?? s.createdAt)),
      h('td', {}, s.status === 'FAILED'
        ? h('button', { type: 'button', onclick: () => this.replay(channel, s) }, `Send #${s.seq} again`) : ''))),
    'Nothing sent yet.', 6);
    replace(this.sends, h('h2', { tabindex: -1 }, `Sends of ${channel.name}, newest first`),
      table(`Sends of ${channel.name}`, ['Message', 'Status', 'Attempts', 'Last error', 'When', ''], body));
    this.sends.querySelector('h2').focus();
  }

  async replay(channel, send) {
    await this.run(() => api('POST', `/channels/${channel.id}/sends/${send.chatId}/${send.seq}/replay`, {}),
      () => `Message #${send.seq} is queued to be sent again.`);
    this.showSends(channel);
  }
}
