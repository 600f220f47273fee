import EscalationSimulator

/// The console's stylesheet, script and icon, served from `/console/assets/` (nothing is loaded from the network).
enum ConsoleAssets {
    /// `console.css`: the frame and pages (`base`), the timeline shared with `escalate simulate --format html`
    /// (`TimelineHTML.css`) and the rehearse page (`rehearseCSS`).
    static let css = base + TimelineHTML.css + rehearseCSS

    /// The frame and pages: one column on a phone, wider tables from 40rem; no horizontal scrolling at 360 px.
    static let base = """
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #f6f7f9; }
        a { color: #0b57d0; }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f29900; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
        .skip:focus { left: .5rem; z-index: 10; }
        header { background: #1b1f24; color: #fff; }
        header nav { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; max-width: 72rem; margin: 0 auto; padding: .5rem 1rem; }
        header a { color: #fff; font-weight: 600; }
        header .who { margin-left: auto; opacity: .85; overflow-wrap: anywhere; }
        header form { margin: 0; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.5rem; line-height: 1.25; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
        p, li, td, th, dd, dt { overflow-wrap: anywhere; }
        button, input, select { font: inherit; min-height: 2.5rem; }
        button { background: #0b57d0; color: #fff; border: 0; border-radius: .375rem; padding: .4rem .9rem; cursor: pointer; }
        button.secondary { background: #fff; color: #1b1f24; border: 1px solid #8a939e; }
        header button { background: transparent; border: 1px solid #fff; }
        input, select { border: 1px solid #8a939e; border-radius: .375rem; padding: .35rem .5rem; background: #fff; max-width: 100%; }
        label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
        .card { background: #fff; border: 1px solid #d9dde3; border-radius: .5rem; padding: 1rem; margin: 0 0 1rem; }
        .signin { max-width: 26rem; margin: 2rem auto; }
        .signin input { width: 100%; }
        .hint { color: #4d5560; font-size: .9rem; margin: .25rem 0; }
        .error { background: #fdecea; border: 1px solid #c5221f; color: #8c1d18; padding: .75rem 1rem; border-radius: .5rem; }
        .notice { background: #e6f4ea; border: 1px solid #188038; padding: .75rem 1rem; border-radius: .5rem; }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
        .filters label { margin: 0 0 .25rem; }
        table { width: 100%; border-collapse: collapse; background: #fff; }
        caption { text-align: left; }
        th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
        .status { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .85rem; font-weight: 600; background: #eceff1; }
        .status-open { background: #fdecea; color: #8c1d18; }
        .status-acknowledged { background: #fef7e0; color: #7a4f01; }
        .status-resolved { background: #e6f4ea; color: #0d652d; }
        dl.facts { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: .25rem 1rem; margin: 0; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
        .actions form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; margin: 0; }
        .actions label { margin: 0 0 .25rem; }
        .card > h2:first-child { margin-top: 0; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f1f3f4; padding: .75rem; border-radius: .375rem; }
        .graph img { display: block; max-width: 100%; height: auto; }
        .pager { display: flex; gap: 1rem; margin: 1rem 0; }
        .live-status { color: #4d5560; font-size: .85rem; min-height: 1.3rem; }
        .grid-scroll { overflow-x: auto; max-width: 100%; border: 1px solid #d9dde3; border-radius: .375rem; }
        .grid-scroll:focus-visible { outline: 3px solid #f29900; outline-offset: 2px; }
        table.coverage { min-width: 60rem; font-size: .85rem; }
        table.coverage th, table.coverage td { border: 1px solid #e3e6ea; padding: .3rem .4rem; }
        table.coverage th[scope=row] { position: sticky; left: 0; background: #f6f7f9; white-space: nowrap; z-index: 1; }
        table.coverage thead th { background: #f6f7f9; white-space: nowrap; }
        ol.reach { margin: 0; padding-left: 1.3rem; }
        td.gap, .key.gap { background: #fdecea; color: #8c1d18; box-shadow: inset 4px 0 0 #c5221f; }
        td.thin, .key.thin { background: #fef7e0; color: #5c3c00; box-shadow: inset 4px 0 0 #b06000; }
        td.none { color: #4d5560; font-style: italic; }
        .gap-label { display: block; text-transform: uppercase; letter-spacing: .04em; }
        .key { display: inline-block; padding: 0 .4rem; border-radius: .25rem; font-weight: 600; }
        .nobody { color: #8c1d18; }
        td.on-call-who { overflow-wrap: normal; white-space: nowrap; }
        ul.stretches { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .5rem; }
        ul.stretches li { padding: 0 .4rem; border-radius: .25rem; background: #e6f4ea; }
        ul.stretches li.nobody-stretch { background: #fdecea; color: #8c1d18; box-shadow: inset 3px 0 0 #c5221f; }
        table.schedule-week th[scope=row] { width: 10rem; white-space: nowrap; }
        .severity { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .85rem; font-weight: 600; background: #eceff1; }
        .severity-error { background: #fdecea; color: #8c1d18; }
        .severity-warning { background: #fef7e0; color: #7a4f01; }
        details > summary { cursor: pointer; }
        details > summary h2 { display: inline; margin: 0; }
        @media (max-width: 40rem) {
          table.coverage { display: table; }
          table.coverage thead { display: table-header-group; }
          table.coverage tbody { display: table-row-group; }
          table.coverage tr { display: table-row; border: 0; padding: 0; }
          table.coverage thead tr { position: static; }
          table.coverage th, table.coverage td { display: table-cell; border: 1px solid #e3e6ea; padding: .3rem .4rem; }
        }
        @media (max-width: 40rem) {
          table, thead, tbody, tr, th, td { display: block; }
          thead tr { position: absolute; left: -9999px; }
          tr { border-bottom: 2px solid #d9dde3; padding: .25rem 0; }
          td { border: 0; padding: .2rem .5rem; }
          td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
          dl.facts { grid-template-columns: 1fr; }
          dl.facts dd { margin-bottom: .4rem; }
        }
        """

    /// `console.js`: live updates. The page's `#live` region names its event stream; on each `changed` event the page
    /// is fetched again and the region replaced, with no reload. Nothing else runs.
    static let script = """
        (function () {
          'use strict';
          var live = document.getElementById('live');
          if (!live || !window.EventSource || !window.fetch) { return; }
          var status = document.getElementById('live-status');
          var busy = false;
          var again = false;
          function say(text) { if (status) { status.textContent = text; } }
          function refresh() {
            if (busy) { again = true; return; }
            busy = true;
            fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
              .then(function (response) {
                if (!response.ok || response.redirected) { throw new Error('HTTP ' + response.status); }
                return response.text();
              })
              .then(function (text) {
                var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('live');
                if (!fresh) { return; }
                var focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.id : '';
                live.innerHTML = fresh.innerHTML;
                if (focused) { var target = document.getElementById(focused); if (target) { target.focus(); } }
                say('Updated at ' + new Date().toLocaleTimeString());
              })
              .catch(function () { say('Live updates paused: reload the page.'); })
              .then(function () { busy = false; if (again) { again = false; refresh(); } });
          }
          var source = new EventSource(live.getAttribute('data-events'));
          source.addEventListener('changed', refresh);
          source.addEventListener('signed-out', function () { source.close(); window.location.assign('/console/sign-in'); });
          source.addEventListener('open', function () { say('Live'); });
          window.addEventListener('pagehide', function () { source.close(); });
        })();
        """

    /// `favicon.svg`, so browsers do not ask for a missing `/favicon.ico`.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b57d0"/><path d="M4 12 8 4l4 8z" fill="#fff"/></svg>
        """
}
