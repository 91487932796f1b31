//! Reading one cookie out of `Cookie` headers: the one parser the language
//! switch, sessions and the CSV export share.

/// The value of cookie `name` in the given `Cookie` header values, if present.
pub fn find<'a>(headers: impl IntoIterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    headers
        .into_iter()
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn a_cookie_is_found_among_others_in_any_header() {
        assert_eq!(find(["a=1; lang=en; b=2"], "lang"), Some("en"));
        assert_eq!(find(["a=1", "lang=ru"], "lang"), Some("ru"));
        assert_eq!(find(["xlang=en"], "lang"), None);
        assert_eq!(find([""], "lang"), None);
    }

    #[test]
    fn an_unknown_or_missing_language_falls_back_to_russian() {
        let lang = |header: &str| find([header], Lang::COOKIE).and_then(Lang::parse).unwrap_or_default();
        assert_eq!(lang("lang=en"), Lang::En);
        assert_eq!(lang("lang=de"), Lang::Ru);
        assert_eq!(lang(""), Lang::Ru);
    }
}
