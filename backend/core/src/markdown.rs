//! Organiser-written Markdown to HTML that is safe to put in a page.

use pulldown_cmark::{Event, Options, Parser, Tag, html};

/// Renders Markdown. Raw HTML in the source is shown as text, never
/// interpreted, and links or images that are not http(s), mailto or
/// site-relative lose their address: a description cannot carry script.
pub fn to_safe_html(source: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !is_safe_address(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: "".into(), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !is_safe_address(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: "".into(), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// The first sentence-ish stretch of plain text, for link previews.
pub fn summary(source: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{cut}…")
}

fn is_safe_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || crate::site_paths::is_local_path(url.trim())
        || lower.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_raw_html_is_escaped() {
        let html = to_safe_html("**Ведущий**: Сергей <script>alert(1)</script>");
        assert!(html.contains("<strong>Ведущий</strong>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn script_links_lose_their_address() {
        let html = to_safe_html("[click](javascript:alert(1)) [ok](https://arxiv.org)");
        assert!(!html.contains("javascript:"));
        assert!(html.contains("href=\"https://arxiv.org\""));
    }

    #[test]
    fn summaries_are_plain_and_cut_at_a_word() {
        assert_eq!(summary("# Title\n\nSome *bold* text.", 100), "Title Some bold text.");
        assert_eq!(summary("one two three four", 10), "one two…");
    }
}
