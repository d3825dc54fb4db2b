/**
 * The page's script (plain browser JavaScript, no build step). It renders /api/state, refreshes on
 * every Server-Sent Event, and posts clicks, commands and submissions back to the page server, which
 * delivers them to certops through the Slack driver. Message HTML is rendered (and escaped) on the server.
 */
/** "1 reply", "2 replies": the page's one counted noun, as certops' util/plural words it (tested against it). */
export const REPLY_COUNT_JS = String.raw`function replyCount(n) { return n + (n === 1 ? ' reply' : ' replies'); }`;

export const APP_JS = String.raw`(function () {
  'use strict';
  ${REPLY_COUNT_JS}
  var ui = { people: [], user: '', channel: '', thread: '', screen: 'channel', data: null, modalHtml: '', modalId: '' };
  var byId = function (id) { return document.getElementById(id); };
  var COLOURS = ['#4a154b', '#1264a3', '#2bac76', '#e01e5a', '#ecb22e', '#36c5f0', '#9c3b9f'];

  function api(method, path, body) {
    return fetch(path, { method: method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json(); });
  }

  function toast(text) {
    var el = byId('toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { el.hidden = true; }, 6000);
  }

  function escapeText(text) {
    var div = document.createElement('div');
    div.textContent = text;
    return div.innerHTML;
  }

  function colour(name) {
    var sum = 0;
    for (var i = 0; i < name.length; i++) sum += name.charCodeAt(i);
    return COLOURS[sum % COLOURS.length];
  }

  function time(ts) {
    return new Date(Number(ts.split('.')[0]) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function messageHtml(m, inThread) {
    var meta = '<span class="author">' + escapeText(m.author) + '</span>' + (m.isBot ? '<span class="app-badge">APP</span>' : '') +
      '<time>' + time(m.ts) + '</time>' + (m.edited ? '<span class="edited">(edited)</span>' : '') +
      (m.ephemeral ? '<span class="only-you">Only visible to you</span>' : '');
    var replies = !inThread && m.replyCount > 0
      ? '<div class="replies"><a data-open-thread="' + escapeText(m.ts) + '">' + replyCount(m.replyCount) + '</a></div>' : '';
    return '<div class="message' + (m.ephemeral ? ' ephemeral' : '') + '" data-ts="' + escapeText(m.ts) + '" data-ephemeral="' + (m.ephemeral ? '1' : '') + '">' +
      '<div class="avatar" style="background:' + colour(m.author) + '">' + escapeText(m.author.charAt(0).toUpperCase()) + '</div>' +
      '<div class="content"><div class="meta">' + meta + '</div><div class="body">' + m.html + '</div>' + replies + '</div></div>';
  }

  function renderList(el, messages, inThread, emptyText) {
    var atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    el.innerHTML = messages.length ? messages.map(function (m) { return messageHtml(m, inThread); }).join('') : '<div class="empty">' + emptyText + '</div>';
    if (atBottom) el.scrollTop = el.scrollHeight;
  }

  function renderNav(data) {
    var item = function (c) {
      var active = ui.screen === 'channel' && c.id === ui.channel ? ' active' : '';
      var label = c.kind === 'dm' ? '<span class="nav-icon">●</span>' + escapeText(c.name) : '<span class="nav-icon">#</span>' + escapeText(c.name);
      return '<a href="#" class="nav-item' + active + '" data-channel="' + escapeText(c.id) + '">' + label + '</a>';
    };
    byId('nav-channels').innerHTML = data.channels.filter(function (c) { return c.kind === 'channel'; }).map(item).join('');
    byId('nav-dms').innerHTML = data.channels.filter(function (c) { return c.kind === 'dm'; }).map(item).join('');
    byId('nav-home').classList.toggle('active', ui.screen === 'home');
  }

  function renderModal(modal) {
    var backdrop = byId('modal-backdrop');
    if (!modal) { backdrop.hidden = true; ui.modalId = ''; ui.modalHtml = ''; return; }
    // Re-render only when the modal itself changed, so typing is never lost to a refresh.
    if (modal.id !== ui.modalId || modal.html !== ui.modalHtml) {
      byId('modal-title').innerHTML = modal.title;
      byId('modal-body').innerHTML = modal.html;
      byId('modal-cancel').innerHTML = modal.close;
      byId('modal-submit').hidden = !modal.submit;
      byId('modal-submit').innerHTML = modal.submit || '';
      ui.modalId = modal.id;
      ui.modalHtml = modal.html;
    }
    backdrop.hidden = false;
  }

  function render() {
    var data = ui.data;
    if (!data) return;
    renderNav(data);
    var current = data.channels.find(function (c) { return c.id === ui.channel; });
    var home = ui.screen === 'home';
    byId('main-title').textContent = home ? 'certops' : current ? (current.kind === 'dm' ? current.name : '#' + current.name) : '';
    byId('main-topic').textContent = home ? 'Home' : current && current.kind === 'dm' ? 'Direct messages with the app' : 'Messages from certops land here';
    byId('messages').hidden = home;
    byId('composer').hidden = home;
    byId('home').hidden = !home;
    if (home) byId('home').innerHTML = data.home || '<div class="empty">certops has not published a Home tab for you yet.</div>';
    else renderList(byId('messages'), data.messages, false, 'No messages yet. Type /certs help below.');
    byId('composer-input').placeholder = current ? 'Message ' + (current.kind === 'dm' ? current.name : '#' + current.name) + ' (slash commands, e.g. /certs help)' : '';
    var threadPane = byId('thread');
    threadPane.hidden = !ui.thread || home;
    if (ui.thread && data.thread) {
      var parts = (data.thread.parent ? [data.thread.parent] : []);
      var list = byId('thread-messages');
      renderList(list, parts.concat(data.thread.replies), true, 'This thread is empty.');
      if (data.thread.parent) {
        var first = list.querySelector('.message');
        if (first) first.insertAdjacentHTML('afterend', '<div class="thread-divider">' + replyCount(data.thread.replies.length) + '</div>');
      }
    }
    renderModal(data.modal);
  }

  var pending = null;
  function refresh() {
    if (pending) { pending.again = true; return pending.promise; }
    var query = '?user=' + encodeURIComponent(ui.user) + '&channel=' + encodeURIComponent(ui.channel) + (ui.thread ? '&thread=' + encodeURIComponent(ui.thread) : '');
    pending = { again: false };
    pending.promise = fetch('/api/state' + query).then(function (r) { return r.json(); }).then(function (data) {
      var known = data.channels.some(function (c) { return c.id === ui.channel; });
      if (!known) {
        // First load, or another person's direct messages: show the first channel instead.
        ui.channel = data.channels[0].id;
        ui.thread = '';
        pending.again = true;
      }
      ui.data = data;
      render();
    }).catch(function (err) { toast('Could not load the workspace: ' + err.message); }).then(function () {
      var again = pending.again;
      pending = null;
      if (again) return refresh();
    });
    return pending.promise;
  }

  function report(result) {
    if (result && result.ok === false && result.error) toast(result.error);
    return refresh();
  }

  function askConfirm(confirm) {
    return new Promise(function (resolve) {
      byId('confirm-title').innerHTML = confirm.title || 'Are you sure?';
      byId('confirm-text').innerHTML = confirm.text || '';
      var ok = byId('confirm-ok');
      var deny = byId('confirm-deny');
      ok.innerHTML = confirm.confirm;
      deny.innerHTML = confirm.deny;
      ok.className = 'btn ' + (confirm.danger ? 'danger-solid' : 'btn-primary');
      byId('confirm-backdrop').hidden = false;
      var done = function (answer) {
        byId('confirm-backdrop').hidden = true;
        ok.onclick = null;
        deny.onclick = null;
        resolve(answer);
      };
      ok.onclick = function () { done(true); };
      deny.onclick = function () { done(false); };
    });
  }

  function formInputs(root) {
    var inputs = [];
    root.querySelectorAll('[data-block-id]').forEach(function (el) {
      var value;
      if (el.classList.contains('choices')) {
        value = Array.prototype.map.call(el.querySelectorAll('input:checked'), function (i) { return i.value; });
      } else {
        value = el.value === '' ? null : el.value;
      }
      inputs.push({ blockId: el.getAttribute('data-block-id'), actionId: el.getAttribute('data-action-id'), value: value });
    });
    return inputs;
  }

  function sendAction(el, selected) {
    var action = JSON.parse(el.getAttribute('data-action'));
    var body = { user: ui.user, actionId: action.actionId, blockId: action.blockId, value: action.value };
    if (selected !== undefined) body.selected = selected;
    var inModal = el.closest('#modal-body');
    var message = el.closest('.message');
    if (inModal) { body.viewId = ui.modalId; body.inputs = formInputs(inModal); }
    else if (message) { body.channel = ui.channel; body.ts = message.getAttribute('data-ts'); }
    var go = action.confirm ? askConfirm(action.confirm) : Promise.resolve(true);
    return go.then(function (yes) {
      if (!yes) return null;
      el.disabled = true;
      return api('POST', '/api/action', body).then(report).finally(function () { el.disabled = false; });
    });
  }

  function openChannel(id) {
    ui.screen = 'channel';
    if (ui.channel !== id) ui.thread = '';
    ui.channel = id;
    return refresh();
  }

  function openHome() {
    ui.screen = 'home';
    render();
    return api('POST', '/api/home', { user: ui.user }).then(report);
  }

  function switchUser(id) {
    ui.user = id;
    var person = ui.people.find(function (p) { return p.id === id; });
    byId('user-role').textContent = person ? person.realName + ' · ' + person.role : '';
    try { localStorage.setItem('certops-demo-user', id); } catch (e) { /* private mode */ }
    ui.modalId = '';
    return ui.screen === 'home' ? openHome() : refresh();
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest('a, button');
    if (!target) return;
    if (target.hasAttribute('data-channel')) { event.preventDefault(); openChannel(target.getAttribute('data-channel')); }
    else if (target.hasAttribute('data-nav')) { event.preventDefault(); openHome(); }
    else if (target.hasAttribute('data-open-thread')) { event.preventDefault(); ui.thread = target.getAttribute('data-open-thread'); refresh(); }
    else if (target.id === 'thread-close') { ui.thread = ''; render(); }
    else if (target.hasAttribute('data-modal-close')) {
      var id = ui.modalId;
      byId('modal-backdrop').hidden = true;
      api('POST', '/api/close', { user: ui.user, viewId: id }).then(report);
    }
    else if (target.id === 'modal-submit') {
      var inputs = formInputs(byId('modal-body'));
      document.querySelectorAll('.input-error').forEach(function (e) { e.textContent = ''; });
      target.disabled = true;
      api('POST', '/api/submit', { user: ui.user, viewId: ui.modalId, inputs: inputs }).then(function (result) {
        if (result && result.errors) {
          Object.keys(result.errors).forEach(function (blockId) {
            var slot = document.querySelector('[data-error-for="' + CSS.escape(blockId) + '"]');
            if (slot) slot.textContent = result.errors[blockId];
          });
        }
        return report(result);
      }).finally(function () { target.disabled = false; });
    }
    else if (target.hasAttribute('data-action')) {
      if (target.hasAttribute('data-url')) window.open(target.getAttribute('data-url'), '_blank', 'noopener');
      sendAction(target);
    }
  });

  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el.id === 'user-switch') switchUser(el.value);
    else if (el.matches('select[data-action]')) sendAction(el, el.value);
  });

  byId('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = byId('composer-input');
    var text = input.value.trim();
    if (!text) return;
    if (text.charAt(0) !== '/') { toast('This workspace only talks to certops: type a slash command such as /certs help'); return; }
    input.value = '';
    api('POST', '/api/command', { user: ui.user, channel: ui.channel, text: text }).then(report);
  });

  api('GET', '/api/workspace').then(function (ws) {
    ui.people = ws.people;
    var saved = null;
    try { saved = localStorage.getItem('certops-demo-user'); } catch (e) { /* private mode */ }
    var first = ws.people.some(function (p) { return p.id === saved; }) ? saved : ws.people[0].id;
    // The switch shows the name and the role's first words; the line below it has the whole role.
    byId('user-switch').innerHTML = ws.people.map(function (p) {
      return '<option value="' + escapeText(p.id) + '" title="' + escapeText(p.role) + '">' + escapeText(p.name + ' · ' + p.role.split(' (')[0]) + '</option>';
    }).join('');
    byId('user-switch').value = first;
    var events = new EventSource('/api/events');
    events.addEventListener('change', function () { refresh(); });
    // A reload is a new Slack client: no modal survives it.
    return api('POST', '/api/session', {}).then(function () { return switchUser(first); });
  });
})();
`;
