// REST calls with the signed-in token. The token lives in sessionStorage (this tab, this origin):
// never in a URL or a cookie, so no other origin's script or request can carry it.

const KEY = 'baton.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `Request failed (${status})`);
    this.status = status;
    this.code = problem?.code || 'error';
  }
}

export const session = {
  get() {
    const raw = sessionStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : null;
  },
  set(value) { sessionStorage.setItem(KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(KEY); },
};

let onUnauthorized = () => {};
export function whenUnauthorized(handler) { onUnauthorized = handler; }

export async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  const current = session.get();
  if (current) headers.Authorization = 'Bearer ' + current.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch('/api/v1' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store',
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && current) onUnauthorized();
    throw new ApiError(response.status, data);
  }
  return data;
}

export async function login(workspace, username, password) {
  const data = await api('POST', '/auth/login', { workspace, username, password });
  session.set({ token: data.accessToken, workspace, agent: data.agent });
  return data.agent;
}

/** Every page of a cursor-paginated chat list (bounded, so a huge workspace cannot stall the page). */
export async function allChats(query, maxPages = 10) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page++) {
    const data = await api('GET', '/chats?' + query + '&limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** Timeline entries after a seq, all pages. */
export async function timelineAfter(chatId, after) {
  const entries = [];
  let next = after;
  do {
    const data = await api('GET', `/chats/${chatId}/timeline?limit=200&after=${next}`);
    entries.push(...data.items);
    next = data.next;
  } while (next !== null && next !== undefined);
  return entries;
}
