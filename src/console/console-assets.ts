/**
 * The console's own stylesheet and script, served from memory (no CDN, no build step, and the
 * compiled bot carries them). htmx is read from its npm package at start.
 */

/** Readable on a laptop and a phone; contrast ≥ 4.5:1; a visible focus ring for keyboard use. */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
a{color:#0b4f9c}
a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #ffbf47;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:8px 16px;background:#12355b;color:#fff}
header a{color:#fff;margin-right:12px}.brand{margin-right:16px}
.logout{margin-left:auto}.logout span{margin-right:6px}
main{padding:12px 16px;max-width:1400px}
h1{font-size:1.4em;margin:.4em 0}h2{font-size:1.15em}
.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;background:#fff;padding:10px;border:1px solid #d0d5dd;border-radius:6px}
.filters label,.bulk label,.action label{display:flex;flex-direction:column;font-size:.9em;gap:2px;min-width:0;max-width:100%}
.filters .wide,.bulk .wide{flex:1 1 240px}
input,select,textarea,button{font:inherit;padding:4px 6px;border:1px solid #8a94a6;border-radius:4px;background:#fff;color:#1a1a1a;max-width:100%}
fieldset{min-width:0}
button{background:#0b4f9c;color:#fff;border-color:#0b4f9c;cursor:pointer;padding:5px 12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #d0d5dd;padding:6px 8px;text-align:left;vertical-align:top}
th a{text-decoration:none}
tr.overdue td{background:#fdecea}
.urgent{color:#a4000f;font-weight:600}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
td.text{max-width:420px}
.pager{display:flex;gap:16px;margin:8px 0}
.bulk fieldset,.action{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;border:1px solid #d0d5dd;border-radius:6px;background:#fff;padding:10px;margin:10px 0}
.actions{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px}
.notice{padding:8px 12px;border-radius:6px;background:#e8f1fb;border:1px solid #9cc0e8}
.notice.error{background:#fdecea;border-color:#e8a39c}.notice.ok{background:#e9f6ec;border-color:#8fcf9c}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}.facts dt{font-weight:600}
.plain{list-style:none;padding:0;margin:0}
.thread{list-style:none;padding:0}.thread li{background:#fff;border:1px solid #d0d5dd;border-radius:6px;padding:8px;margin:6px 0}
.thread li.bot{background:#eef4fb;margin-left:24px}.meta{font-size:.85em;color:#4a5363}
.attachment{display:inline-block;border:1px solid #8a94a6;border-radius:4px;padding:0 6px;font-size:.85em}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.chart{width:100%;max-width:900px;height:160px}.chart rect{fill:#0b4f9c}.chart text{font-size:9px;fill:#1a1a1a}
.sla{margin:12px 0}.sla caption{text-align:left;font-weight:600;padding:4px 0}
@media (max-width:640px){main{padding:8px}th,td{padding:4px}td.text{max-width:220px}.logout{margin-left:0}}
`;

/** Small enhancements: «select all» for the bulk form. Everything works without it. */
export const CONSOLE_JS = `
document.addEventListener('change', function (event) {
  var box = event.target;
  if (!box || box.id !== 'select-all') return;
  document.querySelectorAll('input[type=checkbox][name=id]').forEach(function (b) { b.checked = box.checked; });
});
`;
