// The pieces every admin page shares: a titled section with an alert and a status line, tables,
// labelled forms, and one way to run an API call that reports its outcome.

import { h, replace } from './dom.js';

export class AdminPage {
  constructor(store, id, title, allowed, denied) {
    this.store = store;
    this.allowed = allowed;
    this.alert = h('p', { class: 'error', role: 'alert' });
    this.status = h('p', { class: 'notice ok', role: 'status' });
    this.el = h('section', { class: 'admin ' + id, 'aria-labelledby': `${id}-title` },
      h('h1', { id: `${id}-title`, tabindex: -1 }, title), this.alert, this.status);
    if (!allowed) this.alert.textContent = denied;
  }

  /** An API call whose failure shows in the alert; done(result) becomes the status line. */
  async run(call, done) {
    this.alert.textContent = '';
    try {
      const result = await call();
      if (done) this.status.textContent = done(result);
      return result;
    } catch (e) {
      this.alert.textContent = e.message + (e.status === 400 ? ' Check the fields.' : '');
      return undefined;
    }
  }
}

/** A table with a caption (read by screen readers) and header cells; fill(body, rows) redraws it. */
export function table(caption, headers, body, visibleCaption = false) {
  return h('table', {},
    h('caption', { class: visibleCaption ? '' : 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, headers.map((c) => h('th', { scope: 'col' }, c)))),
    body);
}

export function fill(body, rows, empty, columns) {
  replace(body, rows.length ? rows : h('tr', {}, h('td', { colspan: columns, class: 'empty' }, empty)));
}

export function field(label, attrs, element = 'input') {
  return h('label', {}, label, h(element, { autocomplete: 'off', ...attrs }));
}

/** A form of labelled fields; onSubmit gets its values and resets the form when it returns true. */
export function form(title, id, fields, submit, onSubmit) {
  const el = h('form', { class: 'create', 'aria-labelledby': `${id}-form-title` },
    h('h2', { id: `${id}-form-title` }, title), fields, h('button', { type: 'submit' }, submit));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (await onSubmit(Object.fromEntries(new FormData(el)), el)) el.reset();
  });
  return el;
}

export function options(values, selected) {
  return values.map(([value, label]) => h('option', { value, selected: value === selected }, label));
}
