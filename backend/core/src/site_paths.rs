//! Addresses that must stay on this site: where a form sends the browser
//! back to, and site-relative links in organisers' Markdown.

/// Whether `url` is a path on this site, as a browser would read it. Browsers
/// drop tabs and line breaks from an address and treat `\` as `/`, so
/// `/\t/evil.example` and `/\evil.example` are `//evil.example`, another site:
/// any control character or backslash is refused, as is `//`.
pub fn is_local_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//") && !url.contains('\\') && !url.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_paths_a_browser_keeps_on_this_site_are_local() {
        assert!(is_local_path("/events/3?x=1"));
        assert!(is_local_path("/"));
        for other in ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil", "https://evil.example", ""] {
            assert!(!is_local_path(other), "{other:?}");
        }
    }
}
