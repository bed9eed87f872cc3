// One chat: header with the holder, actions, the live timeline, the reply composer and notes.
// The composer is open only while this agent holds the chat, and it locks synchronously when
// chat.revoked arrives, before anything else is fetched.

import { api } from './api.js';
import { h, replace, time, customerName, describe } from './dom.js';
import { Link } from './live.js';
import { Timeline } from './timeline.js';

const REVOKED = {
  TAKEN_OVER: (by) => `${by} took over this chat. You can no longer reply.`,
  TRANSFERRED: (by) => `${by} transferred this chat. You can no longer reply.`,
  RELEASED: () => 'This chat went back to the queue. You no longer hold it.',
  RESOLVED: (by) => `${by} resolved this chat.`,
  DEACTIVATED: () => 'Your account was deactivated.',
};

export class ChatPane {
  constructor(store, chatId, tab) {
    this.store = store;
    this.chatId = chatId;
    this.chat = null;
    this.revoked = null;
    this.monitor = null;
    this.agents = [];
    this.timeline = new Timeline(chatId, { customer: 'Customer', onError: (e) => this.fail(e) });
    this.build(tab);
    this.clock = setInterval(() => this.showWindow(), 30000);
    this.load();
  }

  build(tab) {
    const button = (label, onclick, attrs = {}) => h('button', { type: 'button', onclick, hidden: true, ...attrs }, label);
    this.title = h('h2', { tabindex: -1 }, 'Loading chat…');
    this.phone = h('span', { class: 'phone' });
    this.badge = h('span', { class: 'badge', 'data-holder': '' });
    this.window = h('span', { class: 'window', hidden: true });
    this.alert = h('p', { class: 'error', role: 'alert' });
    this.notice = h('p', { class: 'notice', role: 'status', hidden: true });
    this.monitorState = h('span', { class: 'monitor-state', role: 'status' });

    this.b = {
      intervene: button('Intervene', () => this.act('intervene')),
      takeOver: button('Take over', () => this.confirmTakeOver(true)),
      confirm: button('Confirm take over', () => { this.confirmTakeOver(false); this.act('takeover'); }, { class: 'danger' }),
      cancel: button('Cancel', () => this.confirmTakeOver(false)),
      release: button('Release', () => this.act('release')),
      resolve: button('Resolve', () => this.act('resolve')),
      reopen: button('Reopen', () => this.act('reopen')),
      monitor: button('Monitor incognito', () => this.toggleMonitor(), { 'aria-pressed': 'false' }),
    };
    this.targets = h('select', { id: `transfer-${this.chatId}`, onfocus: () => this.loadAgents() });
    this.transferNote = h('input', { id: `transfer-note-${this.chatId}`, maxlength: 1000 });
    this.transfer = h('form', { class: 'transfer', hidden: true, onsubmit: (e) => { e.preventDefault(); this.doTransfer(); } },
      h('label', { for: this.targets.id }, 'Transfer to'), this.targets,
      h('label', { for: this.transferNote.id }, 'Transfer note'), this.transferNote,
      h('button', { type: 'submit' }, 'Transfer'),
      h('button', { type: 'button', onclick: () => this.doOffer(), 'aria-describedby': `offer-hint-${this.chatId}` }, 'Offer'),
      h('span', { class: 'hint', id: `offer-hint-${this.chatId}` }, 'Transfer hands the chat over now; Offer asks the agent, who accepts or declines.'));
    this.offerState = h('span', { role: 'status' });
    this.cancelOffer = h('button', { type: 'button', onclick: () => this.answerOffer('cancel') }, 'Cancel offer');
    this.offerBox = h('div', { class: 'offer-state', hidden: true }, this.offerState, this.cancelOffer);
    this.actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Chat actions' },
      Object.values(this.b), this.monitorState);

