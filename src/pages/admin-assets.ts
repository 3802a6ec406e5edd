/**
 * The admin console's style sheet and its one script, served by moneypenny itself
 * (no CDN) so the console's Content-Security-Policy can stay at 'self' with no inline code.
 */

export const CONSOLE_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}[hidden]{display:none!important}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;background:#f4f5f7}
a{color:#0b57d0}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}.skip:focus{left:.5rem;z-index:2}
header{background:#1d2733;color:#fff;padding:.6rem 1.25rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
header .brand{font-weight:700;letter-spacing:.02em;margin-right:auto}
header nav{display:flex;flex-wrap:wrap;gap:.25rem}
header nav a{color:#dfe7f1;text-decoration:none;padding:.35rem .7rem;border-radius:6px}
header nav a[aria-current=page]{background:#3a4a5e;color:#fff}header nav a:hover{background:#2d3a4a}
header form{margin:0}header button{margin:0;background:transparent;color:#dfe7f1;border:1px solid #4d5d71;padding:.3rem .7rem}
main{max-width:72rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .75rem}.card h2:first-child{margin-top:0}
.card{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:1rem 1.25rem;margin-bottom:1rem}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;margin:0;padding:0;list-style:none}
.stats li{background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:1rem 1.25rem}
.stats .number{display:block;font-size:2rem;font-weight:700}.stats .note{color:#58616b;font-size:.875rem}
.notice{background:#e7f4ea;border:1px solid #9fd3ab;border-radius:8px;padding:.6rem 1rem}
.error{color:#a40000;font-weight:600}.form-error{background:#fdecec;border:1px solid #f0a8a8;border-radius:8px;padding:.6rem 1rem}
.field{margin:0 0 1rem}.field label,.field legend{display:block;font-weight:600;margin-bottom:.25rem}
.field .hint{color:#58616b;font-size:.875rem;margin:.2rem 0 0}.field .field-error{color:#a40000;font-weight:600;margin:.25rem 0 0}
input[type=text],input[type=email],input[type=password],input[type=search],select,textarea{width:100%;max-width:36rem;padding:.5rem .6rem;font:inherit;border:1px solid #9aa3ad;border-radius:6px;background:#fff}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a40000;border-width:2px}
textarea{min-height:6rem}fieldset{border:0;padding:0;margin:0}
.plain{list-style:none;padding:0;margin:0}.plain li{margin:0 0 .5rem}
.field .choice{display:flex;align-items:center;gap:.5rem;margin:.2rem 0;font-weight:400}.choice input{width:1.1rem;height:1.1rem}
button,.button{display:inline-block;font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none;margin:.25rem .5rem .25rem 0}
.button.secondary,button.secondary{background:#fff;color:#0b57d0}
button.danger,.button.danger{background:#b3261e;border-color:#b3261e;color:#fff}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem}.actions form{margin:0}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #dde1e6;border-radius:10px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.55rem .75rem;border-bottom:1px solid #e6e9ed;vertical-align:top}
th{background:#f0f2f5;font-size:.875rem}tr:last-child td{border-bottom:0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.875rem;word-break:break-all}
.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:1rem}.search .field{margin:0;flex:1 1 16rem}
.pager{display:flex;gap:1rem;align-items:center;margin:1rem 0}
.badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.8rem;background:#e6e9ed}.badge.off{background:#fdecec;color:#8a1c1c}.badge.on{background:#e7f4ea;color:#1e5e2e}
.secret{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.secret input{font-family:ui-monospace,monospace}
.columns{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:48rem){.columns{grid-template-columns:1fr}main{padding:.75rem}header{padding:.5rem .75rem}h1{font-size:1.35rem}th,td{padding:.45rem .5rem}}
`

/** Copy buttons: hidden without script; with it, copy their field (and select it, so a manual copy also works). */
export const CONSOLE_SCRIPT = `for (const button of document.querySelectorAll('button[data-copy]')) {
  const field = document.getElementById(button.dataset.copy)
  if (!field) continue
  button.hidden = false
  button.addEventListener('click', async () => {
    field.select()
    try {
      await navigator.clipboard.writeText(field.value)
      button.textContent = 'Copied'
    } catch {
      button.textContent = 'Selected: press Ctrl+C'
    }
  })
}
`
