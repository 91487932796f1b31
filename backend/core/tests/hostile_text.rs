//! Property tests of every parser that reads what a stranger (or an
//! organiser's paste) can type: whatever the input, no panic, and what comes
//! out keeps its promise. CI runs the default number of cases;
//! `scripts/fuzz.sh` runs them for as long as it is told (PROPTEST_CASES).

use chrono::NaiveDate;
use paperclub_core::channel_posts::html;
use paperclub_core::events::programme::ProgrammeLine;
use paperclub_core::markdown;
use paperclub_core::papers::repository::{PaperLine, PaperLocator};
use paperclub_core::people::repository::PersonLine;
use paperclub_core::values::{ArxivId, Doi, Email, TimeZoneId};
use paperclub_demos::sequences::{CsvLimits, Sequences};
use proptest::prelude::*;

/// Text built from the pieces attacks are made of, plus anything at all.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<script>".to_owned()),
        Just("</script>".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("javascript:".to_owned()),
        Just("JaVaScRiPt:".to_owned()),
        Just("data:text/html,".to_owned()),
        Just("[x](".to_owned()),
        Just("![x](".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just(")".to_owned()),
        Just("]".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("&".to_owned()),
        Just("`".to_owned()),
        Just("*".to_owned()),
        Just("|".to_owned()),
        Just(",".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\t".to_owned()),
        Just("\u{0}".to_owned()),
        Just("//evil.example".to_owned()),
        Just("18:30-19:10".to_owned()),
        Just("2212.05720".to_owned()),
        Just("10.1234/abc".to_owned()),
        Just("Сергей".to_owned()),
        Just("😀".to_owned()),
        "\\PC{0,8}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Every `href`/`src` value the HTML carries.
fn addresses(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for part in html.split(attribute).skip(1) {
            found.push(part.split('"').next().unwrap_or_default().to_owned());
        }
    }
    found
}

/// The tags pulldown-cmark writes for Markdown; anything else would be raw HTML.
const MARKDOWN_TAGS: &[&str] = &[
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "br",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
];

proptest! {
    #[test]
    fn markdown_never_carries_script_or_foreign_schemes(source in hostile()) {
        let out = markdown::to_safe_html(&source);
        for tag in out.split('<').skip(1) {
            let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            prop_assert!(MARKDOWN_TAGS.contains(&name.as_str()), "tag <{}> in {}", name, out);
        }
        for address in addresses(&out) {
            let lower = address.to_ascii_lowercase();
            prop_assert!(
                address.is_empty() || lower.starts_with("http://") || lower.starts_with("https://")
                    || lower.starts_with("mailto:") || lower.starts_with('#')
                    || paperclub_core::site_paths::is_local_path(&address),
                "address {:?} in {}", address, out
            );
        }
    }

    #[test]
    fn telegram_html_of_escaped_text_always_parses_to_the_same_length(text in hostile()) {
        let visible = html::parse(&html::escape(&text));
        prop_assert_eq!(visible, Ok(text.encode_utf16().count()));
    }

    #[test]
    fn list_lines_and_identifiers_parse_or_refuse_without_panicking(line in hostile()) {
        let zone = TimeZoneId::parse("Europe/Moscow").unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let _ = ProgrammeLine::parse(&line, date, zone);
        if let Ok(person) = PersonLine::parse(&line) {
            prop_assert!(!person.name.is_empty() && !person.name.contains(['\n', '\r', '\t']));
        }
        let _ = PaperLine::parse(&line);
        let _ = PaperLocator::parse(&line);
        let _ = Email::parse(&line);
        let _ = TimeZoneId::parse(&line);
        // What parses once parses again to itself.
        if let Ok(id) = ArxivId::parse(&line) {
            prop_assert_eq!(ArxivId::parse(id.as_str()).map(|again| again.as_str().to_owned()), Ok(id.as_str().to_owned()));
        }
        if let Ok(doi) = Doi::parse(&line) {
            prop_assert_eq!(Doi::parse(doi.as_str()).map(|again| again.as_str().to_owned()), Ok(doi.as_str().to_owned()));
        }
    }

    #[test]
    fn an_uploaded_csv_is_read_within_its_limits_or_refused(rows in prop::collection::vec((0u32..50, 0u32..60, any::<i32>()), 0..400), noise in hostile()) {
        let limits = CsvLimits { max_rows: 300, max_item_id: 50, min_users: 2, max_users: 40 };
        let mut text = String::from("user,item,timestamp\n");
        for (user, item, at) in &rows {
            text.push_str(&format!("{user},{item},{at}\n"));
        }
        // Clean files and files with garbage somewhere in them.
        for candidate in [text.clone(), format!("{text}{noise}"), format!("{noise}\n{text}")] {
            if let Ok(data) = Sequences::from_csv(&candidate, limits) {
                prop_assert!(data.users.len() >= limits.min_users && data.users.len() <= limits.max_users);
                prop_assert!(data.items <= limits.max_item_id + 1);
                prop_assert!(data.users.iter().all(|items| items.len() >= 3));
            }
        }
    }
}
