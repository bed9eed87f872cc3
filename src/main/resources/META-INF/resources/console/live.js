// One JSON WebSocket to Baton that reconnects by itself. Browsers cannot set headers on an upgrade,
// so the token travels in the subprotocol list that Quarkus turns back into an Authorization header.
// Every (re)open is reported so the page can catch up by seq over REST: frames sent while the
// socket was down are never replayed by the server.

import { api, session } from './api.js';

export class Link {
  constructor(path, { onEvent, onOpen = () => {}, onState = () => {} }) {
    this.path = path;
    this.onEvent = onEvent;
    this.onOpen = onOpen;
    this.onState = onState;
    this.closed = false;
    this.attempt = 0;
    this.opens = 0;
    this.connect();
  }

  connect() {
    const current = session.get();
    if (this.closed || !current) return;
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + this.path;
    const carrier = encodeURIComponent('quarkus-http-upgrade#Authorization#Bearer ' + current.token);
    const socket = new WebSocket(url, ['bearer-token-carrier', carrier]);
    this.socket = socket;
    this.onState('connecting');
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.onState('open');
      this.onOpen(this.opens++ > 0);
    });
    socket.addEventListener('message', (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch { return; }
      this.onEvent(event);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket || this.closed) return;
      this.onState('down');
      this.retry();
    });
  }

  async retry() {
    const delay = Math.min(5000, 250 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    // A refused upgrade looks like any other drop to a browser; asking REST tells a revoked
    // session (401 signs the page out) from a network hiccup.
    try { await api('GET', '/agents/me'); } catch { /* unreachable or signed out: handled by api() */ }
    setTimeout(() => this.connect(), delay);
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close(1000);
  }
}
