//! What every page knows about where it is: the reader's language and the
//! site's public address, on the server and in an island in the browser.

use leptos::prelude::*;
use paperclub_core::lang::Lang;

/// The reader's language. On the server it comes from the request's cookie;
/// in the browser from `<html lang>`, which the server wrote from the same
/// cookie, so both sides render the same text.
pub(crate) fn reader_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::server::lang()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::parse(&code))
            .unwrap_or_default()
    }
}

/// The site's public address, for absolute links (link previews, `webcal://`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub base_url: String,
}

impl Site {
    pub(crate) fn current() -> Site {
        #[cfg(feature = "ssr")]
        {
            let base_url =
                use_context::<crate::server::ServerContext>().map(|cx| cx.public_base_url.clone()).unwrap_or_default();
            Site { base_url }
        }
        #[cfg(not(feature = "ssr"))]
        {
            Site { base_url: window().location().origin().unwrap_or_default() }
        }
    }

    /// The base with `webcal://` instead of the http scheme: calendar apps
    /// subscribe to such links instead of downloading a file once.
    pub fn webcal(&self) -> String {
        let rest = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, rest)| rest);
        format!("webcal://{rest}")
    }
}

/// The site's address; in an island (which has no context from the page
/// around it) from the browser's location.
pub fn use_site() -> Site {
    use_context::<Site>().unwrap_or_else(Site::current)
}
