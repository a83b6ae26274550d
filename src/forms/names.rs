//! The closed sets of names a form handler is written with in site.yaml — providers, modes,
//! captcha services, field types — and the one place each name becomes a variant and back.
//!
//! Each set is declared once through [`named!`]: the variant list, the name table
//! ([`Provider::name`]), the list of every variant ([`Provider::ALL`], for "did you mean" and
//! "allowed values") and serialisation as the name (what templates compare against) all come from
//! that one declaration, so a new variant cannot miss any of them. Code elsewhere matches on the
//! variants, never on names.

/// Declares a fieldless enum whose variants are written in site.yaml and templates as names.
macro_rules! named {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident { $( $(#[$vmeta:meta])* $variant:ident = $name:literal, )+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $ty { $( $(#[$vmeta])* $variant, )+ }

        impl $ty {
            /// Every variant, in the order messages list them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant,)+];

            /// The name site.yaml and the templates use.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }

            /// The variant written exactly `name`, if any.
            pub fn from_name(name: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.name() == name)
            }

            /// Every name, for "did you mean" and the list of allowed values.
            pub fn names() -> impl Iterator<Item = &'static str> + Clone {
                Self::ALL.iter().map(|v| v.name())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

named! {
    /// The service a handler sends submissions to (`provider:`).
    pub enum Provider {
        /// Any endpoint that takes a POST (`action:`).
        Generic = "generic",
        Formspree = "formspree",
        /// Netlify Forms: the site itself receives the POST.
        Netlify = "netlify",
        Formrun = "formrun",
        GoogleForms = "google_forms",
        /// A button to a form elsewhere.
        Link = "link",
        /// A form elsewhere in an iframe.
        Embed = "embed",
    }
}

named! {
    /// How a page shows the form (`mode:`).
    pub enum Mode {
        /// Our own `<form>`, posting to the provider.
        Form = "form",
        /// A button that opens the provider's page.
        Link = "link",
        /// The provider's page in an iframe.
        Embed = "embed",
    }
}

named! {
    /// The captcha widget of a form (`captcha.provider:`).
    pub enum CaptchaProvider {
        Turnstile = "turnstile",
        Hcaptcha = "hcaptcha",
        Recaptcha = "recaptcha",
    }
}

named! {
    /// The control of a field (`fields[].type:`): an `<input type>`, a textarea or a select.
    pub enum FieldKind {
        Text = "text",
        Email = "email",
        Tel = "tel",
        Url = "url",
        Textarea = "textarea",
        Select = "select",
        Number = "number",
    }
}

/// A [`crate::fields::Fields::choice`] table accepting each name (in any case) as itself.
pub(super) fn choices(
    names: impl Iterator<Item = &'static str>,
) -> Vec<(&'static str, &'static str)> {
    names.map(|n| (n, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant of `all` comes back from its name, names are distinct and serialise as
    /// themselves (what templates compare against).
    fn round_trips<T: Copy + Eq + std::fmt::Debug + serde::Serialize>(
        all: &[T],
        name: fn(T) -> &'static str,
        from_name: fn(&str) -> Option<T>,
    ) {
        for &v in all {
            assert_eq!(from_name(name(v)), Some(v), "{v:?}");
            assert_eq!(serde_json::to_value(v).unwrap(), name(v), "{v:?}");
            assert_eq!(all.iter().filter(|w| name(**w) == name(v)).count(), 1);
        }
    }

    #[test]
    fn every_provider_round_trips_through_its_name() {
        round_trips(Provider::ALL, Provider::name, Provider::from_name);
        // The names site.yaml has always used, in the order messages list them.
        let names: Vec<_> = Provider::names().collect();
        assert_eq!(
            names,
            [
                "generic",
                "formspree",
                "netlify",
                "formrun",
                "google_forms",
                "link",
                "embed"
            ]
        );
        assert_eq!(
            Provider::from_name("Formspree"),
            None,
            "provider names are exact"
        );
        assert_eq!(Provider::from_name("google-forms"), None);
    }

    #[test]
    fn every_mode_captcha_and_field_kind_round_trips_through_its_name() {
        round_trips(Mode::ALL, Mode::name, Mode::from_name);
        round_trips(
            CaptchaProvider::ALL,
            CaptchaProvider::name,
            CaptchaProvider::from_name,
        );
        round_trips(FieldKind::ALL, FieldKind::name, FieldKind::from_name);
        assert_eq!(Mode::names().collect::<Vec<_>>(), ["form", "link", "embed"]);
        assert_eq!(
            FieldKind::names().collect::<Vec<_>>(),
            ["text", "email", "tel", "url", "textarea", "select", "number"]
        );
    }
}
