// Agents admin: OWNERs and MANAGERs list and create agents; OWNERs change roles and (de)activate.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { AdminPage, table, field, form, options } from './admin.js';

const ROLES = ['AGENT', 'MANAGER', 'OWNER'];

export class AgentsPage extends AdminPage {
  constructor(store) {
    super(store, 'agents', 'Agents', store.supervises(), 'Only owners and managers manage agents.');
    if (!this.allowed) return;
    this.body = h('tbody');
    const roles = this.owner() ? ROLES : ['AGENT'];
    this.el.append(
      table('Agents of this workspace', ['Username', 'Name', 'Role', 'Availability', 'Status', 'Actions'], this.body),
      form('New agent', 'agent', [
        field('Username', { name: 'username', required: true }),
        field('Display name', { name: 'displayName', required: true }),
        field('Password', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' }),
        h('label', {}, 'Role', h('select', { name: 'role' }, options(roles.map((r) => [r, r.toLowerCase()])))),
      ], 'Create agent', async (f) => {
        const created = await this.run(() => api('POST', '/agents', f), (a) => `Created ${a.username}.`);
        this.load();
        return Boolean(created);
      }));
    this.load();
  }

  owner() { return this.store.me.role === 'OWNER'; }

  async load() {
    const agents = await this.run(() => api('GET', '/agents'));
    if (agents) replace(this.body, agents.map((a) => this.row(a)));
  }

  row(agent) {
    const self = agent.id === this.store.me.id;
    let role = agent.role.toLowerCase();
    if (this.owner() && !self) {
      role = h('select', { 'aria-label': `Role of ${agent.username}`, onchange: (e) => this.change(agent, { role: e.target.value }) },
        options(ROLES.map((r) => [r, r.toLowerCase()]), agent.role));
    }
    const action = this.owner() && !self
      ? h('button', { type: 'button', onclick: () => this.change(agent, { active: !agent.active }) },
        agent.active ? `Deactivate ${agent.username}` : `Reactivate ${agent.username}`)
      : '';
    return h('tr', { 'data-agent': agent.username },
      h('td', {}, agent.username), h('td', {}, agent.displayName), h('td', {}, role),
      h('td', {}, agent.availability.toLowerCase()), h('td', {}, agent.active ? 'active' : 'deactivated'), h('td', {}, action));
  }

  async change(agent, patch) {
    await this.run(() => api('PATCH', `/agents/${agent.id}`, patch),
      (a) => `${a.username}: ${a.role.toLowerCase()}, ${a.active ? 'active' : 'deactivated'}.`);
    this.load();
  }
}
