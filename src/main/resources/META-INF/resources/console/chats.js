// Live Chat: the four lists (Requesting, Intervened, Mine, Resolved) beside the open chat.

import { h, replace, when, customerName, describe } from './dom.js';
import { ChatPane } from './chat.js';

const TABS = [
  { id: 'requesting', label: 'Requesting', test: (c) => c.status === 'REQUESTING' },
  { id: 'intervened', label: 'Intervened', test: (c) => c.status === 'INTERVENED' },
  { id: 'mine', label: 'Mine', test: (c, me) => c.status === 'INTERVENED' && c.holder?.id === me.id },
  { id: 'resolved', label: 'Resolved', test: (c) => c.status === 'RESOLVED' },
];

export class LiveChat {
  constructor(store, tab, chatId) {
    this.store = store;
    this.tabs = h('nav', { class: 'tabs', 'aria-label': 'Chat lists' });
    this.list = h('ul', { class: 'chat-list' });
    this.listPane = h('section', { class: 'list-pane', 'aria-labelledby': 'list-title' },
      h('h1', { id: 'list-title', class: 'visually-hidden' }, 'Live Chat'), this.tabs, this.list);
    this.chatPane = h('section', { class: 'chat-pane', 'aria-label': 'Chat' });
    this.el = h('div', { class: 'live' }, this.listPane, this.chatPane);
    this.pane = null;
    replace(this.chatPane, h('p', { class: 'empty' }, 'Pick a chat from the list.'));
    this.show(tab, chatId);
  }

  show(tab, chatId) {
    this.tab = TABS.find((t) => t.id === tab) ?? TABS[0];
    if ((this.pane?.chatId ?? null) !== (chatId ?? null)) {
      this.pane?.close();
      this.pane = chatId ? new ChatPane(this.store, chatId, this.tab.id) : null;
      replace(this.chatPane, this.pane ? this.pane.el : h('p', { class: 'empty' }, 'Pick a chat from the list.'));
      this.pane?.el.querySelector('h2')?.focus();
    }
    this.el.classList.toggle('has-chat', Boolean(this.pane));
    this.refresh();
  }

  refresh() {
    const me = this.store.me;
    // Lists are redrawn on every event; keep keyboard focus on the row or tab it was on.
    const focused = document.activeElement;
    const focusKey = this.el.contains(focused) && !this.chatPane.contains(focused)
      ? focused.closest('[data-chat]')?.dataset.chat ?? focused.dataset?.tab : null;
    const chats = [...this.store.chats.values()].sort((a, b) => (b.activityAt ?? '').localeCompare(a.activityAt ?? ''));
    replace(this.tabs, TABS.map((t) => h('a', {
      href: `#/live/${t.id}`, 'aria-current': t === this.tab ? 'page' : false, 'data-tab': t.id,
    }, `${t.label} `, h('span', { class: 'count' }, String(chats.filter((c) => t.test(c, me)).length)))));
    const shown = chats.filter((c) => this.tab.test(c, me));
    replace(this.list, shown.length ? shown.map((c) => this.row(c)) : h('li', { class: 'empty' }, `No ${this.tab.label.toLowerCase()} chats.`));
    if (focusKey) this.listPane.querySelector(`[data-chat="${focusKey}"] a, [data-tab="${focusKey}"]`)?.focus();
    this.pane?.refresh();
  }

  row(chat) {
    const current = this.pane?.chatId === chat.id;
    return h('li', { 'data-chat': chat.id },
      h('a', { href: `#/live/${this.tab.id}/${chat.id}`, 'aria-current': current ? 'true' : false },
        h('span', { class: 'name' }, customerName(chat)),
        h('span', { class: 'phone' }, chat.customer?.phone ?? ''),
        h('span', { class: 'state' }, describe(chat)),
        h('time', { datetime: chat.activityAt }, when(chat.activityAt))));
  }

  onEvent(event) { this.pane?.onEvent(event); }

  reconnected() { this.pane?.reconnected(); }

  close() { this.pane?.close(); }
}
