//! `db_enum!`: a domain enum stored as a PostgreSQL enum, with its wire code.

/// Declares a domain enum stored as a PostgreSQL enum, with its wire code.
macro_rules! db_enum {
    ($(#[$meta:meta])* $name:ident as $pg:literal { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "server", derive(sqlx::Type))]
        #[cfg_attr(feature = "server", sqlx(type_name = $pg, rename_all = "snake_case"))]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code used in the database, forms and URLs.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(raw: &str) -> Option<$name> {
                match raw.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}
