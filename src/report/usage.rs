//! Usage errors: what stops koho before it can look at the content (no project, no such
//! issue folder, a proof round that exists), told with a hint (exit code 2).

use serde::Serialize;

use super::{Exit, Report, Said};
use crate::diag::Lang;
use crate::diag::render::hint_word;
use crate::error::KohoError;

/// `error: MESSAGE` and, below it, `  = ヒント: HINT` (`hint` in English): how koho says what
/// stopped a command.
pub fn error_with_hint(message: &str, hint: &str, lang: Lang) -> String {
    format!("error: {message}\n  = {}: {hint}", hint_word(lang))
}

/// A usage error as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct UsageJson {
    /// Always false.
    pub ok: bool,
    /// What is wrong.
    pub usage_error: String,
    /// How to get going.
    pub hint: &'static str,
}

impl Report for KohoError {
    type Json<'a> = UsageJson;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        said.err(error_with_hint(&self.message(lang), self.hint(lang), lang));
        said
    }

    fn json(&self, lang: Lang) -> Option<UsageJson> {
        Some(UsageJson {
            ok: false,
            usage_error: self.message(lang),
            hint: self.hint(lang),
        })
    }

    fn exit(&self) -> Exit {
        Exit::Usage
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_usage_error_is_said_with_its_hint() {
        let error = KohoError::NotAnIssueFolder {
            path: PathBuf::from("content/none"),
        };
        let said = error.said(Lang::En, false);
        assert_eq!(said.stdout(), "");
        assert_eq!(
            said.stderr(),
            "error: content/none is not a folder\n  = hint: name an issue folder, e.g. koho check content/2026-06\n"
        );
        let json = error.said(Lang::Ja, true);
        assert!(
            json.stdout()
                .contains("\"usage_error\": \"content/none はフォルダーではありません\"")
        );
        assert_eq!(error.exit().code(), 2);
    }
}
