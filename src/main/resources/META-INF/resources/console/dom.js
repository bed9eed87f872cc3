// Builds elements from data without ever parsing HTML: every string lands in a text node or an
// attribute, so nothing a customer types can become markup or script.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function time(iso, seconds = false) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined });
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? time(iso) : d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + time(iso);
}

export function customerName(chat) {
  return chat.customer?.name || chat.customer?.phone || 'Customer';
}

/** The line a chat list and a chat header show: "intervened by <username>" and the like. */
export function describe(chat) {
  switch (chat.status) {
    case 'INTERVENED': return `intervened by ${chat.holder?.username ?? 'nobody'}`;
    case 'REQUESTING': return 'waiting for an agent';
    case 'RESOLVED': return 'resolved';
    default: return 'open, with no agent';
  }
}
