import Crypto
import Foundation
import Vapor

/// The site's one stylesheet, served under a name that changes with its content so that
/// browsers may keep it for a year.
enum Stylesheet {
    static let version: String = {
        SHA256.hash(data: Data(css.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }()

    static func serve(_ request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.cacheControl = .init(isPublic: true, immutable: true, maxAge: 31_536_000)
        return Response(status: .ok, headers: headers, body: .init(string: css))
    }

    static let css = """
    :root { --ink: #1b1f24; --muted: #4f5863; --line: #d5dbe1; --accent: #0b5cad; --accent-dark: #07427d;
      --paper: #ffffff; --tint: #f3f6f9; --open: #17663a; --closed: #8a1c1c; font-size: 100%; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 1rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: var(--paper); }
    a { color: var(--accent); }
    a:hover { color: var(--accent-dark); }
    :focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
    .wrap { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
    .skip-link { position: absolute; left: -999px; top: 0; background: var(--ink); color: #fff; padding: .5rem 1rem; z-index: 10; }
    .skip-link:focus { left: 1rem; }
    .identity-banner { background: var(--tint); border-bottom: 1px solid var(--line); font-size: .875rem; }
    .identity-banner summary { cursor: pointer; padding: .4rem 0; }
    .identity-banner .banner-more { color: var(--accent); text-decoration: underline; }
    .banner-body { display: grid; gap: 1rem 2rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); padding-bottom: .75rem; }
    .banner-body h2 { font-size: 1rem; margin: .5rem 0 .25rem; }
    .banner-body p { margin: 0; }
    .site-header { border-bottom: 3px solid var(--accent); }
    .site-header .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 2rem; padding-top: .75rem; padding-bottom: .75rem; }
    .site-name { font-weight: 700; font-size: 1.2rem; color: var(--ink); text-decoration: none; }
    .site-header ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
    .site-header nav a { text-decoration: none; font-weight: 500; }
    .site-header nav a[aria-current] { text-decoration: underline; text-underline-offset: .3em; }
    main { padding-top: 1.5rem; padding-bottom: 3rem; min-height: 60vh; }
    h1 { font-size: 2rem; line-height: 1.2; margin: .5rem 0 1rem; }
    h2 { font-size: 1.35rem; line-height: 1.3; }
    .cards { list-style: none; margin: 0; padding: 0; }
    .card { padding: 1rem 0; border-bottom: 1px solid var(--line); }
    .card-title { font-size: 1.2rem; margin: .2rem 0 .35rem; }
    .card-title a { text-decoration: none; }
    .card-title a:hover { text-decoration: underline; }
    .card-meta { color: var(--muted); font-size: .875rem; margin: 0; }
    .card-excerpt { margin: 0; }
    .snippet mark { background: #fff3b0; color: inherit; font-weight: 600; padding: 0 .1em; }
    .type-label { font-weight: 600; text-transform: uppercase; letter-spacing: .04em; font-size: .75rem; color: var(--accent-dark); }
    .filters { background: var(--tint); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; margin-bottom: 1.5rem; }
    .filters fieldset { border: 0; padding: 0; margin: 1rem 0 0; }
    .filters legend { font-weight: 400; padding: 0; margin-bottom: .5rem; }
    .type-options { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; margin: 0; padding: 0; }
    .type-options input { width: 1.1rem; height: 1.1rem; vertical-align: -.15rem; }
    .field label, .quick-search label { display: block; font-weight: 600; margin-bottom: .25rem; }
    input[type=search], input[type=number], select { font: inherit; padding: .45rem .6rem; border: 1px solid #7a8591; border-radius: .3rem; background: #fff; color: var(--ink); }
    input[type=search] { width: min(100%, 28rem); }
    input[type=number] { width: 6.5rem; }
    .filters .field { margin-top: 1rem; }
    .filters .field:first-child { margin-top: 0; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
    .library { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); }
    @media (min-width: 56rem) { .library { grid-template-columns: 18rem minmax(0, 1fr); } .skip-filters { height: 0; margin: 0; } .skip-filters a { position: absolute; left: -999px; } .skip-filters a:focus { position: static; } }
    .library-results:focus { outline: none; }
    .facet-panel input[type=search] { width: 100%; }
    .facet { border-top: 1px solid var(--line); padding: .5rem 0; }
    .facet summary { cursor: pointer; font-weight: 600; }
    .facet fieldset { margin: .35rem 0 0; }
    .facet-values { list-style: none; margin: 0; padding: 0; max-height: 18rem; overflow-y: auto; }
    .facet-values li { display: flex; gap: .4rem; align-items: baseline; padding: .1rem 0; }
    .facet-values input, .compare-choice input { width: 1.05rem; height: 1.05rem; flex: none; }
    .years legend { font-weight: 600; }
    .year-range { display: flex; gap: 1rem; }
    .year-range .field { margin-top: 0; }
    .active-filters { margin-bottom: .75rem; }
    .chips .clear { border: 0; text-decoration: underline; }
    .result-bar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: .5rem 1rem; }
    .view-switch ul { list-style: none; display: flex; gap: .25rem; margin: 0; padding: 0; }
    .view-switch a { display: inline-block; padding: .2rem .8rem; border: 1px solid var(--line); border-radius: .3rem; text-decoration: none; }
    .view-switch a[aria-current] { background: var(--accent); border-color: var(--accent); color: #fff; }
    .compare-choice { margin: .4rem 0 0; font-size: .875rem; display: flex; gap: .4rem; align-items: center; }
    .case-map svg { width: 100%; height: auto; border: 1px solid var(--line); border-radius: .5rem; }
    .map-sea { fill: #eef4fa; }
    .map-grid line { stroke: #c9d6e3; stroke-width: .6; }
    .map-markers circle { fill: var(--accent); fill-opacity: .55; stroke: var(--accent-dark); stroke-width: 1; }
    .map-markers a:hover circle, .map-markers a:focus circle { fill: #f2a900; fill-opacity: .9; }
    .case-map figure { margin: 0 0 1rem; }
    .case-map figcaption, .note { color: var(--muted); font-size: .875rem; }
    table { border-collapse: collapse; }
    th, td { text-align: start; vertical-align: top; padding: .4rem .75rem; border-bottom: 1px solid var(--line); }
    .map-table caption, .compare caption { text-align: start; font-weight: 600; padding-bottom: .5rem; }
    .table-scroll { overflow-x: auto; }
    .compare { min-width: 40rem; }
    .compare thead th { min-width: 14rem; }
    .compare .remove { display: block; font-weight: 400; font-size: .875rem; }
    .compare ul { margin: 0; padding-left: 1.1rem; }
    .missing { color: var(--muted); }
    button { font: inherit; font-weight: 600; padding: .45rem 1rem; border-radius: .3rem; border: 1px solid var(--accent-dark); background: var(--accent); color: #fff; cursor: pointer; }
    button:hover { background: var(--accent-dark); }
    .actions { margin-top: 1rem; display: flex; align-items: center; gap: 1rem; }
    .count { color: var(--muted); }
    .result-count { font-weight: 600; }
    .notice { background: var(--tint); border-left: 4px solid var(--accent); padding: .75rem 1rem; }
    .pager ul { list-style: none; display: flex; flex-wrap: wrap; gap: .35rem; padding: 0; margin: 1.5rem 0 0; }
    .pager a { display: inline-block; min-width: 2.4rem; text-align: center; padding: .3rem .6rem; border: 1px solid var(--line); border-radius: .3rem; text-decoration: none; }
    .pager a[aria-current] { background: var(--accent); color: #fff; border-color: var(--accent); }
    .pager .gap { padding: .3rem .2rem; }
    .with-aside { display: grid; gap: 2rem; grid-template-columns: minmax(0, 1fr); }
    @media (min-width: 56rem) { .with-aside { grid-template-columns: minmax(0, 1fr) 15rem; } .home-columns { grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); } }
    .archive-months ul { list-style: none; padding: 0; margin: 0; max-height: 32rem; overflow-y: auto; }
    .home-columns { display: grid; gap: 2rem; }
    .intro { background: var(--tint); border-radius: .5rem; padding: 1.25rem 1.5rem; margin-bottom: 1.5rem; }
    .quick-search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
    .quick-search label { flex-basis: 100%; }
    .dated { list-style: none; padding: 0; }
    .dated li { margin-bottom: .75rem; }
    .secondary { display: block; color: var(--muted); font-size: .875rem; }
    .breadcrumb { margin: 0; font-size: .875rem; }
    .item .lead { font-size: 1.15rem; }
    .facts dl, .classification dl { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .4rem 1.25rem; margin: 0; }
    .facts dl > div, .classification dl > div { display: contents; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    .facts { border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; margin: 1rem 0 1.5rem; }
    .facts h2 { margin-top: 0; font-size: 1.1rem; }
    .stages { margin: 0; padding-left: 1.25rem; }
    .chips, .badges { list-style: none; display: flex; flex-wrap: wrap; gap: .35rem; margin: 0; padding: 0; }
    .chips a { display: inline-block; padding: .1rem .6rem; border: 1px solid var(--line); border-radius: 1rem; text-decoration: none; font-size: .875rem; }
    .badge { display: inline-block; padding: .1rem .6rem; border-radius: 1rem; background: #fff4d6; border: 1px solid #d9a400; font-size: .875rem; }
    .status { display: inline-block; font-weight: 700; padding: .2rem .75rem; border-radius: .3rem; }
    .status-open { background: #e3f4ea; color: var(--open); }
    .status-closed { background: #f8e5e5; color: var(--closed); }
    .status-upcoming { background: var(--tint); }
    .body { max-width: 44rem; }
    .body pre { overflow-x: auto; background: var(--tint); padding: .75rem; }
    .error-message { font-weight: 600; }
    .site-footer { border-top: 1px solid var(--line); background: var(--tint); color: var(--muted); font-size: .875rem; padding: 1rem 0; }
    .account-menu { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; font-size: .9375rem; }
    .account-menu form { margin: 0; }
    .link-button { background: none; border: none; color: var(--accent); padding: 0; font-weight: 500; text-decoration: underline; }
    .link-button:hover { background: none; color: var(--accent-dark); }
    .stacked-form { max-width: 34rem; margin-bottom: 2rem; }
    .stacked-form .field { margin-bottom: 1.1rem; }
    .stacked-form input[type=text], .stacked-form input[type=email], .stacked-form input[type=password], .stacked-form select, .stacked-form textarea {
      display: block; width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid #7a8591; border-radius: .3rem; background: #fff; color: var(--ink); }
    .field input[type=date] { font: inherit; padding: .4rem .5rem; border: 1px solid #7a8591; border-radius: .3rem; }
    .hint { color: var(--muted); font-size: .875rem; margin: 0 0 .35rem; }
    .optional { font-weight: 400; color: var(--muted); }
    .has-error { border-left: 4px solid var(--closed); padding-left: .75rem; }
    .field-error { color: var(--closed); font-weight: 600; margin: 0 0 .35rem; }
    [aria-invalid=true] { border-color: var(--closed) !important; }
    .error-summary { border: 3px solid var(--closed); padding: .75rem 1.25rem; margin-bottom: 1.5rem; }
    .error-summary h2 { margin-top: 0; font-size: 1.15rem; }
    .error-summary a { color: var(--closed); font-weight: 600; }
    .checkbox-field { display: grid; grid-template-columns: auto 1fr; gap: .1rem .6rem; align-items: start; }
    .checkbox-field input { width: 1.15rem; height: 1.15rem; margin-top: .3rem; }
    .checkbox-field .hint { grid-column: 2; }
    .trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
    .form-links { padding-left: 1.1rem; }
    .filter-row { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: end; margin-bottom: 1rem; }
    .filter-row .field { margin: 0; }
    .data-table { width: 100%; border-collapse: collapse; font-size: .9375rem; }
    .data-table th, .data-table td { text-align: start; padding: .45rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    .data-table thead th { border-bottom: 2px solid var(--ink); }
    .editor-filters { display: flex; flex-wrap: wrap; gap: .5rem 3rem; }
    .editor-filters h2 { font-size: 1rem; margin-bottom: .25rem; }
    .editor-filters ul, .inline-list { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
    .editor-form fieldset { margin: 0 0 1.5rem; padding: .75rem 1rem; border: 1px solid var(--line); }
    .editor-form legend { font-weight: 700; padding: 0 .25rem; }
    .editor-form textarea { width: 100%; }
    .form-actions { display: flex; gap: 1rem; }
    .editor-preview { border: 2px dashed var(--line); padding: 1rem; margin-top: 1.5rem; }
    .word-diff { white-space: pre-wrap; }
    .badge-icon { vertical-align: middle; margin-inline-end: .3rem; }
    .toolkit-actions { display: flex; flex-wrap: wrap; gap: .5rem; }
    .toolkit-actions .inline-form { display: inline-flex; }
    .data-table .inline-form { display: inline-flex; margin: .15rem .5rem .15rem 0; }
    .mail-preview { white-space: pre-wrap; background: var(--panel, #f3f5f8); padding: 1rem; border: 1px solid var(--line); }
    .checkbox-list { list-style: none; padding: 0; }
    .tabs { margin: 1rem 0; }
    .body img, .media-preview img { max-width: 100%; height: auto; }
    del { background: #fde2e1; color: #7a1712; }
    ins { background: #d9f2e1; color: #0b4a1f; }
    .changes { margin: 0; padding-left: 1rem; }
    .inline-form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
    .inline-form .field { margin: 0; }
    button.secondary { display: inline-block; background: #fff; color: var(--accent-dark); font-size: 1rem; }
    button.secondary:hover { background: var(--tint); }
    .counter { font-size: .875rem; color: var(--muted); margin: .25rem 0 0; }
    .counter.over { color: var(--closed); font-weight: 600; }
    .autosave-status { color: var(--muted); font-size: .875rem; min-height: 1.4em; }
    .local-time { display: block; }
    .button { display: inline-block; font-weight: 600; padding: .5rem 1rem; border-radius: .3rem; background: var(--accent); color: #fff; text-decoration: none; }
    .button:hover { background: var(--accent-dark); color: #fff; }
    .progress ol { list-style: none; display: flex; flex-wrap: wrap; gap: .35rem; padding: 0; margin: .25rem 0 1rem; counter-reset: step; }
    .progress li { counter-increment: step; padding: .2rem .6rem; border: 1px solid var(--line); border-radius: 1rem; font-size: .875rem; }
    .progress li::before { content: counter(step) ". "; }
    .progress .step-current { background: var(--accent); color: #fff; border-color: var(--accent); font-weight: 600; }
    .progress .step-complete { border-color: var(--open); }
    .progress .step-complete::after { content: " ✓"; color: var(--open); }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .questionnaire-form { max-width: 44rem; }
    .questionnaire-form .question { margin: 0 0 1.5rem; }
    .questionnaire-form input[type=text], .questionnaire-form input[type=email], .questionnaire-form input[type=url],
    .questionnaire-form input[type=date], .questionnaire-form select, .questionnaire-form textarea {
      display: block; width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid #7a8591; border-radius: .3rem; background: #fff; color: var(--ink); }
    fieldset.question { border: none; padding: 0; }
    fieldset.question legend { font-weight: 600; padding: 0; margin-bottom: .25rem; }
    .question > label, .question > .label { display: block; font-weight: 600; margin-bottom: .25rem; }
    .choice { display: flex; gap: .5rem; align-items: flex-start; margin: .2rem 0; }
    .choice input { width: 1.1rem; height: 1.1rem; margin-top: .3rem; flex: none; }
    .choice label { font-weight: 400; margin: 0; }
    .choices { columns: 2 18rem; }
    .group-row { display: grid; gap: .5rem 1rem; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); padding: .5rem 0; border-bottom: 1px dashed var(--line); }
    .conflict-value { border-left: 4px solid #d9a400; background: #fff8e1; padding: .25rem .75rem; margin: .25rem 0 .5rem; }
    .guidance { background: var(--tint); padding: .5rem 1rem; border-radius: .3rem; }
    .answers dt { margin-top: .75rem; }
    .answers dd p { margin: .2rem 0; }
    .review-section { border-top: 1px solid var(--line); margin-top: 1.5rem; }
    .history li.internal-note { background: #fff8e1; }
    .questions > li { margin-bottom: 1rem; }
    .question-text { font-weight: 600; margin-bottom: .2rem; }
    @media print {
      .identity-banner, .site-header, .site-footer, .skip-link, .no-print, .account-menu { display: none !important; }
      body { font-size: 11pt; }
      a { color: inherit; text-decoration: none; }
      .preview-section { break-inside: avoid-page; }
    }
    @media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
    """
}
