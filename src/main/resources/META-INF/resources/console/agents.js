// Agents admin: OWNERs and MANAGERs list and create agents; OWNERs change roles and (de)activate.

import { api } from './api.js';
import { h, replace } from './dom.js';

const ROLES = ['AGENT', 'MANAGER', 'OWNER'];

export class AgentsPage {
  constructor(store) {
    this.store = store;
    this.alert = h('p', { class: 'error', role: 'alert' });
    this.status = h('p', { class: 'notice ok', role: 'status' });
    this.body = h('tbody');
    this.el = h('section', { class: 'agents', 'aria-labelledby': 'agents-title' },
      h('h1', { id: 'agents-title', tabindex: -1 }, 'Agents'), this.alert, this.status);
    if (!store.supervises()) {
      this.alert.textContent = 'Only owners and managers manage agents.';
      return;
    }
    this.el.append(
      h('table', {}, h('caption', { class: 'visually-hidden' }, 'Agents of this workspace'),
        h('thead', {}, h('tr', {}, ['Username', 'Name', 'Role', 'Availability', 'Status', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
        this.body),
      this.createForm());
    this.load();
  }

  owner() { return this.store.me.role === 'OWNER'; }

  async load() {
    try {
      replace(this.body, (await api('GET', '/agents')).map((a) => this.row(a)));
    } catch (e) {
      this.alert.textContent = e.message;
    }
  }

  row(agent) {
    const self = agent.id === this.store.me.id;
    let role = agent.role.toLowerCase();
    if (this.owner() && !self) {
      role = h('select', { 'aria-label': `Role of ${agent.username}`, onchange: (e) => this.change(agent, { role: e.target.value }) },
        ROLES.map((r) => h('option', { value: r, selected: r === agent.role }, r.toLowerCase())));
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
    this.alert.textContent = '';
    try {
      const changed = await api('PATCH', `/agents/${agent.id}`, patch);
      this.status.textContent = `${changed.username}: ${changed.role.toLowerCase()}, ${changed.active ? 'active' : 'deactivated'}.`;
    } catch (e) {
      this.alert.textContent = e.message;
    }
    this.load();
  }

  createForm() {
    const roles = this.owner() ? ROLES : ['AGENT'];
    const form = h('form', { class: 'create', 'aria-labelledby': 'create-title' },
      h('h2', { id: 'create-title' }, 'New agent'),
      h('label', {}, 'Username', h('input', { name: 'username', required: true, autocomplete: 'off' })),
      h('label', {}, 'Display name', h('input', { name: 'displayName', required: true, autocomplete: 'off' })),
      h('label', {}, 'Password', h('input', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' })),
      h('label', {}, 'Role', h('select', { name: 'role' }, roles.map((r) => h('option', { value: r }, r.toLowerCase())))),
      h('button', { type: 'submit' }, 'Create agent'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      this.alert.textContent = '';
      const f = Object.fromEntries(new FormData(form));
      try {
        const created = await api('POST', '/agents', f);
        this.status.textContent = `Created ${created.username}.`;
        form.reset();
        this.load();
      } catch (err) {
        this.alert.textContent = err.message + (err.status === 400 ? ' Check the fields.' : '');
      }
    });
    return form;
  }
}
