//! The language koho speaks to its user.

/// The language of messages: Japanese for editors, English on request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// The language the environment asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// that is set decides; Japanese when it starts with `ja` or when none is set, English
    /// for any other locale.
    pub fn from_env() -> Self {
        Self::from_locale_vars(|name| std::env::var(name).ok())
    }

    /// [`Lang::from_env`] with the variables read through `get` (for tests).
    pub fn from_locale_vars(get: impl Fn(&str) -> Option<String>) -> Self {
        let chosen = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| get(name))
            .find(|value| !value.is_empty());
        match chosen {
            None => Lang::Ja,
            Some(locale) if locale.to_ascii_lowercase().starts_with("ja") => Lang::Ja,
            Some(_) => Lang::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_with(vars: &[(&str, &str)]) -> Lang {
        Lang::from_locale_vars(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn japanese_unless_a_locale_says_otherwise() {
        assert_eq!(lang_with(&[]), Lang::Ja);
        assert_eq!(lang_with(&[("LANG", "ja_JP.UTF-8")]), Lang::Ja);
        assert_eq!(lang_with(&[("LANG", "en_US.UTF-8")]), Lang::En);
        assert_eq!(lang_with(&[("LANG", "C.UTF-8")]), Lang::En);
        assert_eq!(
            lang_with(&[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")]),
            Lang::Ja
        );
        assert_eq!(lang_with(&[("LC_ALL", ""), ("LANG", "de_DE")]), Lang::En);
    }
}
