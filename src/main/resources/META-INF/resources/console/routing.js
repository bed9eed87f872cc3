// Routing settings (OWNER): how new chats reach agents, the default chat limit and the no-reply timeout.
// The queue (all staff): chats waiting for an agent, oldest first, per team, kept current by the inbox socket.

import { api } from './api.js';
import { h, when, customerName } from './dom.js';
import { AdminPage, table, fill, field, form, options } from './admin.js';

const MODES = [['MANUAL', 'Manual (agents pick chats)'], ['ROUND_ROBIN', 'Round robin'], ['LEAST_LOADED', 'Least loaded']];

export class RoutingPage extends AdminPage {
  constructor(store) {
    super(store, 'routing', 'Routing', store.me.role === 'OWNER', 'Only owners change routing.');
    if (this.allowed) this.load();
  }

  async load() {
    const settings = await this.run(() => api('GET', '/routing'));
    if (!settings) return;
    this.el.append(form('Settings', 'routing', [
      h('label', {}, 'Mode', h('select', { name: 'mode' }, options(MODES, settings.mode))),
      field('Default max chats per agent (empty: no limit)', { name: 'defaultMaxChats', type: 'number', min: 0, value: settings.defaultMaxChats ?? '' }),
      field('No-reply timeout (e.g. PT5M; empty: off)', { name: 'noReplyTimeout', value: settings.noReplyTimeout ?? '', pattern: 'P.*' }),
    ], 'Save routing', async (f) => {
      await this.run(() => api('PUT', '/routing', {
        mode: f.mode,
        defaultMaxChats: f.defaultMaxChats === '' ? null : Number(f.defaultMaxChats),
        noReplyTimeout: f.noReplyTimeout.trim() || null,
      }), (s) => `Routing: ${s.mode.toLowerCase().replace('_', ' ')}, ${s.defaultMaxChats ?? 'no'} chat limit, no-reply timeout ${s.noReplyTimeout ?? 'off'}.`);
      return false;
    }));
  }
}

export class QueuePage extends AdminPage {
  constructor(store) {
    super(store, 'queue', 'Queue', true);
    this.body = h('tbody');
    this.team = h('select', { id: 'queue-team', onchange: () => this.load() }, h('option', { value: '' }, 'All I may see'));
    this.el.append(
      h('div', { class: 'filters' }, h('label', { for: this.team.id }, 'Team'), this.team,
        h('button', { type: 'button', onclick: () => this.load() }, 'Refresh')),
      table('Chats waiting for an agent, next first', ['#', 'Customer', 'Waiting since', 'Team'], this.body));
    this.teams = new Map();
    this.run(() => api('GET', '/teams')).then((teams = []) => {
      teams.forEach((t) => this.teams.set(t.id, t.name));
      this.team.append(...options(teams.map((t) => [t.id, t.name])));
    });
    this.load();
  }

  async load() {
    const queue = await this.run(() => api('GET', '/queue?limit=200' + (this.team.value ? '&teamId=' + this.team.value : '')));
    if (!queue) return;
    fill(this.body, queue.items.map((item) => h('tr', { 'data-queued': item.chat.id },
      h('td', {}, String(item.position)),
      h('td', {}, h('a', { href: `#/live/requesting/${item.chat.id}` }, customerName(item.chat))),
      h('td', {}, h('time', { datetime: item.waitingSince }, when(item.waitingSince))),
      h('td', {}, item.chat.teamId ? this.teams.get(item.chat.teamId) ?? 'a team' : '—'))), 'Nobody is waiting.', 4);
  }

  /** Queue changes arrive as chat frames; bursts of them cost one reload. */
  onEvent(event) {
    if (!event.type.startsWith('chat.')) return;
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.load(), 300);
  }

  close() { clearTimeout(this.pending); }
}
