//! The secret in a registration's links (ticket, join, cancel).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationToken(String);

impl RegistrationToken {
    pub fn generate() -> Self {
        RegistrationToken(crate::secrets::random_token())
    }

    /// A forged or mistyped token that cannot be ours is refused before any query.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        crate::secrets::is_token(raw).then(|| RegistrationToken(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code printed under the QR code for typing at the door: the
    /// token's first eight characters, `3F9A-0C21`. Unique enough within one
    /// event; the check-in asks for more when two tickets share it.
    pub fn short_code(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..8]).to_uppercase()
    }

    /// The ticket as a QR code (SVG) holding the whole token.
    pub fn qr_svg(&self) -> String {
        qrcode::QrCode::new(self.0.as_bytes())
            .map(|code| code.render::<qrcode::render::svg::Color>().min_dimensions(220, 220).quiet_zone(true).build())
            .unwrap_or_default()
    }
}

/// What staff typed or scanned at the door, normalised: lower-case hex
/// without dashes or spaces. A full token, or at least eight characters of one.
pub fn normalise_code(raw: &str) -> Option<String> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_lowercase();
    (code.len() >= 8 && code.len() <= 64 && code.chars().all(|c| c.is_ascii_hexdigit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_code_is_the_tokens_start_and_typed_codes_are_normalised() {
        let token = RegistrationToken::parse(&format!("3f9a0c21{}", "b".repeat(56))).unwrap();
        assert_eq!(token.short_code(), "3F9A-0C21");
        assert_eq!(normalise_code(" 3F9A-0C21 "), Some("3f9a0c21".into()));
        assert_eq!(normalise_code("3F9A"), None, "too short to find one ticket");
        assert_eq!(normalise_code("zzzz-zzzz"), None);
        assert!(token.qr_svg().starts_with("<?xml"));
    }

    #[test]
    fn tokens_are_64_lower_hex_characters_and_nothing_else_parses() {
        let token = RegistrationToken::generate();
        assert_eq!(RegistrationToken::parse(token.as_str()), Some(token));
        assert_eq!(RegistrationToken::parse(&"A".repeat(64)), None);
        assert_eq!(RegistrationToken::parse("abc"), None);
        assert_eq!(RegistrationToken::parse(&format!("{}'--", "a".repeat(60))), None);
    }
}
