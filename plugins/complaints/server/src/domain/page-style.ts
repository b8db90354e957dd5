/**
 * The style of every public page (the results page, the intake and tracking forms, the survey
 * link's page): one stylesheet, served as a file to the pages (CSP style-src 'self') and inlined
 * with a nonce in the survey's self-contained page. Phone first (375 px): one column, tap targets
 * of at least 44 px, no horizontal scroll; wider screens get two columns.
 */
export const PAGE_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;line-height:1.6;color:#1f2933;background:#f5f6f8;overflow-wrap:anywhere}
a{color:#a3161f}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #1c64f2;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:2}
header.site{background:#a3161f;color:#fff;padding:.75rem 1rem}
header.site .bar{max-width:60rem;margin:0 auto;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;justify-content:space-between}
header.site .brand{font-size:1.25rem;font-weight:700;color:#fff;text-decoration:none;display:flex;align-items:center;gap:.5rem;min-height:44px}
header.site .brand img{height:32px;width:auto}
nav.site{display:flex;flex-wrap:wrap;gap:.25rem}
nav.site a{color:#fff;text-decoration:none;padding:.6rem .75rem;min-height:44px;display:inline-flex;align-items:center;border-radius:.3rem}
nav.site a[aria-current=page]{background:rgba(255,255,255,.2);font-weight:700}
nav.site a.lang{border:1px solid rgba(255,255,255,.7)}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.en{color:#52606d}
.cards{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.75rem}
.card{background:#fff;border:1px solid #d9dde3;border-radius:.5rem;padding:.75rem}
.card .n{font-size:1.6rem;font-weight:700;display:block}
.card .sub{font-size:.85rem;color:#52606d}
.meter{height:.6rem;background:#e4e7eb;border-radius:.3rem;overflow:hidden;margin-top:.3rem}
.meter>span{display:block;height:100%;background:#a3161f}
.panel{background:#fff;border:1px solid #d9dde3;border-radius:.5rem;padding:.75rem;margin:.75rem 0}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.45rem .4rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{font-weight:600;color:#323f4b}
td.num,th.num{text-align:right;white-space:nowrap}
svg.chart{width:100%;height:auto;display:block}
svg.chart text{font-size:11px;fill:#323f4b}
ul.results{list-style:none;padding:0;margin:0}
ul.results li{background:#fff;border:1px solid #d9dde3;border-radius:.5rem;padding:.75rem;margin:.5rem 0}
ul.results .meta{font-size:.9rem;color:#52606d}
form.filters{display:grid;grid-template-columns:1fr;gap:.5rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select,textarea{font:inherit;width:100%;min-height:44px;padding:.5rem;border:1px solid #7b8794;border-radius:.3rem;background:#fff;color:#1f2933}
textarea{min-height:8rem}
input[type=checkbox],input[type=radio]{width:1.4rem;height:1.4rem;min-height:0;vertical-align:middle;margin-right:.4rem}
.check{display:flex;align-items:flex-start;gap:.25rem;font-weight:400;min-height:44px}
fieldset{border:1px solid #d9dde3;border-radius:.5rem;margin:1rem 0;padding:.5rem .75rem}
button,.button{font:inherit;font-weight:600;min-height:44px;padding:.5rem 1.25rem;border:0;border-radius:.3rem;background:#a3161f;color:#fff;cursor:pointer;margin-top:1rem;display:inline-flex;align-items:center;text-decoration:none}
.hint{font-size:.9rem;color:#52606d;font-weight:400}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.notice{border-left:4px solid #a3161f;background:#fff;padding:.75rem;margin:1rem 0}
.notice.ok{border-color:#1f7a3a}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.3rem;font-weight:700;letter-spacing:.05em}
ol.timeline{padding-left:1.2rem}
.pager{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.back{min-height:44px;display:inline-flex;align-items:center}
label.choice{display:flex;align-items:center;min-height:44px;margin:.25rem 0}
.pager a{min-height:44px;display:inline-flex;align-items:center;padding:0 .75rem;border:1px solid #7b8794;border-radius:.3rem;background:#fff}
footer.site{max-width:60rem;margin:2rem auto;padding:0 1rem;font-size:.85rem;color:#52606d}
dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}dt{color:#52606d}
@media (min-width:48rem){.cards{grid-template-columns:repeat(3,minmax(0,1fr))}form.filters{grid-template-columns:repeat(4,1fr);align-items:end}.two{display:grid;grid-template-columns:1fr 1fr;gap:1rem}}
`.replace(/\n/g, '');
