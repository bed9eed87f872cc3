// Teams: OWNERs and MANAGERs create teams and choose their members (routing assigns a team's chats to them).

import { api } from './api.js';
import { h } from './dom.js';
import { AdminPage, table, fill, field, form } from './admin.js';

export class TeamsPage extends AdminPage {
  constructor(store) {
    super(store, 'teams', 'Teams', store.supervises(), 'Only owners and managers manage teams.');
    if (!this.allowed) return;
    this.body = h('tbody');
    this.el.append(
      table('Teams of this workspace', ['Team', 'Members', 'Change members'], this.body),
      form('New team', 'team', [field('Team name', { name: 'name', required: true, maxlength: 100 })], 'Create team', async (f) => {
        const team = await this.run(() => api('POST', '/teams', { name: f.name.trim() }), (t) => `Created team ${t.name}.`);
        this.load();
        return Boolean(team);
      }));
    this.load();
  }

  async load() {
    const loaded = await this.run(() => Promise.all([api('GET', '/teams'), api('GET', '/agents')]));
    if (!loaded) return;
    const [teams, agents] = loaded;
    fill(this.body, teams.map((t) => this.row(t, agents)), 'No teams yet.', 3);
  }

  row(team, agents) {
    const names = new Map(agents.map((a) => [a.id, a.username]));
    const boxes = agents.filter((a) => a.active || team.memberIds.includes(a.id)).map((a) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', value: a.id, checked: team.memberIds.includes(a.id) }), a.username));
    const members = h('fieldset', {}, h('legend', {}, `Members of ${team.name}`), boxes,
      h('button', { type: 'button', onclick: () => this.saveMembers(team, members) }, `Save members of ${team.name}`));
    return h('tr', { 'data-team': team.name },
      h('td', {}, team.name),
      h('td', {}, team.memberIds.map((id) => names.get(id) ?? id).join(', ') || 'nobody'),
      h('td', {}, members));
  }

  async saveMembers(team, members) {
    const agentIds = [...members.querySelectorAll('input:checked')].map((box) => box.value);
    await this.run(() => api('PUT', `/teams/${team.id}/members`, { agentIds }),
      (t) => `${t.name} has ${t.memberIds.length} member${t.memberIds.length === 1 ? '' : 's'}.`);
    this.load();
  }
}
