//! Telegram's HTML parse mode: escaping our texts, checking a text the way
//! Telegram does (the fake Bot API refuses what Telegram would), measuring
//! it as Telegram does (UTF-16 code units after entity parsing), and cutting
//! a long text at a sentence so it is never refused.

/// The tags Telegram accepts in HTML parse mode.
const ALLOWED: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Telegram's limits.
pub const MAX_TEXT: usize = 4096;
pub const MAX_CAPTION: usize = 1024;
pub const MAX_CALLBACK_DATA_BYTES: usize = 64;

/// Escapes text for HTML parse mode: `<`, `>`, `&` and `"` become entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Checks `html` as Telegram parses it and returns its visible length in
/// UTF-16 code units; the error is Telegram's own wording.
pub fn parse(html: &str) -> Result<usize, String> {
    let fail = |what: String| Err(format!("Bad Request: can't parse entities: {what}"));
    let mut open: Vec<String> = Vec::new();
    let mut visible = 0usize;
    let mut rest = html;
    let mut offset = 0usize;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let Some(end) = rest.find('>') else {
                    return fail(format!("Unclosed start tag at byte offset {offset}"));
                };
                let tag = &rest[1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    match open.pop() {
                        Some(top) if top == name => {}
                        _ => return fail(format!("Can't find end tag corresponding to start tag \"{name}\"")),
                    }
                } else {
                    let name: String = tag
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '/')
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if !ALLOWED.contains(&name.as_str()) {
                        return fail(format!("Unsupported start tag \"{name}\" at byte offset {offset}"));
                    }
                    let attributes = tag[name.len()..].trim();
                    if name == "a" && !attributes.starts_with("href=") {
                        return fail(format!("Tag \"a\" must have attribute \"href\" at byte offset {offset}"));
                    }
                    if name == "span" && attributes != "class=\"tg-spoiler\"" {
                        return fail(format!("Tag \"span\" must have class \"tg-spoiler\" at byte offset {offset}"));
                    }
                    if attributes.contains('<') {
                        return fail(format!("Unexpected \"<\" in an attribute at byte offset {offset}"));
                    }
                    open.push(name);
                }
                offset += end + 1;
                rest = &rest[end + 1..];
            }
            '>' => return fail(format!("Unexpected \">\" at byte offset {offset}")),
            '&' => {
                let Some(end) = rest.find(';').filter(|end| *end <= 10) else {
                    return fail(format!("Unmatched \"&\" at byte offset {offset}"));
                };
                let entity = &rest[1..end];
                let decoded = match entity {
                    "lt" | "gt" | "amp" | "quot" => Some('x'),
                    _ => entity
                        .strip_prefix("#x")
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse::<u32>().ok()))
                        .and_then(char::from_u32),
                };
                let Some(decoded) = decoded else {
                    return fail(format!("Unsupported HTML entity \"&{entity};\" at byte offset {offset}"));
                };
                visible += decoded.len_utf16();
                offset += end + 1;
                rest = &rest[end + 1..];
            }
            c => {
                visible += c.len_utf16();
                offset += c.len_utf8();
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(name) = open.pop() {
        return fail(format!("Can't find end tag corresponding to start tag \"{name}\""));
    }
    Ok(visible)
}

/// Cuts plain `text` (not yet escaped) so that it takes at most `budget`
/// UTF-16 units, at the end of a sentence where there is one, and adds "…".
pub fn cut_at_sentence(text: &str, budget: usize) -> String {
    let length: usize = text.chars().map(char::len_utf16).sum();
    if length <= budget {
        return text.to_owned();
    }
    let mut used = 0;
    let mut end = 0;
    let mut sentence_end = None;
    for (index, c) in text.char_indices() {
        if used + c.len_utf16() + 1 > budget {
            break;
        }
        used += c.len_utf16();
        end = index + c.len_utf8();
        if matches!(c, '.' | '!' | '?' | '…') || c == '\n' {
            sentence_end = Some(end);
        }
    }
    match sentence_end {
        Some(at) if at > end / 3 => text[..at].trim_end().to_owned(),
        _ => format!("{}…", text[..end].trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_always_parses_and_keeps_its_length() {
        let text = "a < b && c > \"d\" — тест 💯";
        let html = escape(text);
        assert_eq!(parse(&html), Ok(text.encode_utf16().count()));
        assert_eq!(parse("<b>bold</b> <a href=\"https://x.org/?a=1&amp;b=2\">link</a>"), Ok(9));
    }

    #[test]
    fn what_telegram_refuses_is_refused_with_its_words() {
        for bad in ["<b>open", "<b><i>x</b></i>", "<div>x</div>", "a & b", "1 < 2", "<a>x</a>", "&nbsp;", "x > y"] {
            let error = parse(bad).unwrap_err();
            assert!(error.starts_with("Bad Request: can't parse entities"), "{bad}: {error}");
        }
        assert_eq!(parse("&#128175; &#x1F4AF;"), Ok(5), "numeric entities count as their characters");
    }

    #[test]
    fn a_long_text_is_cut_at_a_sentence() {
        let text = "First sentence. Second one is longer. Third.";
        assert_eq!(cut_at_sentence(text, 100), text);
        assert_eq!(cut_at_sentence(text, 40), "First sentence. Second one is longer.");
        let no_stop = "word ".repeat(50);
        let cut = cut_at_sentence(&no_stop, 20);
        assert!(cut.ends_with('…') && cut.encode_utf16().count() <= 20, "{cut}");
    }
}
