// Offers made to the signed-in agent (warm transfer), on every page: each can be accepted, which
// moves the chat to this agent, or declined with an optional reason. Kept current by the inbox
// socket's offer.* frames, and re-read after a reconnect since missed frames are not replayed.

import { api } from './api.js';
import { h, replace, time, customerName } from './dom.js';

const ENDED = new Set(['offer.accepted', 'offer.declined', 'offer.expired', 'offer.cancelled']);

export class OfferTray {
  constructor(el, store) {
    this.el = el;
    this.store = store;
    this.offers = new Map();
    this.customers = new Map();
    this.alert = h('p', { class: 'error', role: 'alert' });
    this.list = h('ul');
    replace(this.el, h('h2', {}, 'Offers for you'), this.alert, this.list);
  }

  async load() {
    try {
      const pending = (await api('GET', '/offers?status=PENDING&limit=200')).items;
      this.offers.clear();
      pending.filter((o) => o.to.id === this.store.me.id).forEach((o) => this.offers.set(o.id, o));
      this.render();
    } catch (e) {
      this.alert.textContent = e.message;
    }
  }

  onEvent(event) {
    const offer = event.data;
    if (event.type === 'offer.created' && offer.to.id === this.store.me.id && offer.status === 'PENDING') {
      this.offers.set(offer.id, offer);
      this.render();
    } else if (ENDED.has(event.type) && this.offers.delete(offer.id)) {
      this.render();
    }
  }

  render() {
    this.el.hidden = this.offers.size === 0;
    replace(this.list, [...this.offers.values()].map((offer) => this.row(offer)));
  }

  row(offer) {
    const customer = h('span', {}, this.customers.get(offer.chatId) ?? 'a customer');
    if (!this.customers.has(offer.chatId)) {
      // The target may read an offered chat while the offer is pending.
      api('GET', `/chats/${offer.chatId}`).then((chat) => {
        this.customers.set(offer.chatId, customerName(chat));
        customer.textContent = customerName(chat);
      }, () => {});
    }
    const reason = h('input', { id: `decline-${offer.id}`, maxlength: 1000 });
    return h('li', { 'data-offer': offer.id },
      h('p', {}, `${offer.from.username} offers you the chat with `, customer, ` (answer by ${time(offer.expiresAt, true)})`,
        offer.note ? h('q', {}, offer.note) : null),
      h('div', { class: 'offer-actions' },
        h('a', { href: `#/live/requesting/${offer.chatId}` }, 'Read the chat'),
        h('button', { type: 'button', onclick: () => this.answer(offer, 'accept') }, 'Accept'),
        h('label', { for: reason.id }, 'Decline reason'), reason,
        h('button', { type: 'button', onclick: () => this.answer(offer, 'decline', reason.value.trim()) }, 'Decline')));
  }

  async answer(offer, action, reason) {
    this.alert.textContent = '';
    try {
      await api('POST', `/offers/${offer.id}/${action}`, reason ? { reason } : {});
      if (action === 'accept') location.hash = `#/live/mine/${offer.chatId}`;
    } catch (e) {
      this.alert.textContent = e.message;
    }
    this.offers.delete(offer.id);
    this.render();
  }
}
