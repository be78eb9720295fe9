// Copyright 2026 The Barrage Authors.

#include "controller/report/html_page.h"

#include "absl/strings/str_cat.h"
#include "controller/report/svg_chart.h"

namespace barrage {
namespace {

constexpr const char kStyle[] = R"css(
:root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--ink:#1f2328;--mute:#59636e;--rule:#d0d7de}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
margin:0 auto;max-width:1200px;padding:16px}
h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid var(--rule)}
.verdict{padding:14px 18px;border-radius:6px;color:#fff;display:flex;gap:18px;align-items:baseline;flex-wrap:wrap}
.verdict h1{margin:0;font-size:26px;letter-spacing:.04em}
.v-passed{background:var(--ok)}.v-failed{background:var(--bad)}.v-aborted{background:var(--warn)}
.v-error{background:#6e7781}
dl.fp{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}
dl.fp dt{color:var(--mute)}dl.fp dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--rule);padding:3px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.fail td{color:var(--bad);font-weight:600}tr.all td{font-weight:600;border-top:2px solid var(--rule)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
figure.chart-box{margin:8px 0 16px;position:relative}
figcaption{font-size:13px}figcaption small{color:var(--mute)}
.key{margin-left:10px;white-space:nowrap}.key i{display:inline-block;width:14px;height:3px;
vertical-align:middle;margin-right:4px}
svg.chart{width:100%;height:auto;display:block;font-size:11px}
svg.chart text{fill:var(--mute)}svg.chart .grid{stroke:#eaeef2}
svg.chart .axis line{stroke:#8c959f}svg.chart polyline{fill:none;stroke-width:1.6}
svg.chart .band-0{fill:#f6f8fa}svg.chart .band-1{fill:#eef3fb}
svg.chart .band-warmup{fill:#fbeccb}.key i.swatch-warmup{height:10px;background:#fbeccb}
svg.chart .marker line{stroke:var(--bad);stroke-dasharray:3 3;stroke-width:1.2}
svg.chart .marker-change-point line{stroke:#8250df;stroke-dasharray:none;stroke-width:2}
.tip{position:absolute;pointer-events:none;background:#fff;border:1px solid var(--rule);
padding:4px 6px;font-size:12px;white-space:pre;display:none;box-shadow:0 1px 4px #0002}
.note{color:var(--mute)}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
@media print{body{max-width:none;padding:0;font-size:10pt}.tip{display:none!important}
.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}
figure.chart-box,table{break-inside:avoid}h2{break-after:avoid}}
)css";

// Hover values: the nearest point of every line under the pointer.
constexpr const char kScript[] = R"js(
document.querySelectorAll('svg.chart').forEach(function(svg){
  var fig=svg.parentNode,tip=document.createElement('div');tip.className='tip';fig.appendChild(tip);
  var plot=svg.dataset.plot.split(' ').map(Number),x0=+svg.dataset.xMin,x1=+svg.dataset.xMax;
  var lines=[].map.call(svg.querySelectorAll('polyline'),function(p){
    return {n:p.dataset.name,t:p.dataset.t?p.dataset.t.split(' ').map(Number):[],
            v:p.dataset.v?p.dataset.v.split(' ').map(Number):[]};});
  svg.addEventListener('mousemove',function(e){
    var r=svg.getBoundingClientRect(),vx=(e.clientX-r.left)/r.width*1000;
    var x=x0+(vx-plot[0])/(plot[2]-plot[0])*(x1-x0),out=[];
    lines.forEach(function(l){if(!l.t.length)return;var b=0;
      for(var i=1;i<l.t.length;i++)if(Math.abs(l.t[i]-x)<Math.abs(l.t[b]-x))b=i;
      out.push(l.n+'  '+l.v[b]+'  (x '+l.t[b]+')');});
    if(!out.length)return;tip.textContent=out.join('\n');tip.style.display='block';
    tip.style.left=Math.min(e.clientX-r.left+12,r.width-220)+'px';tip.style.top=(e.clientY-r.top+12)+'px';});
  svg.addEventListener('mouseleave',function(){tip.style.display='none';});
});
)js";

}  // namespace

std::string HtmlPageHead(absl::string_view title, absl::string_view extra_css) {
  return absl::StrCat("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                      "<title>", HtmlEscape(title), "</title><style>", kStyle, extra_css,
                      "</style></head><body>\n");
}

std::string HtmlPageEnd() {
  return absl::StrCat("<p class=\"note\">Written by barrage; self-contained, no network "
                      "requests.</p>\n<script>", kScript, "</script></body></html>\n");
}

}  // namespace barrage
