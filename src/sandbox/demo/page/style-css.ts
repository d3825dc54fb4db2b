/** Slack-like look: aubergine sidebar, readable type, green primary and red danger buttons. */
export const STYLE_CSS = String.raw`
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 15px/1.46668 -apple-system, BlinkMacSystemFont, "Segoe UI", Lato, "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; background: #fff; }
#app { display: flex; height: 100vh; }
#sidebar { width: 260px; flex: none; background: #3f0e40; color: #cfc3cf; display: flex; flex-direction: column; }
.workspace-name { color: #fff; font-weight: 900; font-size: 18px; padding: 14px 16px; border-bottom: 1px solid #522653; }
.workspace-sub { display: block; font-weight: 400; font-size: 12px; color: #bcabbc; }
nav { flex: 1; overflow-y: auto; padding: 8px 0; }
.nav-title { font-size: 13px; padding: 12px 16px 4px; color: #bcabbc; }
.nav-item { display: block; padding: 4px 16px; color: #cfc3cf; text-decoration: none; border-radius: 6px; margin: 0 8px; }
.nav-item:hover { background: #350d36; }
.nav-item.active { background: #1164a3; color: #fff; }
.nav-item.unread { color: #fff; font-weight: 700; }
.nav-icon { display: inline-block; width: 18px; }
.acting-as { padding: 12px 16px; border-top: 1px solid #522653; }
.acting-as label { display: block; font-size: 12px; margin-bottom: 4px; }
.acting-as select { width: 100%; padding: 6px; border-radius: 6px; border: none; font: inherit; }
#user-role { font-size: 12px; margin-top: 4px; color: #e8dfe8; overflow-wrap: anywhere; }
img.emoji { width: 22px; height: 22px; vertical-align: -5px; margin: 0 1px; }
.context img.emoji, .meta img.emoji { width: 16px; height: 16px; vertical-align: -3px; }
.header img.emoji { width: 24px; height: 24px; }
.files { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 6px; }
.file { margin: 0; border: 1px solid #e2e2e2; border-radius: 8px; padding: 6px; background: #fff; }
.file-image { display: block; max-width: 480px; width: 100%; border-radius: 4px; }
.file figcaption { font-size: 12px; color: #616061; margin-top: 4px; }
.file-download { display: inline-block; font-weight: 700; text-decoration: none; }
.file-name { font-weight: 400; font-size: 12px; color: #616061; }
#main { flex: 1; display: flex; flex-direction: column; min-width: 0; }
#main-header, #thread header { height: 50px; flex: none; display: flex; align-items: center; gap: 12px; padding: 0 20px; border-bottom: 1px solid #ddd; font-weight: 900; font-size: 18px; }
#main-topic { font-weight: 400; font-size: 13px; color: #616061; }
.message-list { flex: 1; overflow-y: auto; padding: 12px 0; }
.home { flex: 1; overflow-y: auto; padding: 20px 28px; }
.empty { color: #616061; padding: 24px 20px; }
.message { display: flex; gap: 10px; padding: 8px 20px; }
.message:hover { background: #f8f8f8; }
.message.ephemeral { background: #f4f8fb; border-left: 3px solid #1264a3; }
.avatar { width: 36px; height: 36px; border-radius: 6px; flex: none; color: #fff; font-weight: 700; display: flex; align-items: center; justify-content: center; }
.content { min-width: 0; flex: 1; }
.meta { display: flex; gap: 8px; align-items: baseline; }
.meta .author { font-weight: 900; }
.meta time, .meta .edited, .meta .only-you { font-size: 12px; color: #616061; }
.app-badge { font-size: 10px; font-weight: 700; background: #e8e8e8; color: #616061; padding: 0 4px; border-radius: 3px; }
.replies a { display: inline-block; margin-top: 4px; font-size: 13px; font-weight: 700; color: #1264a3; text-decoration: none; cursor: pointer; }
.replies a:hover { text-decoration: underline; }
.block { margin: 4px 0; }
.header { font-size: 18px; font-weight: 900; margin: 6px 0; }
.section { display: flex; gap: 12px; align-items: flex-start; }
.section-body { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 16px; margin-top: 4px; }
.context { font-size: 12px; color: #616061; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.context .thumb { width: 16px; height: 16px; }
.divider { border: none; border-top: 1px solid #e2e2e2; margin: 10px 0; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; }
.picture { max-width: 360px; border-radius: 6px; display: block; }
.thumb { width: 72px; height: 72px; border-radius: 6px; object-fit: cover; }
.unsupported { color: #999; font-style: italic; font-size: 13px; }
code { font: 12px Monaco, Menlo, Consolas, monospace; color: #e01e5a; background: #f6f6f6; border: 1px solid #e2e2e2; border-radius: 3px; padding: 1px 3px; }
pre { font: 12px/1.5 Monaco, Menlo, Consolas, monospace; background: #f8f8f8; border: 1px solid #e2e2e2; border-radius: 4px; padding: 8px; white-space: pre-wrap; margin: 4px 0; }
.quote { display: block; border-left: 4px solid #ddd; padding-left: 10px; color: #454245; }
.mention { color: #1264a3; background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
a { color: #1264a3; }
.btn { font: inherit; font-size: 14px; font-weight: 700; padding: 4px 14px; min-height: 32px; border-radius: 6px; border: 1px solid #bbb; background: #fff; color: #1d1c1d; cursor: pointer; }
.btn:hover { background: #f6f6f6; }
.btn-primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.btn-primary:hover { background: #148567; }
.btn-danger { background: #fff; border-color: #e01e5a; color: #e01e5a; }
.btn-danger:hover { background: #fdf1f5; }
.btn.danger-solid { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.btn:disabled { opacity: .5; cursor: default; }
.select, .field { font: inherit; font-size: 14px; padding: 6px 8px; border: 1px solid #bbb; border-radius: 6px; background: #fff; }
.field { width: 100%; }
#composer { flex: none; display: flex; gap: 8px; margin: 0 20px 20px; padding: 8px; border: 1px solid #bbb; border-radius: 8px; }
#composer input { flex: 1; border: none; outline: none; font: inherit; }
#thread { width: 420px; flex: none; border-left: 1px solid #ddd; display: flex; flex-direction: column; }
#thread header { justify-content: space-between; }
.thread-divider { font-size: 13px; color: #616061; padding: 4px 20px; border-bottom: 1px solid #eee; }
.icon-btn { border: none; background: none; font-size: 22px; cursor: pointer; color: #616061; }
.backdrop { position: fixed; inset: 0; background: rgba(0,0,0,.45); display: flex; align-items: center; justify-content: center; z-index: 10; }
.backdrop[hidden], [hidden] { display: none !important; }
.modal { background: #fff; width: 540px; max-height: 85vh; display: flex; flex-direction: column; border-radius: 8px; box-shadow: 0 18px 48px rgba(0,0,0,.35); }
.modal header { display: flex; justify-content: space-between; align-items: center; padding: 16px 24px; font-size: 20px; font-weight: 900; }
.modal-body { padding: 4px 24px 12px; overflow-y: auto; }
.modal footer { display: flex; justify-content: flex-end; gap: 8px; padding: 16px 24px; border-top: 1px solid #eee; }
.confirm { width: 440px; }
#confirm-backdrop { z-index: 20; }
.input { margin: 10px 0; }
.input-label { display: block; font-weight: 700; margin-bottom: 6px; }
.optional, .hint { font-weight: 400; font-size: 13px; color: #616061; }
.input-error { color: #e01e5a; font-size: 13px; }
.choices label { display: block; }
#toast { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); background: #1d1c1d; color: #fff; padding: 10px 16px; border-radius: 8px; max-width: 640px; z-index: 30; }
`;
