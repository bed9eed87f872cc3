// A chat's timeline on the page, keyed by seq. Entries arrive from REST pages, the inbox socket and
// the monitor socket, in any order and possibly twice: each seq is shown exactly once, in seq order,
// and any hole below the highest seq seen is filled from GET /chats/{id}/timeline?after=.

import { h, time } from './dom.js';
import { timelineAfter } from './api.js';

const TICKS = {
  PENDING: ['🕓', 'Sending'], SENT: ['✓', 'Sent'], DELIVERED: ['✓✓', 'Delivered'], READ: ['✓✓', 'Read'], FAILED: ['!', 'Not delivered'],
};

const CUSTODY = {
  INTERVENE: (e) => `${actor(e)} intervened`,
  TAKEOVER: (e) => `${actor(e)} took over from ${who(e.custody.from)}`,
  TRANSFER: (e) => `${actor(e)} transferred ${e.custody.from ? 'from ' + who(e.custody.from) + ' ' : ''}to ${who(e.custody.to)}`,
  RELEASE: (e) => `${actor(e)} released the chat to the queue`,
  RESOLVE: (e) => `${actor(e)} resolved the chat`,
  REOPEN: (e) => (e.author ? `${actor(e)} reopened the chat` : 'Reopened by a customer message'),
  DEACTIVATE: (e) => `${who(e.custody.from)} was deactivated; the chat went back to the queue`,
  HANDOFF: () => 'The customer asked for an agent',
};

function who(person) { return person ? person.username : 'nobody'; }
function actor(entry) { return entry.author ? entry.author.username : 'Baton'; }

export function custodyText(entry) {
  const describe = CUSTODY[entry.custody?.action];
  return describe ? describe(entry) : `Custody: ${entry.custody?.action}`;
}

export class Timeline {
  constructor(chatId, { customer, onError }) {
    this.chatId = chatId;
    this.customer = customer;
    this.onError = onError;
    this.items = new Map();
    this.contiguous = 0;
    this.max = 0;
    this.syncing = null;
    this.again = false;
    this.list = h('ol', { class: 'timeline', 'aria-label': 'Timeline', 'aria-live': 'polite' });
  }

  /** An entry from any source. */
  apply(entry) {
    if (entry.chatId !== this.chatId) return;
    this.insert(entry);
    if (this.max > this.contiguous) this.catchUp();
  }

  /** An event announced a seq without carrying its entry (custody events): fetch what is missing. */
  saw(seq) {
    if (seq > this.contiguous) this.catchUp();
  }

  /** A delivery status change of an outbound entry (message.status). */
  delivery(seq, status, error) {
    const item = this.items.get(seq);
    if (item) item.entry.delivery = { status, error };
    if (item) item.el.replaceWith(item.el = this.render(item.entry));
  }

  catchUp() {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        const entries = await timelineAfter(this.chatId, this.contiguous);
        entries.forEach((entry) => this.insert(entry));
      } while (this.again);
    })().catch((e) => this.onError(e)).finally(() => { this.syncing = null; });
    return this.syncing;
  }

  insert(entry) {
    const known = this.items.get(entry.seq);
    if (known) {
      // The same seq again (a replayed frame or an overlapping page): keep one, take the newer delivery state.
      if (entry.delivery && entry.delivery.status !== known.entry.delivery?.status) this.delivery(entry.seq, entry.delivery.status, entry.delivery.error);
      return;
    }
    const item = { entry, el: this.render(entry) };
    this.items.set(entry.seq, item);
    let next = null;
    for (const [seq, other] of this.items) {
      if (seq > entry.seq && (next === null || seq < next.entry.seq)) next = other;
    }
    this.list.insertBefore(item.el, next ? next.el : null);
    this.max = Math.max(this.max, entry.seq);
    while (this.items.has(this.contiguous + 1)) this.contiguous++;
    item.el.scrollIntoView?.({ block: 'nearest' });
  }

  render(entry) {
    const kind = entry.kind.toLowerCase();
    const stamp = h('time', { datetime: entry.at }, time(entry.at));
    if (entry.kind === 'CUSTODY') {
      return h('li', { class: 'entry custody', 'data-seq': entry.seq },
        h('span', {}, custodyText(entry)), entry.text ? h('q', {}, entry.text) : null, ' ', stamp);
    }
    const author = entry.kind === 'INBOUND' ? this.customer : entry.author?.username ?? '';
    const label = entry.kind === 'NOTE' ? `Private note by ${author}` : author;
    return h('li', { class: 'entry ' + kind, 'data-seq': entry.seq },
      h('div', { class: 'meta' }, h('span', { class: 'author' }, label), ' ', stamp, tick(entry)),
      h('p', { class: 'text' }, entry.text ?? ''));
  }

  seqs() { return [...this.items.keys()]; }
}

function tick(entry) {
  const status = entry.delivery?.status;
  if (!status || !TICKS[status]) return null;
  const [mark, label] = TICKS[status];
  const title = status === 'FAILED' && entry.delivery.error ? `${label}: ${entry.delivery.error.title ?? entry.delivery.error.code}` : label;
  return h('span', { class: 'tick ' + status.toLowerCase(), role: 'img', 'aria-label': title, title }, mark);
}
