// The console's shell: sign-in, the header (availability, live state, sign out), hash routes, and
// the one inbox socket whose events keep the chat store current.

import { api, login, session, whenUnauthorized, allChats } from './api.js';
import { h, replace } from './dom.js';
import { Link } from './live.js';
import { LiveChat } from './chats.js';
import { AgentsPage } from './agents.js';
import { TeamsPage } from './teams.js';
import { RoutingPage, QueuePage } from './routing.js';
import { ChannelsPage } from './channels.js';
import { WebhooksPage } from './webhooks.js';
import { OfferTray } from './offers.js';

const PAGES = { agents: AgentsPage, teams: TeamsPage, routing: RoutingPage, queue: QueuePage, channels: ChannelsPage, webhooks: WebhooksPage };

const main = document.getElementById('main');
const top = document.getElementById('top');
const linkState = document.getElementById('link-state');
const availability = document.getElementById('availability');

/** What the page knows: the signed-in agent, the chats it may see, and who is watching changes. */
export const store = {
  me: null,
  chats: new Map(),
  views: new Set(),
  upsert(chat) {
    const known = this.chats.get(chat.id);
    // Events and list pages race; a chat never goes back to an older version.
    if (known && known.version > chat.version) return;
    this.chats.set(chat.id, { ...known, ...chat });
  },
  supervises() { return this.me && this.me.role !== 'AGENT'; },
  changed() { this.views.forEach((view) => view.refresh?.()); },
};

let inbox = null;
let view = null;
let offers = null;

async function loadChats() {
  const statuses = ['REQUESTING', 'INTERVENED', 'RESOLVED'];
  const pages = await Promise.all(statuses.map((status) => allChats('status=' + status, status === 'RESOLVED' ? 1 : 10)));
  store.chats.clear();
  pages.flat().forEach((chat) => store.upsert(chat));
  store.changed();
}

function onInboxEvent(event) {
  const data = event.data || {};
  switch (event.type) {
    case 'inbox.snapshot':
      data.chats.forEach((chat) => store.upsert(chat));
      break;
    case 'chat.updated':
    case 'chat.queued':
    case 'chat.assigned':
      store.upsert(data.chat);
      break;
    case 'chat.revoked':
      // An agent loses sight of the chat; supervisors get chat.updated with the new holder right after.
      if (!store.supervises()) store.chats.delete(event.chatId);
      break;
    case 'message.created': {
      const chat = store.chats.get(event.chatId);
      if (chat && event.seq > chat.lastSeq) store.chats.set(chat.id, { ...chat, lastSeq: event.seq, activityAt: event.at });
      break;
    }
    default:
  }
  if (event.type.startsWith('offer.')) offers?.onEvent(event);
  store.views.forEach((v) => v.onEvent?.(event));
  store.changed();
}

function showLinkState(state) {
  linkState.textContent = state === 'open' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  linkState.dataset.state = state;
}

function signOut() {
  inbox?.close();
  inbox = null;
  offers = null;
  document.getElementById('offers').hidden = true;
  view?.close?.();
  view = null;
  session.clear();
  store.me = null;
  store.chats.clear();
  location.hash = '#/login';
  route();
}
whenUnauthorized(signOut);

async function start() {
  const current = session.get();
  store.me = await api('GET', '/agents/me');
  session.set({ ...current, agent: store.me });
  document.getElementById('whoami').textContent = `${store.me.displayName} (@${store.me.username}, ${store.me.role.toLowerCase()})`;
  availability.value = store.me.availability;
  top.querySelectorAll('[data-roles]').forEach((el) => { el.hidden = !el.dataset.roles.split(' ').includes(store.me.role); });
  top.hidden = false;
  offers = new OfferTray(document.getElementById('offers'), store);
  await Promise.all([loadChats(), offers.load()]);
  inbox = new Link('/ws/v1/inbox', {
    onEvent: onInboxEvent,
    onState: showLinkState,
    // Nothing sent while the socket was down is replayed: reload the lists, and open chats catch up by seq.
    onOpen: (reconnected) => reconnected && Promise.all([loadChats(), offers.load()]).then(() => store.views.forEach((v) => v.reconnected?.())),
  });
}

availability.addEventListener('change', async () => {
  try {
    store.me = await api('PUT', '/agents/me/availability', { availability: availability.value });
  } catch (e) {
    availability.value = store.me.availability;
    linkState.textContent = e.message;
  }
});
document.getElementById('sign-out').addEventListener('click', signOut);

function loginView() {
  top.hidden = true;
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in to Baton'),
    h('label', {}, 'Workspace', h('input', { name: 'workspace', required: true, autocomplete: 'organization' })),
    h('label', {}, 'Username', h('input', { name: 'username', required: true, autocomplete: 'username' })),
    h('label', {}, 'Password', h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
    h('button', { type: 'submit' }, 'Sign in'),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    try {
      await login(f.get('workspace').trim(), f.get('username').trim(), f.get('password'));
      await start();
      location.hash = '#/live/requesting';
    } catch (err) {
      error.textContent = err.status === 401 ? 'Wrong workspace, username or password.' : err.message;
    }
  });
  replace(main, form);
  form.querySelector('input').focus();
}

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  if (!session.get() || !store.me) {
    if (session.get() && !store.me) {
      start().then(route, () => signOut());
      return;
    }
    view?.close?.();
    view = null;
    loginView();
    return;
  }
  top.querySelectorAll('[data-nav]').forEach((a) => a.toggleAttribute('aria-current', a.dataset.nav === parts[0]));
  if (PAGES[parts[0]]) {
    show(new PAGES[parts[0]](store));
    view.el.querySelector('h1')?.focus();
  } else if (view instanceof LiveChat) {
    view.show(parts[1], parts[2]);
  } else {
    show(new LiveChat(store, parts[1], parts[2]));
  }
}

function show(next) {
  view?.close?.();
  store.views.clear();
  view = next;
  store.views.add(view);
  replace(main, view.el);
}

window.addEventListener('hashchange', route);
route();
