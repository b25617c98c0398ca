//! Names are identities: the one place where a department's name (and a pledge's title) is
//! taken in, compared with the others and shown in a message.
//!
//! Every way a name enters (the catalogue, rename, merge --into, split --to, measure move --to,
//! a new report read from a sheet, a package asked for) goes through [`department`]: trimmed,
//! NFC, nothing invisible, not too long. Two names are one department when their
//! [`identity`] keys are equal: a zero-width space, a space, half-width kana or a decomposed
//! character must never make a second 企画課 that prints like the first.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::model::Department;

/// The longest department name taken, in characters. The longest of the 41 real names is 12
/// (マチごとエコタウン推進課, 上下水道局　給水管理課); the longest 課 names in Japanese city halls
/// run to about 20 (デジタルトランスフォーメーション推進課 is 19) and a 部 in front adds 3–5.
/// The sheet's 担当課 column (84 px) holds about 6 full-width characters a line, so 32 already
/// prints on 6 lines of a measure's block; a longer name is a paste of something else.
pub const MAX_DEPARTMENT_CHARS: usize = 32;

/// The longest pledge title taken, in characters: the longest of the 45 real pledges is 45
/// (a road project with its section in brackets); four times that is still a title, while the
/// whole pasted manifesto is not.
pub const MAX_PLEDGE_TITLE_CHARS: usize = 200;

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing but white space.
    #[error("{what}を入力してください")]
    Empty { what: &'static str },
    /// A control or invisible character (a tab, a newline, a zero-width space, a bidi control,
    /// a BOM): the name would print like another one, or break the sheet's cell.
    #[error("{what}「{shown}」に見えない文字・制御文字（{code}）が含まれています。取り除いて入力してください")]
    Invisible {
        what: &'static str,
        shown: String,
        code: String,
    },
    /// Longer than [`MAX_DEPARTMENT_CHARS`] or [`MAX_PLEDGE_TITLE_CHARS`].
    #[error("{what}が長すぎます（{chars} 文字）。{max} 文字までにしてください")]
    TooLong {
        what: &'static str,
        chars: usize,
        max: usize,
    },
    /// A new name that is an existing department written another way.
    #[error("{what}「{given}」は既にある「{existing}」と同じ課名とみなされます（全角と半角、大文字と小文字、空白の違いは区別しません）。既にある課を使うときは「{existing}」と指定してください")]
    LookAlike {
        what: &'static str,
        given: String,
        existing: String,
    },
}

impl NameError {
    /// The form field the UI should highlight.
    pub fn field(&self) -> &'static str {
        match self {
            NameError::Empty { what }
            | NameError::Invisible { what, .. }
            | NameError::TooLong { what, .. }
            | NameError::LookAlike { what, .. } => what,
        }
    }
}

/// Characters no name may hold: controls (Cc: tab, newline), format characters (Cf: zero-width
/// space and joiners, BOM, bidi controls, soft hyphen), the line and paragraph separators, and
/// the other characters Unicode says print as nothing ([`DEFAULT_IGNORABLE`]). Free text keeps
/// its line breaks and tabs; see [`free_text`].
pub fn invisible(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) || DEFAULT_IGNORABLE.iter().any(|r| r.contains(&c))
}

/// The Default_Ignorable_Code_Point characters (Unicode's DerivedCoreProperties.txt) that are
/// not Cf, and so not caught by the general category: fillers and variation selectors, which a
/// renderer draws as nothing, so 課 and 課 with one print alike. No crate of ours carries this
/// property; the list is short and fixed by the standard.
const DEFAULT_IGNORABLE: [std::ops::RangeInclusive<char>; 10] = [
    '\u{034F}'..='\u{034F}',   // combining grapheme joiner
    '\u{115F}'..='\u{1160}',   // Hangul choseong and jungseong fillers
    '\u{17B4}'..='\u{17B5}',   // Khmer inherent vowels
    '\u{180B}'..='\u{180F}',   // Mongolian free variation selectors
    '\u{3164}'..='\u{3164}',   // Hangul filler
    '\u{FE00}'..='\u{FE0F}',   // variation selectors
    '\u{FFA0}'..='\u{FFA0}',   // half-width Hangul filler
    '\u{FFF0}'..='\u{FFF8}',   // unassigned specials
    '\u{E0000}'..='\u{E0FFF}', // tags and variation selectors supplement
    '\u{2065}'..='\u{2065}',   // unassigned in the invisible operators block
];

/// White space other than the two a name may show (an ASCII and an ideographic space): a
/// no-break or an em space prints like a space and is escaped in messages too.
fn odd_space(c: char) -> bool {
    c.is_whitespace() && c != ' ' && c != '　'
}

