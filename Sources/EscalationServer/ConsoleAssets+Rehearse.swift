extension ConsoleAssets {
    /// The rehearse page's form and Monte Carlo chart: fields in as many columns as fit, full-width inputs, nothing
    /// wider than a 360 px screen.
    static let rehearseCSS = """
        .rehearse fieldset { border: 1px solid #d9dde3; border-radius: .5rem; background: #fff; margin: 0 0 1rem; padding: .25rem 1rem 1rem; min-width: 0; }
        .rehearse legend { font-weight: 600; padding: 0 .25rem; }
        .rehearse .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr)); gap: 0 1rem; }
        .rehearse input, .rehearse select, .rehearse textarea { width: 100%; }
        textarea { font: .95rem/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid #8a939e; border-radius: .375rem;
          padding: .35rem .5rem; max-width: 100%; background: #fff; }
        textarea:focus-visible { outline: 3px solid #f29900; outline-offset: 2px; }
        .rehearse .buttons { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: .75rem; }
        .field-error { color: #8c1d18; font-size: .9rem; font-weight: 600; margin: .25rem 0; }
        [aria-invalid="true"] { border-color: #c5221f; border-width: 2px; }
        .error ul { margin: .25rem 0 0; padding-left: 1.25rem; }
        .error a { color: #8c1d18; }
        figure.chart { margin: 0 0 1rem; }
        figure.chart svg { display: block; width: 100%; max-width: 44rem; height: auto; }
        figure.chart figcaption { color: #4d5560; font-size: .9rem; }
        h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
        details { margin: 1rem 0 0; }
        summary { cursor: pointer; font-weight: 600; }

        """
}
