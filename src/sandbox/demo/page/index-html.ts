/** The page's one HTML document: layout only; app.js fills it from /api/state. */
export const INDEX_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>certops demo</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<div id="app">
  <aside id="sidebar">
    <div class="workspace-name">certops demo <span class="workspace-sub">simulated workspace</span></div>
    <nav>
      <div class="nav-title">Apps</div>
      <a href="#" class="nav-item" id="nav-home" data-nav="home"><span class="nav-icon">⌂</span>certops · Home</a>
      <div class="nav-title">Channels</div>
      <div id="nav-channels"></div>
      <div class="nav-title">Direct messages</div>
      <div id="nav-dms"></div>
    </nav>
    <div class="acting-as">
      <label for="user-switch">Acting as</label>
      <select id="user-switch"></select>
      <div id="user-role"></div>
    </div>
  </aside>
  <main id="main">
    <header id="main-header"><span id="main-title"></span><span id="main-topic"></span></header>
    <div id="messages" class="message-list"></div>
    <div id="home" class="home" hidden></div>
    <form id="composer" autocomplete="off">
      <input id="composer-input" type="text" placeholder="Type a slash command, e.g. /certs help">
      <button type="submit" class="btn btn-primary">Send</button>
    </form>
  </main>
  <aside id="thread" hidden>
    <header><span>Thread</span><button type="button" id="thread-close" class="icon-btn" aria-label="Close thread">×</button></header>
    <div id="thread-messages" class="message-list"></div>
  </aside>
</div>
<div id="modal-backdrop" class="backdrop" hidden>
  <div class="modal" role="dialog" aria-modal="true">
    <header><span id="modal-title"></span><button type="button" class="icon-btn" data-modal-close aria-label="Close">×</button></header>
    <form id="modal-body" class="modal-body"></form>
    <footer><button type="button" class="btn" id="modal-cancel" data-modal-close>Cancel</button><button type="button" class="btn btn-primary" id="modal-submit">Submit</button></footer>
  </div>
</div>
<div id="confirm-backdrop" class="backdrop" hidden>
  <div class="modal confirm" role="alertdialog" aria-modal="true">
    <header><span id="confirm-title"></span></header>
    <div id="confirm-text" class="modal-body"></div>
    <footer><button type="button" class="btn" id="confirm-deny"></button><button type="button" class="btn" id="confirm-ok"></button></footer>
  </div>
</div>
<div id="toast" role="status" hidden></div>
<script src="/app.js"></script>
</body>
</html>
`;