    this.replyText = h('textarea', { id: `reply-${this.chatId}`, rows: 2, maxlength: 4096, disabled: true });
    this.replyHint = h('span', { class: 'hint', id: `reply-hint-${this.chatId}` });
    this.replyText.setAttribute('aria-describedby', this.replyHint.id);
    this.send = h('button', { type: 'submit', disabled: true }, 'Send');
    this.composer = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.reply(); } },
      h('label', { for: this.replyText.id }, 'Reply to customer'), this.replyText, this.send, this.replyHint);
    this.replyText.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.reply(); }
    });
    this.noteText = h('input', { id: `note-${this.chatId}`, maxlength: 4096 });
    this.notes = h('form', { class: 'notes', hidden: true, onsubmit: (e) => { e.preventDefault(); this.note(); } },
      h('label', { for: this.noteText.id }, 'Private note'), this.noteText, h('button', { type: 'submit' }, 'Add note'));

    this.el = h('article', { class: 'chat', 'data-chat-view': this.chatId },
      h('a', { class: 'back', href: `#/live/${tab}` }, '← All chats'),
      h('header', {}, this.title, this.phone, this.badge, this.window),
      this.notice, this.alert, this.actions, this.transfer, this.offerBox, this.timeline.list, this.composer, this.notes);
  }

  async load() {
    try {
      this.setChat(await api('GET', `/chats/${this.chatId}`));
      await this.timeline.catchUp();
      if (!this.transfer.hidden) await this.loadAgents();
      if (this.holding() || this.store.supervises()) this.showOffer((await api('GET', `/chats/${this.chatId}/offers?limit=1`)).items[0]);
    } catch (e) {
      this.fail(e);
    }
  }

  setChat(chat) {
    if (this.chat && chat.version < this.chat.version) return;
    this.chat = chat;
    this.store.upsert(chat);
    this.timeline.customer = customerName(chat);
    this.update();
  }

  holding() {
    const me = this.store.me;
    return !this.revoked && this.chat?.status === 'INTERVENED' && this.chat.holder?.id === me.id;
  }

  update() {
    const chat = this.chat;
    if (!chat) return;
    const sup = this.store.supervises();
    const holding = this.holding();
    const gone = this.revoked && !sup;
    this.title.textContent = customerName(chat);
    this.phone.textContent = chat.customer?.phone ?? '';
    this.badge.textContent = describe(chat);
    this.badge.dataset.holder = chat.holder?.username ?? '';
    const show = (el, on) => { el.hidden = gone || !on; };
    show(this.b.intervene, chat.status === 'OPEN' || chat.status === 'REQUESTING');
    const takeOver = sup && chat.status === 'INTERVENED' && chat.holder?.id !== this.store.me.id;
    if (!takeOver) this.confirmTakeOver(false);
    show(this.b.takeOver, takeOver && this.b.confirm.hidden);
    show(this.b.release, chat.status === 'INTERVENED' && (holding || sup));
    show(this.b.resolve, chat.status !== 'RESOLVED' && (holding || sup));
    show(this.b.reopen, chat.status === 'RESOLVED');
    show(this.b.monitor, sup);
    show(this.transfer, chat.status !== 'RESOLVED' && (holding || sup));
    show(this.notes, holding || sup);
    this.timeline.list.hidden = Boolean(gone);
    this.replyText.disabled = !holding;
    this.send.disabled = !holding;
    this.replyHint.textContent = holding ? 'Ctrl+Enter sends.'
      : this.revoked ? 'Locked: you no longer hold this chat.'
      : 'Only the agent holding this chat can reply.';
    this.composer.classList.toggle('locked', !holding);
    this.showWindow();
  }

  /** The 24-hour customer-service window, when the channel reports one. */
  showWindow() {
    const expires = this.chat?.windowExpiresAt;
    this.window.hidden = !expires;
    if (!expires) return;
    const left = new Date(expires).getTime() - Date.now();
    const hours = Math.floor(left / 3600000);
    const minutes = Math.floor((left % 3600000) / 60000);
    this.window.textContent = left > 0 ? `Reply window: ${hours}h ${minutes}m left` : 'Reply window closed: only templates can be sent';
    this.window.classList.toggle('closed', left <= 0);
  }

  confirmTakeOver(asking) {
    this.b.confirm.hidden = !asking;
    this.b.cancel.hidden = !asking;
    this.b.takeOver.hidden = asking || this.b.takeOver.hidden;
    if (asking) this.b.confirm.focus();
    else if (this.chat) this.b.takeOver.hidden = !(this.store.supervises() && this.chat.status === 'INTERVENED' && this.chat.holder?.id !== this.store.me.id);
  }

  onEvent(event) {
    if (event.chatId !== this.chatId) return;
    const data = event.data || {};
    switch (event.type) {
      case 'chat.revoked':
        this.revoke(event);
        break;
      case 'chat.assigned':
        this.revoked = null;
        this.notice.hidden = true;
        this.setChat(data.chat);
        if (data.entry) this.timeline.apply(data.entry);
        this.timeline.saw(event.seq);
        break;
      case 'offer.created':
      case 'offer.accepted':
      case 'offer.declined':
      case 'offer.expired':
      case 'offer.cancelled':
        this.showOffer(data);
        break;
      case 'chat.updated':
      case 'chat.queued':
        if (data.offer) this.showOffer(data.offer);
        this.setChat(data.chat);
        if (!this.revoked || this.store.supervises()) this.timeline.saw(event.seq);
        break;
      case 'message.created':
        this.timeline.apply(data);
        break;
      case 'message.status':
        this.timeline.delivery(data.seq, data.status, data.error);
        break;
      default:
    }
  }

  revoke(event) {
    this.revoked = event.data.reason;
    this.replyText.disabled = true;
    this.send.disabled = true;
    const by = event.performer?.id === this.store.me.id ? 'You' : event.performer?.username ?? 'Baton';
    const accepted = this.offer?.status === 'ACCEPTED' ? this.offer.to.username : null;
    this.notice.textContent = accepted ? `${accepted} accepted the offer and holds this chat now. You can no longer reply.`
      : (REVOKED[this.revoked] ?? (() => 'You no longer hold this chat.'))(by);
    this.notice.hidden = false;
    this.update();
  }

  refresh() {
    const known = this.store.chats.get(this.chatId);
    if (known && this.chat && known.version > this.chat.version) this.setChat(known);
  }

  reconnected() {
    if (this.revoked && !this.store.supervises()) return;
    api('GET', `/chats/${this.chatId}`).then((chat) => this.setChat(chat), (e) => this.fail(e));
    this.timeline.catchUp();
  }

  async act(action) {
    this.alert.textContent = '';
    try {
      // An empty JSON body: take over, release and resolve take an optional note.
      const chat = await api('POST', `/chats/${this.chatId}/${action}`, {}, { 'If-Match': `"${this.chat.version}"` });
      if (chat.holder?.id === this.store.me.id) this.revoked = null;
      this.setChat(chat);
      this.timeline.saw(chat.lastSeq);
    } catch (e) {
      this.fail(e);
    }
  }

  async loadAgents() {
    try {
      this.agents = (await api('GET', '/agents')).filter((a) => a.active);
      this.fillTargets();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Agents with their availability and load (chats held, counted by the server when the list was read). */
  fillTargets() {
    const selected = this.targets.value;
    const options = this.agents.filter((a) => a.id !== this.chat?.holder?.id).map((a) => h('option', {
      value: a.id, 'data-availability': a.availability,
    }, `${a.username} — ${a.availability.toLowerCase()} · ${a.heldChats} chat${a.heldChats === 1 ? '' : 's'}`));
    replace(this.targets, h('option', { value: '' }, 'Choose an agent…'), options);
    this.targets.value = options.some((o) => o.value === selected) ? selected : '';
  }

  async doTransfer() {
    this.alert.textContent = '';
    if (!this.targets.value) {
      this.alert.textContent = 'Choose an agent to transfer to.';
      this.targets.focus();
      return;
    }
    const body = { toAgentId: this.targets.value };
    if (this.transferNote.value.trim()) body.note = this.transferNote.value.trim();
    try {
      const chat = await api('POST', `/chats/${this.chatId}/transfer`, body, { 'If-Match': `"${this.chat.version}"` });
      this.transferNote.value = '';
      this.setChat(chat);
      this.timeline.saw(chat.lastSeq);
      this.loadAgents();
    } catch (e) {
      this.fail(e);
    }
  }

  /** A warm transfer: the chosen agent is asked and gets the chat only by accepting. */
  async doOffer() {
    this.alert.textContent = '';
    if (!this.targets.value) {
      this.alert.textContent = 'Choose an agent to offer the chat to.';
      this.targets.focus();
      return;
    }
    const body = { toAgentId: this.targets.value };
    if (this.transferNote.value.trim()) body.note = this.transferNote.value.trim();
    try {
      this.showOffer(await api('POST', `/chats/${this.chatId}/offers`, body));
      this.transferNote.value = '';
    } catch (e) {
      this.fail(e);
    }
  }

  async answerOffer(action) {
    this.alert.textContent = '';
    try {
      this.showOffer(await api('POST', `/offers/${this.offer.id}/${action}`, {}));
    } catch (e) {
      this.fail(e);
    }
  }

  /** The chat's latest offer; frames and answers race, so an ended offer is never shown as pending again. */
  showOffer(offer) {
    if (!offer || offer.chatId !== this.chatId) return;
    if (this.offer?.id === offer.id && this.offer.status !== 'PENDING' && offer.status === 'PENDING') return;
    this.offer = offer;
    const to = offer.to.id === this.store.me.id ? 'you' : offer.to.username;
    const ended = offer.reason ? ` (${offer.reason.toLowerCase().replaceAll('_', ' ')})` : '';
    this.offerState.textContent = {
      PENDING: `${offer.from.username} offered this chat to ${to}; waiting for an answer until ${time(offer.expiresAt, true)}.`,
      ACCEPTED: `${offer.to.username} accepted the offer.`,
      DECLINED: `${offer.to.username} declined the offer${offer.reason ? ': ' + offer.reason : '.'}`,
      EXPIRED: `The offer to ${offer.to.username} expired unanswered.`,
      CANCELLED: `The offer to ${offer.to.username} was cancelled${ended}.`,
    }[offer.status] ?? '';
    this.cancelOffer.hidden = !(offer.status === 'PENDING' && (offer.from.id === this.store.me.id || this.store.supervises()));
    this.offerBox.hidden = !this.offerState.textContent;
  }

  async reply() {
    const text = this.replyText.value.trim();
    if (!text || this.replyText.disabled) return;
    this.alert.textContent = '';
    try {
      const entry = await api('POST', `/chats/${this.chatId}/messages`, { text, clientMessageId: messageId() });
      this.replyText.value = '';
      this.timeline.apply(entry);
    } catch (e) {
      this.fail(e);
    }
  }

  async note() {
    const text = this.noteText.value.trim();
    if (!text) return;
    this.alert.textContent = '';
    try {
      this.timeline.apply(await api('POST', `/chats/${this.chatId}/notes`, { text }));
      this.noteText.value = '';
    } catch (e) {
      this.fail(e);
    }
  }

  toggleMonitor() {
    if (this.monitor) {
      this.monitor.close();
      this.monitor = null;
      this.monitorState.textContent = '';
    } else {
      this.monitor = new Link(`/ws/v1/chats/${this.chatId}/monitor`, {
        onEvent: (event) => this.onEvent(event),
        onOpen: () => this.timeline.catchUp(),
        onState: (state) => {
          this.monitorState.textContent = state === 'open' ? `Monitoring incognito since ${time(new Date().toISOString())}` : 'Monitor reconnecting…';
        },
      });
    }
    this.b.monitor.setAttribute('aria-pressed', String(Boolean(this.monitor)));
    this.b.monitor.textContent = this.monitor ? 'Stop monitoring' : 'Monitor incognito';
  }

  fail(e) {
    if (e.status === 404 && !this.chat) {
      this.title.textContent = 'Chat not available';
      this.alert.textContent = 'This chat does not exist or is not visible to you.';
      return;
    }
    if (e.status === 404 && this.revoked) return;
    if (e.status === 412 || e.status === 409) this.reconnected();
    this.alert.textContent = e.message;
  }

  close() {
    clearInterval(this.clock);
    this.monitor?.close();
  }
}

/** An idempotency key for a reply, so a retried send is stored once (crypto.randomUUID needs a secure context). */
function messageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'c-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
