//! One way to make a secret: a newtype whose `Debug` hides it, with no `Display`, read only
//! through `.secret()`.

/// Defines a secret newtype over a `String`: `new`, `secret()`, and a `Debug` that prints
/// `Name(<redacted>)`. Extra derives (such as `Clone`) follow the name.
macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident $(, $derive:ident)*) => {
        $(#[$doc])*
        #[derive(PartialEq, Eq $(, $derive)*)]
        pub struct $name(alloc::string::String);

        impl $name {
            /// Wraps the value.
            pub fn new(value: impl Into<alloc::string::String>) -> Self {
                Self(value.into())
            }

            /// The value itself. Keep it out of logs.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

pub(crate) use secret_string;
