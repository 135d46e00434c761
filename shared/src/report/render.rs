//! The report as Markdown, as a standalone HTML page (printable), and as plain text.

use super::{Para, Report, Span};

/// A paragraph's words with its figures as they read.
pub fn plain(p: &Para) -> String {
    p.spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => t.as_str(),
            Span::Fig(f) => f.text.as_str(),
        })
        .collect()
}

/// Markdown: each figure in bold, linked to its records in the app at `base` (the app's
/// address, e.g. `https://linli.example/`; empty: no links).
pub fn markdown(r: &Report, base: &str) -> String {
    let mut out = format!("# {}\n\n{}\n", md_escape(&r.title), md_escape(&r.subtitle));
    for s in &r.sections {
        out.push_str(&format!("\n## {}\n", md_escape(&s.title)));
        for p in &s.paras {
            out.push('\n');
            for span in &p.spans {
                match span {
                    Span::Text(t) => out.push_str(&md_escape(t)),
                    Span::Fig(f) if base.is_empty() => {
                        out.push_str(&format!("**{}**", md_escape(&f.text)))
                    }
                    Span::Fig(f) => out.push_str(&format!(
                        "[**{}**]({base}{})",
                        md_escape(&f.text),
                        f.link.route()
                    )),
                }
            }
            out.push('\n');
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A standalone HTML page (`lang` `zh-CN` or `en`) with a print stylesheet; figures are
/// links to their records in the app at `base`.
pub fn html(r: &Report, lang: &str, base: &str) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        esc(&r.title),
        esc(&r.subtitle)
    ));
    for s in &r.sections {
        body.push_str(&format!("<h2>{}</h2>\n", esc(&s.title)));
        for p in &s.paras {
            body.push_str("<p>");
            for span in &p.spans {
                match span {
                    Span::Text(t) => body.push_str(&esc(t)),
                    Span::Fig(f) => body.push_str(&format!(
                        "<a class=\"fig\" href=\"{}{}\"><strong>{}</strong></a>",
                        esc(base),
                        esc(&f.link.route()),
                        esc(&f.text)
                    )),
                }
            }
            body.push_str("</p>\n");
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n\
         body{{font-family:system-ui,\"PingFang SC\",\"Noto Sans CJK SC\",sans-serif;\
         max-width:42em;margin:2em auto;padding:0 1em;line-height:1.7;color:#1a1a1a}}\
         h1{{font-size:1.6em;margin-bottom:.2em}}.sub{{color:#555;margin-top:0}}\
         h2{{font-size:1.2em;margin-top:1.6em}}a.fig{{color:inherit;text-decoration:none}}\
         @media print{{body{{margin:0;max-width:none}}a.fig{{text-decoration:none}}}}\n\
         </style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(lang),
        esc(&r.title),
        body
    )
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
