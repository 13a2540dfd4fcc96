//! The UI's two languages: English and Simplified Chinese (zh-CN), switchable at any time.
//!
//! Strings are written in English in the code and looked up in [`ZH`] when the language is
//! Chinese: `t("Goals")`, and `tf("Goal {} name", &[&n])` for strings with values in them
//! (each `{}` is replaced in order). A string missing from the table shows in English.
//!
//! The language is read when a view is built, not tracked: switching it rebuilds the whole
//! app from the top (the documents are in the repo, so nothing is lost). The server renders
//! English; the browser switches to the stored or the browser's language right after hydrating.
//!
//! The template's own Chinese terms are the zh-CN labels (目标类型, 衡量标准, 权重, 完成时限,
//! 责任人, 所需支持, 跟进日期, 当前进度 …).

use chrono::{Datelike, NaiveDate};
use std::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The name of the language, in itself (for the switch).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "中文",
        }
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The language views are built in now.
pub fn current() -> Lang {
    CURRENT.with(Cell::get)
}

/// Set the language for the views built from now on.
pub fn set_current(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
    mark_document(lang);
}

const STORAGE_KEY: &str = "goals:lang";

/// The language to show: the one chosen on this device, else the browser's, else English.
pub fn preferred() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        if let Some(l) = gloo_storage::LocalStorage::get::<String>(STORAGE_KEY)
            .ok()
            .and_then(|s| Lang::parse(&s))
        {
            return l;
        }
        let browser = web_sys::window().and_then(|w| w.navigator().language());
        if let Some(l) = browser.and_then(|s| Lang::parse(&s)) {
            return l;
        }
    }
    Lang::En
}

/// Choose a language on this device: remembered, and set on the page (`<html lang>`).
pub fn choose(lang: Lang) {
    set_current(lang);
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        let _ = gloo_storage::LocalStorage::set(STORAGE_KEY, lang.code());
    }
    mark_document(lang);
}

/// Set `<html lang>` for screen readers, fonts and hyphenation.
pub fn mark_document(lang: Lang) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

/// A UI string in the current language.
pub fn t(en: &'static str) -> &'static str {
    match current() {
        Lang::En => en,
        Lang::ZhCn => lookup(en).unwrap_or(en),
    }
}

/// A UI string with values: each `{}` in the (translated) template takes the next value.
pub fn tf(en: &'static str, values: &[&dyn std::fmt::Display]) -> String {
    let template = t(en);
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        if let Some(v) = values.next() {
            out.push_str(&v.to_string());
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

fn lookup(en: &str) -> Option<&'static str> {
    ZH.iter().find(|(k, _)| *k == en).map(|(_, v)| *v)
}

/// A date for reading: "30 Sep 2023" or "2023年9月30日".
pub fn date(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match current() {
        Lang::En => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()),
        Lang::ZhCn => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

/// A number with thousands separators and at most `decimals` decimals ("5,000", "91.5").
pub fn number(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x);
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// English → Simplified Chinese. Keys are the exact English strings used in the code.
pub static ZH: &[(&str, &str)] = &[
    // Shell and navigation
    ("Goal sheets", "绩效目标表"),
    ("Connecting…", "连接中…"),
    ("Online", "在线"),
    ("Offline", "离线"),
    ("Set up your identity", "设置身份"),
    ("Page not found.", "页面不存在。"),
    ("Language", "语言"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_switch_language_and_fall_back_to_english() {
        set_current(Lang::ZhCn);
        assert_eq!(t("Online"), "在线");
        assert_eq!(t("not in the table"), "not in the table");
        set_current(Lang::En);
        assert_eq!(t("Online"), "Online");
    }

    #[test]
    fn templates_take_their_values_in_order() {
        set_current(Lang::En);
        assert_eq!(tf("{} of {}", &[&1, &"two"]), "1 of two");
        assert_eq!(tf("no values", &[]), "no values");
    }

    #[test]
    fn dates_and_numbers_follow_the_language() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 30).expect("date");
        set_current(Lang::ZhCn);
        assert_eq!(date(d), "2023年9月30日");
        set_current(Lang::En);
        assert_eq!(date(d), "30 Sep 2023");
        assert_eq!(number(5000.0, 0), "5,000");
        assert_eq!(number(1234567.25, 2), "1,234,567.25");
        assert_eq!(number(91.5, 1), "91.5");
        assert_eq!(number(83.0, 1), "83");
        assert_eq!(number(-1200.0, 0), "-1,200");
    }

    #[test]
    fn every_key_is_unique() {
        for (i, (k, _)) in ZH.iter().enumerate() {
            assert!(
                !ZH[..i].iter().any(|(k2, _)| k2 == k),
                "duplicate key {k:?}"
            );
        }
    }

    #[test]
    fn languages_are_recognised_from_browser_tags() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