/// `U+200B`
fn code(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A name as a message shows it: every invisible character, and every space that is not a
/// plain or an ideographic one, written as `<U+200B>`, so that two names that differ print
/// differently: 「デジタル戦略課<U+200B>」.
pub fn shown(name: &str) -> String {
    name.chars()
        .map(|c| {
            if invisible(c) || odd_space(c) {
                format!("<{}>", code(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The key two names are compared by: NFKC (half-width kana and full-width letters become
/// one), case folded, every dash (‐ – — − －) one hyphen and 〜 one tilde, without any white
/// space or invisible character. Equal keys are one department.
pub fn identity(name: &str) -> String {
    let key: String = crate::fold::chars(name)
        .filter(|&c| !c.is_whitespace() && !invisible(c))
        .map(|c| match c {
            '\u{2212}' => '-',
            '\u{301C}' => '~',
            c if c.general_category() == GeneralCategory::DashPunctuation => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    // Lower-casing can leave a sequence NFKC would write otherwise (rare, but one rule).
    crate::fold::fold(&key)
}

/// A name as typed, checked: trimmed, NFC, no control or invisible character, at most `max`
/// characters.
fn checked(text: &str, what: &'static str, max: usize) -> Result<String, NameError> {
    let name: String = text.trim().nfc().collect();
    if name.is_empty() {
        return Err(NameError::Empty { what });
    }
    if let Some(c) = name.chars().find(|&c| invisible(c)) {
        return Err(NameError::Invisible {
            what,
            shown: shown(&name),
            code: code(c),
        });
    }
    let chars = name.chars().count();
    if chars > max {
        return Err(NameError::TooLong { what, chars, max });
    }
    Ok(name)
}

/// A department's name where it enters, as it is stored and compared: see the module.
/// `what` names the field in the message (課名, 統合先の課名 …).
pub fn department(text: &str, what: &'static str) -> Result<String, NameError> {
    checked(text, what, MAX_DEPARTMENT_CHARS)
}

/// A pledge's title where it enters: the same rule as a department's name, with its own limit.
pub fn pledge_title(text: &str, what: &'static str) -> Result<String, NameError> {
    checked(text, what, MAX_PLEDGE_TITLE_CHARS)
}

/// Free text of a cell (a measure's 実施内容): trimmed; line breaks and tabs are the writer's,
/// but no other control character (they break the sheet's XML and print as nothing).
pub fn free_text(text: &str, what: &'static str) -> Result<String, NameError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NameError::Empty { what });
    }
    if let Some(c) = text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(NameError::Invisible {
            what,
            shown: shown(text),
            code: code(c),
        });
    }
    Ok(text.to_string())
}

/// The department `name` refers to among `departments`: the one spelled so, else the one whose
/// [`identity`] is the same (ﾃﾞｼﾞﾀﾙ戦略課 finds デジタル戦略課). Two of one identity can only
/// come from a database made before this rule; then only the exact spelling finds one.
pub fn find<'a>(departments: &'a [Department], name: &str) -> Option<&'a Department> {
    let name = name.trim();
    if let Some(exact) = departments.iter().find(|d| d.name == name) {
        return Some(exact);
    }
    let key = identity(name);
    let mut same = departments.iter().filter(|d| identity(&d.name) == key);
    match (same.next(), same.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// A new name for a department (created, or renamed to) among `departments`: `Ok(Some)` when
/// one is spelled exactly so, `Ok(None)` when the name is free, refused when another department
/// has its identity under another spelling. `except` is the department being renamed: a change
/// of its own spelling (Ａ課 to A課) is no clash.
pub fn admit<'a>(
    departments: &'a [Department],
    name: &str,
    except: Option<crate::model::DepartmentId>,
    what: &'static str,
) -> Result<Option<&'a Department>, NameError> {
    let others = || departments.iter().filter(|d| Some(d.id) != except);
    if let Some(exact) = others().find(|d| d.name == name) {
        return Ok(Some(exact));
    }
    let key = identity(name);
    match others().find(|d| identity(&d.name) == key) {
        Some(existing) => Err(NameError::LookAlike {
            what,
            given: shown(name),
            existing: shown(&existing.name),
        }),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_spellings_share_one_identity() {
        let key = identity("デジタル戦略課");
        for alike in [
            "デジタル戦略課\u{200B}",
            "デジタル 戦略課",
            "デジタル　戦略課",
            "ﾃﾞｼﾞﾀﾙ戦略課",
            "テ\u{3099}シ\u{3099}タル戦略課",
        ] {
            assert_eq!(identity(alike), key, "{alike:?}");
        }
        assert_eq!(identity("ＩＣＴ推進課"), identity("ict推進課"));
        assert_eq!(identity("DX‐推進課"), identity("dx-推進課"));
        assert_eq!(identity("DX−推進課"), identity("DX－推進課"));
        assert_ne!(identity("デジタル戦略課"), identity("デジタル政策課"));
    }

    #[test]
    fn a_name_is_trimmed_and_composed_and_refused_with_anything_invisible() {
        assert_eq!(
            department(" テ\u{3099}シ\u{3099}タル戦略課　", "課名").unwrap(),
            "デジタル戦略課"
        );
        assert_eq!(
            department("上下水道局　給水管理課", "課名").unwrap(),
            "上下水道局　給水管理課"
        );
        for (bad, code) in [
            ("デジタル戦略課\u{200B}x", "U+200B"),
            ("デジタル\t戦略課", "U+0009"),
            ("デジタル\n戦略課", "U+000A"),
            ("\u{FEFF}x課", "U+FEFF"),
            ("課\u{202E}a", "U+202E"),
            ("課\u{2028}a", "U+2028"),
            ("課\u{00AD}a", "U+00AD"),
            ("課\u{2060}a", "U+2060"),
            ("課\u{FE00}a", "U+FE00"),
            ("課\u{3164}a", "U+3164"),
            ("課\u{034F}a", "U+034F"),
            ("課\u{E0001}a", "U+E0001"),
        ] {
            match department(bad, "課名") {
                Err(NameError::Invisible { code: got, .. }) => assert_eq!(got, code, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn invisible_characters_are_escaped_in_messages() {
        assert_eq!(shown("デジタル戦略課\u{200B}"), "デジタル戦略課<U+200B>");
        assert_eq!(shown("a\u{00A0}b"), "a<U+00A0>b");
        assert_eq!(shown("上下水道局　給水管理課"), "上下水道局　給水管理課");
    }
}
