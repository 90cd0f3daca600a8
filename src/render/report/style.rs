//! The report's style sheet, inlined into the page: the one piece of the page
//! that goes in unescaped, so it stays a constant with nothing interpolated.

pub(super) const CSS: &str = r#"
:root { --ink: #1d2330; --muted: #5b6475; --line: #d5dae3; --bg: #f6f7f9;
  --pmo: #1f5fa8; --hybrid: #b07800; --vmo: #23803a; --accent: #1d2330; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 960px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
.muted { color: var(--muted); }
.verdict { border-left: 6px solid var(--hybrid); background: var(--bg); padding: .8rem 1rem; border-radius: 4px; }
.verdict.pmo { border-color: var(--pmo); } .verdict.vmo { border-color: var(--vmo); }
.verdict .band { font-size: 1.8rem; font-weight: 700; }
.figures { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin-top: .5rem; }
.chart { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.chart svg { width: 100%; max-width: 700px; height: auto; flex: 3 1 480px; }
svg.bars { display: block; width: 100%; max-width: 640px; height: auto; margin: .5rem 0; }
.legend { list-style: none; padding: 0; margin: 0; flex: 1 1 180px; }
.legend li { margin: .2rem 0; }
.swatch { display: inline-block; width: 1.4em; height: .7em; margin-right: .4em; vertical-align: middle; border-radius: 2px; }
.swatch.baseline { border: 2px dashed #8a93a5; height: .5em; }
.up { color: #1f7a3a; } .down { color: #b3261e; }
.progress li.sub { margin-left: 1.5em; list-style: circle; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.flag { color: #a33; }
.provisional { border: 2px solid #a33; color: #a33; padding: .5rem .8rem; border-radius: 4px; }
.headline { font-weight: 600; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
ol.steps { padding-left: 1.6rem; }
li.step { border-bottom: 1px solid var(--line); padding: .3rem 0 .4rem; }
li.step p { margin: .2rem 0; }
.move .from { color: var(--muted); } .move .to { font-weight: 600; }
blockquote { margin: .4rem 0 .8rem; padding: .3rem .8rem; border-left: 3px solid var(--line); background: var(--bg); }
blockquote .who { color: var(--muted); white-space: nowrap; }
blockquote p.about { margin: 0 0 .2rem; }
.cover { border-top: 6px solid var(--accent); padding-top: .6rem; margin-bottom: 1rem; }
.cover .brand { display: flex; align-items: center; gap: .8rem; margin-bottom: .4rem; }
.cover .logo { max-height: 48px; max-width: 200px; }
.cover .firm { font-weight: 600; color: var(--accent); }
.cover .kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-size: .85rem; }
.cover h1 { font-size: 2rem; margin: .1rem 0 .3rem; }
.cover .meta { display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; margin: 0; color: var(--muted); }
#summary h2 { margin-top: 1rem; }
#summary .lede { margin: 0; color: var(--muted); }
#summary .office { margin: .2rem 0; font-size: 1.1rem; }
#summary .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; }
#summary h3 { margin-top: .8rem; }
#summary ol, #summary ul { padding-left: 1.3rem; margin: .2rem 0; }
#summary li { margin: .15rem 0; }
#summary .firm { margin: .2rem 0; }
ol.agenda { padding-left: 1.4rem; }
ol.agenda li.item { margin-bottom: .6rem; }
ol.agenda p { margin: .2rem 0; }
.split { color: var(--muted); }
.confidential { font-weight: 600; }
@media (max-width: 600px) {
  body { font-size: 15px; }
  #summary .grid { grid-template-columns: 1fr; }
  main { padding: .6rem; }
  th, td { padding: .3rem .3rem; }
}
@page { size: A4; margin: 18mm 16mm 18mm 16mm;
  @top-left { font: 8pt system-ui, sans-serif; color: #5b6475; }
  @bottom-left { font: 8pt system-ui, sans-serif; color: #5b6475; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; color: #5b6475; } }
@media print {
  body { font-size: 10pt; line-height: 1.4; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.2rem; }
  h3 { break-after: avoid; page-break-after: avoid; }
  #summary { break-after: page; page-break-after: always; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
  #summary .verdict .band { font-size: 1.5rem; }
  tr, .chart, .verdict, blockquote, li.step, li.item, #summary .grid > div, .cover,
  ul.first, #summary p.firm, footer { break-inside: avoid; page-break-inside: avoid; }
  .chart svg { max-width: 520px; }
  svg.bars { max-width: 440px; }
  .verdict, th, .swatch, svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;
