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

#[cfg(feature = "hydrate")]
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

/// A UI string with values: each `{}` in the (translated) template takes the next value, and
/// `{0}` … `{9}` take a value by position (for languages that say things in another order).
pub fn tf(en: &'static str, values: &[&dyn std::fmt::Display]) -> String {
    let values: Vec<String> = values.iter().map(ToString::to_string).collect();
    fill(t(en), &values)
}

/// Put `values` into a template's `{}` (in order) and `{0}` … `{9}` (by position).
fn fill(template: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut next = 0;
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let position = after
            .as_bytes()
            .first()
            .copied()
            .filter(u8::is_ascii_digit)
            .filter(|_| after.as_bytes().get(1) == Some(&b'}'))
            .map(|d| usize::from(d - b'0'));
        if let Some(after_brace) = after.strip_prefix('}') {
            if let Some(v) = values.get(next) {
                out.push_str(v);
            }
            next += 1;
            rest = after_brace;
        } else if let Some(p) = position {
            if let Some(v) = values.get(p) {
                out.push_str(v);
            }
            rest = &after[2..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A message made at run time in English (an error from the document store, say), in the
/// current language: the table's exact entry, else the first entry with `{}` whose words
/// match around the values (the values are translated the same way). Unknown messages stay
/// in English. Only for messages, never for what people typed.
pub fn tr(en: &str) -> String {
    if current() == Lang::En {
        return en.to_owned();
    }
    if let Some(zh) = lookup(en) {
        return zh.to_owned();
    }
    for (key, zh) in ZH {
        if let Some(values) = match_template(key, en) {
            let values: Vec<String> = values.into_iter().map(tr).collect();
            return fill(zh, &values);
        }
    }
    en.to_owned()
}

/// The values of `s` if it is `template` with its `{}` filled in. Templates with few words
/// around their values (such as "{}%") match too much and are left out.
fn match_template<'a>(template: &str, s: &'a str) -> Option<Vec<&'a str>> {
    if !template.contains("{}") {
        return None;
    }
    let parts: Vec<&str> = template.split("{}").collect();
    if parts.iter().map(|p| p.chars().count()).sum::<usize>() < 10 {
        return None;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    let mut rest = s.strip_prefix(first)?.strip_suffix(last)?;
    let mut values = Vec::new();
    for middle in &parts[1..parts.len() - 1] {
        let i = rest.find(middle)?;
        values.push(&rest[..i]);
        rest = &rest[i + middle.len()..];
    }
    values.push(rest);
    if values.iter().any(|v| v.is_empty()) {
        return None;
    }
    Some(values)
}

/// For the rare word that the table cannot hold twice: the same English said differently in
/// Chinese by context ("Goal" is 目标名称 as a column, 目标 before a goal's number).
pub fn pick(en: &'static str, zh: &'static str) -> &'static str {
    match current() {
        Lang::En => en,
        Lang::ZhCn => zh,
    }
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

/// A date for reading where the English UI has always shown `2025-07-29` (the browser tests
/// read it so): ISO in English, the language's own form otherwise.
pub fn day(d: NaiveDate) -> String {
    match current() {
        Lang::En => domain::date::format_iso(d),
        Lang::ZhCn => date(d),
    }
}

/// A moment stored as RFC 3339 (a signature's, an objection's), to the minute:
/// "2025-07-29 14:05", or "2025年7月29日 14:05".
pub fn moment(at: &str) -> String {
    let time = at.get(11..16).unwrap_or_default();
    match (current(), at.get(..10).and_then(domain::date::parse_iso)) {
        (Lang::ZhCn, Some(d)) if !time.is_empty() => format!("{} {time}", date(d)),
        (Lang::ZhCn, Some(d)) => date(d),
        _ => at
            .get(..16)
            .map(|s| s.replace('T', " "))
            .unwrap_or_else(|| at.to_owned()),
    }
}

// --- The domain's English, said in the current language ---
//
// The `domain` crate words its hints, errors and workings in English; these say the same in
// the current language (the English is the domain's own, word for word).

use domain::hints::Hint;
use domain::progress::PlanGap;
use domain::results::{CarryOverLabels, PeriodNames};
use domain::rules::{NewSheetError, WeightTotal};
use domain::score::ScoreError;
use domain::sign::{Invalid, KeyProblem, NotReady};
use domain::CycleKind;

/// A SMART hint: what to change about a goal.
pub fn hint(h: &Hint) -> String {
    match h {
        Hint::NoName => t("Name the goal: what, where, how much.").into(),
        Hint::VagueName => t(
            "Too vague: say what and where, with a number — e.g. “East China \
                              region: 20 new customers in Q3” rather than “improve performance”.",
        )
        .into(),
        Hint::NoMeasure => t("Add a measure: how will you both know it is done?").into(),
        Hint::MeasureWithoutNumber => t("Make the measure measurable: add a number, a \
                                         percentage or a threshold (e.g. “renewal rate ≥ 85%”).")
        .into(),
        Hint::NoDeadline => t("Set a deadline within the cycle.").into(),
        Hint::DeadlineOutsideCycle { deadline, cycle } => tf(
            "The deadline {} is outside the cycle ({} – {}): move it inside.",
            &[&date(*deadline), &date(cycle.start), &date(cycle.end)],
        ),
        Hint::NoWeight => t("Give the goal a weight: the weights of all goals total 100%.").into(),
        Hint::NotLinked => {
            t("Relevant to what? Link this goal to the department goal it serves.").into()
        }
    }
}

/// Progress against plan, the template's way: "60% done, 10% behind plan".
pub fn plan_gap(gap: PlanGap) -> String {
    match gap.gap() {
        None => tf("{}% done", &[&gap.actual]),
        Some(0) => tf("{}% done, on plan", &[&gap.actual]),
        Some(g) if g < 0 => tf("{}% done, {}% behind plan", &[&gap.actual, &-g]),
        Some(g) => tf("{}% done, {}% ahead of plan", &[&gap.actual, &g]),
    }
}

/// What to do about the weight total, or `None` when it is 100%.
pub fn weight_hint(total: WeightTotal) -> Option<String> {
    let target = domain::rules::WEIGHT_TARGET;
    match total.total.cmp(&target) {
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Less => Some(tf(
            "Weights total {}%: add {}% so they total 100%.",
            &[&total.total, &(target - total.total)],
        )),
        std::cmp::Ordering::Greater => Some(tf(
            "Weights total {}%: remove {}% so they total 100%.",
            &[&total.total, &(total.total - target)],
        )),
    }
}

/// Why a new sheet cannot be created as filled in.
pub fn new_sheet_error(e: &NewSheetError) -> String {
    match e {
        NewSheetError::MissingTitle => t("give the sheet a title").into(),
        NewSheetError::MissingEmployee => t("name the employee whose goals these are").into(),
        NewSheetError::MissingManager => t("name the manager").into(),
        NewSheetError::CycleBackwards { start, end } => tf(
            "the cycle ends ({}) before it starts ({})",
            &[&day(*end), &day(*start)],
        ),
    }
}

/// The words the next cycle's sheet is written with ("Carried over from …", "Missed goals:"),
/// in the current language.
pub fn carry_over_labels() -> CarryOverLabels<'static> {
    CarryOverLabels {
        carried_from: t("Carried over from {} ({} – {})."),
        missed_goals: t("Missed goals:"),
        missed: t("• {} (missed)"),
        missed_because: t("• {} (missed: {})"),
        plan: t("; plan: {}"),
        improvement_plan: t("Improvement plan: {}"),
        cause: |c| match current() {
            Lang::En => c.label().to_lowercase(),
            Lang::ZhCn => t(c.label()).to_owned(),
        },
        date: day,
        period: PeriodNames {
            monthly: pick("{y}-{m}", "{y}年{M}月"),
            quarterly: pick("{y} Q{q}", "{y}年第{q}季度"),
            annual: pick("{y}", "{y}年度"),
        },
    }
}

/// A role in a sentence: "employee", "manager".
pub fn role(r: domain::Role) -> &'static str {
    t(r.as_str())
}

/// An entry of a sheet that could not be read, and what became of it.
pub fn damage(d: &domain::Damage) -> String {
    use domain::Damage;
    match d {
        Damage::CheckInDate { goal, value } => tf(
            "A check-in of “{}” is left out: its date “{}” is not a date.",
            &[goal, value],
        ),
        Damage::MilestoneDate { goal, value } => tf(
            "A milestone of “{}” is left out: its date “{}” is not a date.",
            &[goal, value],
        ),
        Damage::Deadline { goal, value } => tf(
            "The deadline of “{}” is not a date (“{}”): it reads as none.",
            &[goal, value],
        ),
    }
}

/// Why a cycle's dates look wrong for its kind (see `Cycle::fits_kind`).
pub fn cycle_mismatch(c: &domain::Cycle) -> String {
    let days = c.days();
    match c.kind {
        CycleKind::Monthly => tf(
            "These dates span {} days: a monthly cycle is about a month long.",
            &[&days],
        ),
        CycleKind::Quarterly => tf(
            "These dates span {} days: a quarterly cycle is about three months long.",
            &[&days],
        ),
        CycleKind::Annual => tf(
            "These dates span {} days: an annual cycle is about a year long.",
            &[&days],
        ),
    }
}

/// The button that sets a cycle's dates to the whole period of its kind.
pub fn fit_cycle(kind: CycleKind) -> &'static str {
    t(match kind {
        CycleKind::Monthly => "Use a whole month",
        CycleKind::Quarterly => "Use a whole quarter",
        CycleKind::Annual => "Use a whole year",
    })
}

/// What a removal took out, for the offer to undo it.
pub fn removed(r: &domain::Removed) -> String {
    use domain::Removed;
    let quoted = |name: &str| {
        if name.trim().is_empty() {
            t("(unnamed)").to_owned()
        } else {
            format!("“{}”", name.trim())
        }
    };
    match r {
        Removed::Goal { goal, .. } => tf("Goal {} removed.", &[&quoted(&goal.name)]),
        Removed::CheckIn { check_in, .. } => tf(
            "Check-in of {} removed.",
            &[&domain::date::format_iso(check_in.date)],
        ),
        Removed::Milestone { milestone, .. } => tf(
            "Milestone of {} removed.",
            &[&domain::date::format_iso(milestone.date)],
        ),
        Removed::Deduction { deduction, .. } => {
            tf("Deduction {} removed.", &[&quoted(&deduction.reason)])
        }
        Removed::DevItem { item, .. } => tf("Development item {} removed.", &[&quoted(&item.text)]),
    }
}

/// Why a sheet cannot be signed yet.
pub fn not_ready(e: &NotReady) -> String {
    match e {
        NotReady::Weights(total) => tf("the weights total {}%, not 100%", &[total]),
        NotReady::NoName(n) => tf("goal {} has no name", &[n]),
        NotReady::NoMeasure(n) => tf("goal {} has no measure", &[n]),
        NotReady::NoDeadline(n) => tf("goal {} has no deadline", &[n]),
        NotReady::DeadlineOutsideCycle(n) => tf("goal {}'s deadline is outside the cycle", &[n]),
        NotReady::PartyMissing(r) => tf("the {} has not joined this sheet yet", &[&t(r)]),
        NotReady::NoGoals => t("there are no goals to agree on").into(),
        NotReady::OpenObjections(n) => tf("{} objection(s) are still open", &[n]),
        NotReady::NotTheParty(r) => tf("you have not joined this sheet as its {}", &[&t(r)]),
        NotReady::BadPartyKey(r, problem) => tf(
            "the {}'s key on this sheet is not a valid public key: {}",
            &[&t(r), &key_problem(problem)],
        ),
    }
}

/// Why a string is not a usable public key.
pub fn key_problem(e: &KeyProblem) -> String {
    match e {
        KeyProblem::Empty => t("it is empty").into(),
        KeyProblem::NotBase58 => t("it is not base58").into(),
        KeyProblem::Length(n) => tf("it is {} bytes long, not 32", &[n]),
        KeyProblem::NotAPoint => t("it is not an Ed25519 public key").into(),
    }
}

/// Why a stored signature does not verify.
pub fn invalid(e: &Invalid) -> String {
    match e {
        Invalid::Malformed(what) => tf("the signature is malformed: {}", &[what]),
        Invalid::Key(problem) => tf(
            "its key is not a valid public key: {}",
            &[&key_problem(problem)],
        ),
        Invalid::PartyKey(r, problem) => tf(
            "the {}'s key on this sheet is not a valid public key: {}",
            &[&t(r), &key_problem(problem)],
        ),
        Invalid::WrongKey(r) => tf(
            "it was made with a key that is not the {}'s on this sheet",
            &[&t(r)],
        ),
        Invalid::DoesNotVerify => {
            t("it does not verify: it was not made for this sheet, or it was altered").into()
        }
    }
}

/// Why a goal cannot be scored yet.
pub fn score_error(e: &ScoreError) -> String {
    match e {
        ScoreError::NoTarget => t("set the target").into(),
        ScoreError::NoAchieved => t("record what was achieved").into(),
        ScoreError::ZeroTarget => {
            t("a target of 0 cannot be divided by; state the target as a positive number").into()
        }
        ScoreError::Negative => t("a target and a result must not be negative").into(),
    }
}

/// A score's working ("10 ÷ 12 = 83.33% → 83", "100, no deductions"): the numbers stay, the
/// few words are said in the current language. Deduction reasons (typed by people) are left
/// as they are.
pub fn working(s: &str) -> String {
    if current() == Lang::En {
        return s.to_owned();
    }
    match s {
        "no goals to score" | "needs every goal scored" | "100, no deductions" => return tr(s),
        _ => {}
    }
    if let Some(n) = s.strip_suffix(" goal(s) still need a target and a result") {
        return tf("{} goal(s) still need a target and a result", &[&n]);
    }
    // The behaviour's working holds the reasons people typed; it has no words of its own.
    if s.starts_with("100 − ") {
        return s.to_owned();
    }
    s.replace(" (ceiling)", t(" (ceiling)"))
        .replace(", capped at 100", t(", capped at 100"))
}

/// One line of what changed since a signature ("Goal “X”, weight: “50%” → “40%”"), in the
/// current language. What people typed (between the quotes) stays; dates and labels are
/// translated.
pub fn change_line(line: &str) -> String {
    if current() == Lang::En {
        return line.to_owned();
    }
    // Goals: added, removed, or one field changed ("Goal “old” (now “new”), name: …").
    if let Some(rest) = line.strip_prefix("Goal “") {
        if let Some(name) = rest.strip_suffix("” added") {
            return tf("Goal “{}” added", &[&name]);
        }
        if let Some(name) = rest.strip_suffix("” removed") {
            return tf("Goal “{}” removed", &[&name]);
        }
        for field in [
            "type", "name", "measure", "weight", "deadline", "owner", "support",
        ] {
            let (sep, renamed) = (format!("”, {field}: “"), format!("”), {field}: “"));
            let found = rest
                .split_once(&renamed)
                .and_then(|(names, values)| {
                    let (old, new) = names.split_once("” (now “")?;
                    Some((tf("Goal “{}” (now “{}”)", &[&old, &new]), values))
                })
                .or_else(|| {
                    let (name, values) = rest.split_once(&sep)?;
                    Some((tf("Goal “{}”", &[&name]), values))
                });
            if let Some((goal, values)) = found {
                if let Some((a, b)) = change_values(values) {
                    let (a, b) = (change_value(field, a), change_value(field, b));
                    return tf("{}, {}: “{}” → “{}”", &[&goal, &t(field), &a, &b]);
                }
            }
        }
        return line.to_owned();
    }
    // The sheet's header and parties.
    let Some((what, values)) = line.split_once(": “") else {
        return line.to_owned();
    };
    let Some((a, b)) = change_values(values) else {
        return line.to_owned();
    };
    let kind = match what {
        "Cycle" => "type",
        "Cycle start" | "Cycle end" => "deadline",
        "Employee key" | "Manager key" => "key",
        _ => "",
    };
    let label = match what {
        "Employee" => t("Employee"),
        "Department name" => t("Department name"),
        "Manager" => t("Manager"),
        "Cycle" => t("Cycle"),
        "Cycle start" => t("Cycle start"),
        "Cycle end" => t("Cycle end"),
        "Employee key" => t("Employee key"),
        "Manager key" => t("Manager key"),
        _ => return line.to_owned(),
    };
    tf(
        "{}: “{}” → “{}”",
        &[&label, &change_value(kind, a), &change_value(kind, b)],
    )
}

/// Who changed a sheet: a person's "name (fingerprint)" stays; a device without an identity
/// is said in the current language.
pub fn author(by: &str) -> String {
    match by
        .strip_prefix("a device without an identity (")
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(device) => tf("a device without an identity ({})", &[&device]),
        None => by.to_owned(),
    }
}

/// `a” → “b”` into its two values.
fn change_values(s: &str) -> Option<(&str, &str)> {
    let (a, b) = s.split_once("” → “")?;
    Some((a, b.strip_suffix('”')?))
}

/// A value in a change line: labels (goal types, cycles), dates and "none" are translated.
fn change_value(kind: &str, v: &str) -> String {
    match (kind, v) {
        ("deadline", "none") => t("none").into(),
        ("deadline", _) => domain::date::parse_iso(v).map_or_else(|| v.to_owned(), date),
        ("type", _) => [
            "Result",
            "Process",
            "Development",
            "Monthly",
            "Quarterly",
            "Annual",
        ]
        .into_iter()
        .find(|l| *l == v)
        .map_or_else(|| v.to_owned(), |l| t(l).to_owned()),
        ("key", "nobody") => t("nobody").into(),
        _ => v.to_owned(),
    }
}

/// English → Simplified Chinese. Keys are the exact English strings used in the code.
pub static ZH: &[(&str, &str)] = &[
    (
        "This replaces {} on this device with {}. {}'s key is gone for good unless you exported it.",
        "这会用 {1} 替换本设备上的 {0}。除非已导出,{2} 的密钥将永久丢失。",
    ),
    ("Replace it", "替换"),
    ("Keep mine", "保留我的身份"),
    (
        "The sheet was confirmed, but an objection has been raised since: resolve it together.",
        "目标表已确认,但之后又有人提出了异议:请双方协商解决。",
    ),
    // Shell and navigation
    ("Goal sheets", "绩效目标表"),
    ("Connecting…", "连接中…"),
    ("Online", "在线"),
    ("Offline", "离线"),
    ("Set up your identity", "设置身份"),
    ("Page not found.", "页面不存在。"),
    ("Language", "语言"),
    ("A new version of the app is ready. Your sheets are saved on this device.", "应用有新版本可用。您的目标表已保存在本设备上。"),
    ("Reload now", "立即重新加载"),
    ("Sheets on this device use {} of about {} of browser storage ({}%).", "本设备上的目标表已使用 {},浏览器存储空间约 {}(已用 {}%)。"),
    (" Storage is nearly full: download a backup (below) so that no sheet depends on this browser alone.", "存储空间即将用尽:请下载备份(见下方),使目标表不只依赖本浏览器。"),
    (" The browser may clear it under pressure; installing the app helps keep it.", "空间紧张时浏览器可能会清除这些数据;安装本应用有助于保留它们。"),
    ("This device's storage refused the save ({}). Your edits are kept in this tab and will be saved when there is room; don't close the tab.", "本设备的存储空间拒绝了保存({})。您的修改暂存在此标签页中,有空间时会自动保存;请不要关闭此标签页。"),
    // Labels from the domain: cycles, cadences, goal types, dimensions, causes, roles, statuses
    ("Monthly", "月度"),
    ("Quarterly", "季度"),
    ("Annual", "年度"),
    ("every week", "每周"),
    ("every two weeks", "每两周"),
    ("every month", "每月"),
    ("Result", "结果型"),
    ("Process", "过程型"),
    ("Development", "发展型"),
    ("Teamwork", "团队协作"),
    ("Problem solving", "问题解决能力"),
    ("Timely communication", "沟通及时性"),
    ("Other", "其他"),
    ("Resources", "资源不足"),
    ("Skill gap", "能力差距"),
    ("Employee", "员工"),
    ("Manager", "管理者"),
    ("employee", "员工"),
    ("manager", "管理者"),
    ("open", "待处理"),
    ("resolved", "已解决"),
    ("withdrawn", "已撤回"),
    // Home: the sheet list and the new-sheet form
    ("My goal sheets", "我的绩效目标表"),
    ("Sheets kept on this device. They work offline and sync with everyone who has the link.", "保存在本设备上的目标表。可离线使用,并与所有持有链接的人同步。"),
    ("Reading this device's sheets…", "正在读取本设备上的目标表…"),
    ("No sheets on this device yet. Create one below, or open a link someone shared with you.", "本设备上还没有目标表。请在下方新建,或打开他人分享给您的链接。"),
    ("{} with {}", "员工:{} · 管理者:{}"),
    ("Check-in overdue since {}", "跟进已逾期(应于{}进行)"),
    ("Check-in due today", "今天需要跟进"),
    ("{} goals · weights {}%", "{}个目标 · 权重合计{}%"),
    ("Unreadable sheet ({})", "无法读取的目标表({})"),
    ("Damaged sheet ({})", "已损坏的目标表({})"),
    ("The copy of this sheet on this device is damaged ({}). It will be filled again from the relay or another tab as soon as one of them has it.", "本设备上这份目标表的副本已损坏({})。一旦中继服务器或其他标签页中有这份目标表,就会用它重新填充。"),
    ("The copy of this sheet on this device is damaged ({}), and the relay does not have this sheet.", "本设备上这份目标表的副本已损坏({}),中继服务器上也没有这份目标表。"),
    ("The copy of this sheet on this device was damaged ({}). What could be read from it is shown; whatever else the relay has is added.", "本设备上这份目标表的副本曾损坏({})。这里显示的是其中仍可读取的内容;中继服务器上的其余内容会自动补上。"),
    ("The copy of this sheet on this device was damaged ({}). It has been filled again from the relay.", "本设备上这份目标表的副本曾损坏({}),已从中继服务器重新填充。"),
    ("The copy of this sheet on this device was damaged ({}). It has been filled again from another tab.", "本设备上这份目标表的副本曾损坏({}),已从另一个标签页重新填充。"),
    ("The copy of this sheet in this device's storage was overwritten with damaged data ({}). It has been written again from this tab.", "本设备存储中的这份目标表被损坏的数据覆盖({}),已用此标签页中的副本重新写入。"),
    ("The damaged data is kept in this browser's storage under “{}”; nothing was deleted.", "损坏的数据保存在本浏览器存储的“{}”下,没有删除任何内容。"),
    ("The damaged data could not be copied aside (the storage is full), so it stays where it is and nothing overwrites it.", "损坏的数据无法另存(存储空间已满),因此保留在原处,不会被覆盖。"),
    ("it is not in the app's storage format", "其格式不是本应用的存储格式"),
    ("it is empty", "其内容为空"),
    ("its bytes are not readable ({})", "其字节无法读取({})"),
    ("Automerge cannot load it ({})", "Automerge 无法加载({})"),
    ("This device's storage could not keep a damaged copy of the sheet aside ({}), so it was not overwritten. Your edits are kept in this tab and will be saved when there is room; don't close the tab.", "本设备的存储空间无法另存目标表的损坏副本({}),因此没有覆盖它。您的修改暂存在此标签页中,有空间时会自动保存;请不要关闭此标签页。"),
    ("give the cycle a start date", "请填写周期的开始日期"),
    ("give the cycle an end date", "请填写周期的结束日期"),
    ("give the sheet a title", "请填写目标表标题"),
    ("name the employee whose goals these are", "请填写这些目标所属的员工"),
    ("name the manager", "请填写管理者"),
    ("the cycle ends ({}) before it starts ({})", "周期的结束日期({})早于开始日期({})"),
    ("New sheet", "新建目标表"),
    ("Title", "标题"),
    ("e.g. Q3 2026 goals", "例如:2026年Q3绩效目标"),
    ("Cycle", "周期"),
    ("Starts", "开始日期"),
    ("Ends", "结束日期"),
    ("A department's sheet (employees' goals cascade from its goals)", "部门目标表(员工目标由部门目标分解而来)"),
    ("Create sheet", "创建目标表"),
    ("That is not a sheet link ({}).", "这不是目标表链接({})。"),
    ("Open a shared sheet", "打开分享的目标表"),
    ("Link", "链接"),
    ("Open", "打开"),
    // Me: this device's identity
    ("Me", "我的身份"),
    ("Your identity on this device: the name others see, and a key that signs goal sheets as you. It never leaves this device unless you export it.", "您在本设备上的身份:他人看到的姓名,以及以您的名义签署目标表的密钥。除非您导出,否则它不会离开本设备。"),
    ("Key", "密钥"),
    ("Your name", "您的姓名"),
    ("as colleagues know you", "同事熟知的称呼"),
    ("Create my identity", "创建我的身份"),
    ("To sign from another device (your phone, say), export this identity there. Keep the code private: whoever has it can sign as you.", "如需在其他设备(例如手机)上签署,请将此身份导出到该设备。请妥善保管导出码:任何持有者都能以您的名义签署。"),
    ("Show export code", "显示导出码"),
    ("Download as a file", "下载为文件"),
    ("Identity imported: this device now signs as it.", "身份已导入:本设备今后以该身份签署。"),
    ("Not imported: {}.", "未导入:{}。"),
    ("Use an identity from another device", "使用其他设备上的身份"),
    ("Export code", "导出码"),
    ("…or the exported file", "…或导出的文件"),
    ("Import", "导入"),
    ("give your name as colleagues know it", "请填写同事熟知的姓名"),
    ("this is not an identity code (it should start with GS1-)", "这不是身份导出码(应以 GS1- 开头)"),
    ("the code is mistyped or incomplete (its checksum does not match)", "导出码有误或不完整(校验和不匹配)"),
    ("the code holds no valid key", "导出码中没有有效的密钥"),
    ("could not save the identity on this device: {}", "无法在本设备上保存身份:{}"),
    ("no random source for a key: {}", "没有可用于生成密钥的随机源:{}"),
    ("no random source for a new sheet id: {}", "没有可用于生成目标表编号的随机源:{}"),
    // Knowledge base
    ("This is not a knowledge base link.", "这不是知识库链接。"),
    ("Opening…", "正在打开…"),
    (
        "This part of the app could not be loaded. Check the connection, then open it again.",
        "无法加载应用的这一部分。请检查网络连接，然后重新打开。",
    ),
    ("Fetching the knowledge base from the relay…", "正在从中继服务器获取知识库…"),
    ("Neither this device nor the relay has this knowledge base.", "本设备和中继服务器上都没有这个知识库。"),
    ("This link is not a knowledge base.", "此链接不是知识库。"),
    ("Search", "搜索"),
    ("words, tags, sheet…", "关键词、标签、目标表…"),
    ("From this sheet", "来自此目标表"),
    ("Add a practice", "添加优秀实践"),
    ("Practice", "实践内容"),
    ("Tags", "标签"),
    ("Add", "添加"),
    ("{} knowledge base", "{}知识库"),
    // A sheet: loading, header, tabs
    ("“{}” is not a sheet link.", "“{}”不是目标表链接。"),
    ("Opening the sheet…", "正在打开目标表…"),
    ("this link is a knowledge base, not a goal sheet", "此链接是知识库,不是目标表"),
    ("Reading the sheet…", "正在读取目标表…"),
    ("This sheet is not on this device yet: fetching it from the relay…", "本设备上还没有此目标表:正在从中继服务器获取…"),
    ("Neither this device nor the relay has this sheet. Ask for the link again, or ask its owner to open it while online so that it reaches the relay.", "本设备和中继服务器上都没有此目标表。请重新索取链接,或请其所有者在联网时打开它,以便同步到中继服务器。"),
    ("This sheet cannot be shown: {}", "无法显示此目标表:{}"),
    ("1 · Prepare", "1 · 目标准备"),
    ("2 · Goals", "2 · 目标分解"),
    ("2 · Cascade", "2 · 层级对齐"),
    ("3 · Confirm", "3 · 目标确认"),
    ("4 · Follow-up", "4 · 过程跟进"),
    ("5 · Assessment", "5 · 评估调整"),
    ("6 · Results", "6 · 结果应用"),
    ("Steps", "步骤"),
    ("Saved on this device · synced", "已保存在本设备 · 已同步"),
    ("Saved on this device · syncing…", "已保存在本设备 · 同步中…"),
    ("Saved on this device · offline", "已保存在本设备 · 离线"),
    ("Saved on this device · starting…", "已保存在本设备 · 启动中…"),
    ("Not saved on this device yet: kept in this tab, retrying · synced", "尚未保存到本设备:修改暂存在此标签页中,正在重试 · 已同步"),
    ("Not saved on this device yet: kept in this tab, retrying · syncing…", "尚未保存到本设备:修改暂存在此标签页中,正在重试 · 同步中…"),
    ("Not saved on this device yet: kept in this tab, retrying · offline", "尚未保存到本设备:修改暂存在此标签页中,正在重试 · 离线"),
    ("Sheet title", "目标表标题"),
    ("The cycle ends before it starts.", "周期的结束日期早于开始日期。"),
    ("Link to share", "分享链接"),
    ("Copied", "已复制"),
    ("Copy link", "复制链接"),
    ("Department sheet: employees' goals cascade from its goals.", "部门目标表:员工目标由本表的部门目标分解而来。"),
    ("Department", "所属部门"),
    ("Department name", "部门名称"),
    ("name the department", "请填写部门名称"),
    (" · Department: {} · Manager: {} · {}", " · 部门:{} · 管理者:{} · {}"),
    ("— none —", "— 无 —"),
    // Errors from the document store
    ("the document is empty: it has not arrived yet", "文档为空:尚未同步到本设备"),
    ("this document is not a goal sheet", "此文档不是目标表"),
    ("this sheet was written by a newer version of the app (layout {}); update the app", "此目标表由更新版本的应用写入(格式 {});请更新应用"),
    ("the sheet's {} is damaged: {}", "目标表的 {} 已损坏:{}"),
    ("no goal row {} on this sheet", "此目标表上没有目标行 {}"),
    ("no entry {} on this sheet (someone may have removed it)", "此目标表上没有条目 {}(可能已被他人删除)"),
    ("the stored document cannot be read: {}", "无法读取已存储的文档:{}"),
    ("stored copy is not readable: {}", "已存储的副本无法读取:{}"),
    ("this sheet is not open", "此目标表尚未打开"),
    ("this sheet has not arrived yet", "此目标表尚未同步到本设备"),
    ("the app is still starting; try again in a moment", "应用仍在启动,请稍后再试"),
    ("the next cycle's link is damaged", "下一周期的链接已损坏"),
    ("set up your identity first", "请先设置身份"),
    ("Not ready to sign: {}.", "尚不能签署:{}。"),
    ("editing needs the browser", "编辑需要在浏览器中进行"),
    ("creating a sheet needs the browser", "创建目标表需要在浏览器中进行"),
    ("signing needs the browser", "签署需要在浏览器中进行"),
    ("identities live in the browser", "身份保存在浏览器中"),
    ("knowledge bases live in the browser", "知识库保存在浏览器中"),
    ("needs the browser", "需要在浏览器中进行"),
    // Step 1: preparation
    ("Gather the direction before setting goals: either of you can fill this in, and it stays on the sheet for the one-to-one.", "设定目标前先明确方向与依据:双方均可填写,内容保留在目标表上,供1对1沟通时使用。"),
    ("Company strategy", "公司战略目标"),
    ("e.g. user retention +8% this year", "例如:今年用户留存率提升8%"),
    ("The department's key tasks", "部门年度重点任务"),
    ("e.g. launch the new product in Q3; sales +15%", "例如:Q3完成新产品上线;销售额提升15%"),
    ("The employee's duties", "员工岗位职责"),
    ("the role's job description, in short", "岗位职责的简要描述"),
    ("Last cycle's results", "上周期绩效结果"),
    ("e.g. customer satisfaction needs to improve", "例如:客户满意度指标需改进"),
    ("The employee's development wishes", "员工个人发展诉求"),
    ("e.g. wants to grow project-management skills", "例如:希望提升项目管理能力"),
    // Step 2: the goal-setting table (Template 1)
    ("Goal type", "目标类型"),
    ("Goal", "目标名称"),
    ("Measure (key results)", "衡量标准(关键成果)"),
    ("Weight %", "权重(%)"),
    ("Deadline", "完成时限"),
    ("Owner", "责任人"),
    ("Support needed", "所需支持"),
    ("Actions", "操作"),
    ("Total weight", "权重合计"),
    ("Weights total {}%: add {}% so they total 100%.", "权重合计{}%:还需增加{}%,使合计为100%。"),
    ("Weights total {}%: remove {}% so they total 100%.", "权重合计{}%:需减少{}%,使合计为100%。"),
    ("No goals yet. Add the first one (the weights of all goals total 100%), or start from the template's example and adapt it.", "还没有目标。请添加第一个目标(所有目标的权重合计为100%),或以模板示例为基础进行修改。"),
    ("Fill with the template's example", "填入模板示例"),
    ("+ Add goal", "+ 添加目标"),
    ("Goal {} type", "目标{}的类型"),
    ("Goal {} name", "目标{}的名称"),
    ("Goal {} measure", "目标{}的衡量标准"),
    ("Goal {} weight in percent", "目标{}的权重(%)"),
    ("Goal {} deadline", "目标{}的完成时限"),
    ("Goal {} owner", "目标{}的责任人"),
    ("Goal {} support needed", "目标{}的所需支持"),
    ("Move goal {} up", "上移目标{}"),
    ("Move goal {} down", "下移目标{}"),
    ("Remove goal {}", "删除目标{}"),
    ("Goal {} removed.", "已删除目标{}。"),
    ("Check-in of {} removed.", "已删除{}的跟进记录。"),
    ("Milestone of {} removed.", "已删除{}的里程碑。"),
    ("Deduction {} removed.", "已删除扣分项{}。"),
    ("Development item {} removed.", "已删除发展计划项{}。"),
    ("(unnamed)", "(未命名)"),
    ("Undo", "撤销"),
    ("Backup", "备份"),
    (
        "Sheets live in this browser (and with the relay, once synced). Keep a copy elsewhere: restoring one merges it with what is here and overwrites nothing.",
        "目标表保存在本浏览器中(同步后也保存在中继服务器上)。请另存一份副本:恢复时会与现有内容合并,不会覆盖任何内容。",
    ),
    ("Download a backup", "下载备份"),
    ("Not restored: {}.", "未恢复:{}。"),
    ("Restore from a backup…", "从备份恢复…"),
    (
        "Backup restored: {} new, {} merged, {} already here, {} unreadable.",
        "备份已恢复:新增{}份,合并{}份,已有{}份,无法读取{}份。",
    ),
    ("this file is not a backup of goal sheets", "此文件不是目标表的备份"),
    (
        "this backup was made by a newer version of the app (format {}); update the app",
        "此备份由较新版本的应用生成(格式{}),请更新应用",
    ),
    (
        "These dates span {} days: a monthly cycle is about a month long.",
        "这些日期共{}天:月度周期约为一个月。",
    ),
    (
        "These dates span {} days: a quarterly cycle is about three months long.",
        "这些日期共{}天:季度周期约为三个月。",
    ),
    (
        "These dates span {} days: an annual cycle is about a year long.",
        "这些日期共{}天:年度周期约为一年。",
    ),
    ("Use a whole month", "改为整月"),
    ("Use a whole quarter", "改为整季度"),
    ("Use a whole year", "改为整年"),
    ("Archive", "归档"),
    ("Restore", "恢复"),
    ("Archive {}", "归档{}"),
    ("Restore {} to the list", "将{}恢复到列表"),
    ("Archived sheets ({})", "已归档的目标表({})"),
    (
        "Archived sheets stay on this device and keep syncing; they are only left out of the list above.",
        "已归档的目标表仍保存在本设备上并继续同步,只是不在上面的列表中显示。",
    ),
    (
        "Every sheet on this device is archived: restore one below to list it again.",
        "本设备上的目标表都已归档:在下方恢复即可重新列出。",
    ),
    (
        "could not save the list of archived sheets: {}",
        "无法保存已归档目标表的列表:{}",
    ),
    (
        "No goals yet: check-ins start once the goals are set (step 2).",
        "尚无目标:设定目标(第2步)后开始跟进。",
    ),
    ("Dismiss", "关闭"),
    ("Move up", "上移"),
    ("Move down", "下移"),
    ("Remove", "删除"),
    ("e.g. South China: new customers in Q3", "例如:华南区域Q3新增客户"),
    ("e.g. 8 new valid customers, signing rate ≥ 70%", "例如:新增有效客户8家,客户签约率≥70%"),
    ("⚑ {} open objection(s): see 3 · Confirm", "⚑ {}项异议待处理:见“3 · 目标确认”"),
    ("Serves department goal", "支撑的部门目标"),
    ("a department goal not on this device yet", "尚未同步到本设备的部门目标"),
    ("Name the goal: what, where, how much.", "请填写目标名称:做什么、在哪里、做多少。"),
    ("Too vague: say what and where, with a number — e.g. “East China region: 20 new customers in Q3” rather than “improve performance”.", "表述过于模糊:请说明做什么、在哪里,并给出数字——例如“华东区域Q3新增客户20家”,而不是“提升业绩”。"),
    ("Add a measure: how will you both know it is done?", "请添加衡量标准:双方如何判断目标已完成?"),
    ("Make the measure measurable: add a number, a percentage or a threshold (e.g. “renewal rate ≥ 85%”).", "衡量标准须可量化:请加入数字、百分比或阈值(如“客户续约率≥85%”)。"),
    ("Set a deadline within the cycle.", "请在周期内设定完成时限。"),
    ("The deadline {} is outside the cycle ({} – {}): move it inside.", "完成时限{}不在周期内({} – {}):请调整到周期之内。"),
    ("Give the goal a weight: the weights of all goals total 100%.", "请为目标设定权重:所有目标的权重合计为100%。"),
    ("Relevant to what? Link this goal to the department goal it serves.", "与什么相关?请将此目标关联到它所支撑的部门目标。"),
    // Step 2 seen from the department: the cascade
    ("Each department goal, with the employee goals that serve it. Employees link their goals on their own sheets (attach the sheet to this department, then choose the department goal a goal serves).", "每个部门目标及支撑它的员工目标。员工在各自的目标表上关联目标(先将目标表归属到本部门,再为每个目标选择它所支撑的部门目标)。"),
    ("No department goals yet: add them on the Goals tab.", "还没有部门目标:请在“目标分解”页中添加。"),
    (" · weight {}%", " · 权重{}%"),
    ("Roll-up: {}% done (weighted by the employees' weights)", "汇总:已完成{}%(按员工目标的权重加权)"),
    ("No employee goal links here yet.", "还没有员工目标关联到这里。"),
    (" · weight {}% · {}% done", " · 权重{}% · 已完成{}%"),
    // Step 3: confirmation
    ("Confirmed: {}; {}.", "已确认:{};{}。"),
    ("{} ({}, {}) signed {}", "{}({},{})于{}签字"),
    ("To join this sheet and sign it, set up your identity on this device first.", "要加入并签署此目标表,请先在本设备上设置身份。"),
    ("Parties", "双方"),
    ("Objections", "异议处理"),
    ("Signatures", "确认签字"),
    (" (you)", "(您)"),
    ("not joined yet", "尚未加入"),
    ("Join as the {}", "以{}身份加入"),
    ("Not signed", "未签字"),
    ("Verifying signatures…", "正在验证签名…"),
    ("Signed by {} ({}) on {}", "{}({})已于{}签字"),
    ("Void: {} ({}) signed on {}, and the agreement has changed since.", "已失效:{}({})于{}签字,此后约定内容已有变更。"),
    ("Changed by {}.", "变更人:{}。"),
    ("Both must sign again.", "双方须重新签字。"),
    ("This signature does not verify: {}.", "此签名无法验证:{}。"),
    ("To sign: {}", "签字前需解决:{}"),
    ("Sign as the {}", "以{}身份签字"),
    ("Join the sheet as employee or manager to object.", "请先以员工或管理者身份加入目标表,才能提出异议。"),
    ("There is no goal to object to.", "没有可提出异议的目标。"),
    ("No objections. If a goal seems wrong, either party can object to it here before signing; the other answers with the basis.", "暂无异议。如对某项目标有不同意见,任何一方都可以在签字前在此提出异议,另一方说明依据。"),
    ("Say why: the reason is what the other side answers.", "请说明理由:对方将针对理由作出答复。"),
    ("Object to goal", "对目标提出异议"),
    ("Reason", "理由"),
    ("e.g. the target is too high for the resources", "例如:就现有资源而言,目标过高"),
    ("Raise objection", "提出异议"),
    ("a removed goal", "已删除的目标"),
    ("On “{}”", "关于“{}”"),
    ("{} ({}): ", "{}({}):"),
    ("Answer", "答复"),
    ("the basis: history, resources…", "目标依据:历史数据、资源分配情况…"),
    ("Resolved", "已解决"),
    ("Withdraw", "撤回"),
    ("the weights total {}%, not 100%", "权重合计为{}%,而不是100%"),
    ("goal {} has no measure", "目标{}没有衡量标准"),
    ("goal {} has no deadline", "目标{}没有完成时限"),
    ("goal {} has no name", "目标{}没有目标名称"),
    ("goal {}'s deadline is outside the cycle", "目标{}的完成时限不在周期内"),
    ("the {} has not joined this sheet yet", "{}尚未加入此目标表"),
    ("there are no goals to agree on", "还没有可供确认的目标"),
    ("{} objection(s) are still open", "还有{}项异议尚未处理"),
    ("you have not joined this sheet as its {}", "您尚未以{}身份加入此目标表"),
    ("the signature is malformed: {}", "签名格式错误:{}"),
    ("it was made with a key that is not the {}'s on this sheet", "签名所用的密钥不是此目标表上{}的密钥"),
    ("it does not verify: it was not made for this sheet, or it was altered", "验证失败:签名不是针对此目标表作出的,或已被篡改"),
    ("its key is not a valid public key: {}", "签名所用的密钥不是有效的公钥:{}"),
    ("the {}'s key on this sheet is not a valid public key: {}", "此目标表上{}的密钥不是有效的公钥:{}"),
    ("this is not a valid public key: {}", "这不是有效的公钥:{}"),
    ("it is not base58", "不是 base58 编码"),
    ("it is {} bytes long, not 32", "长度为{}字节,而不是32字节"),
    ("it is not an Ed25519 public key", "不是 Ed25519 公钥"),
    ("invalid key: {}", "无效密钥:{}"),
    ("Goal “{}” added", "目标“{}”已添加"),
    ("Goal “{}” removed", "目标“{}”已删除"),
    ("Goal “{}”", "目标“{}”"),
    ("Goal “{}” (now “{}”)", "目标“{}”(现为“{}”)"),
    ("{}, {}: “{}” → “{}”", "{},{}:“{}” → “{}”"),
    ("a device without an identity ({})", "未设置身份的设备({})"),
    ("{}: “{}” → “{}”", "{}:“{}” → “{}”"),
    ("type", "目标类型"),
    ("name", "目标名称"),
    ("measure", "衡量标准"),
    ("weight", "权重"),
    ("deadline", "完成时限"),
    ("owner", "责任人"),
    ("support", "所需支持"),
    ("Cycle start", "周期开始日期"),
    ("Cycle end", "周期结束日期"),
    ("Employee key", "员工密钥"),
    ("Manager key", "管理者密钥"),
    ("none", "无"),
    ("nobody", "无"),
    // Step 4: follow-up (Template 2)
    ("Next check-in: {}", "下次跟进:{}"),
    ("Check-in overdue: it was due {}", "跟进已逾期:原定于{}"),
    ("The cycle has ended: time for the assessment.", "周期已结束:该进行评估了。"),
    ("The cycle's last check-in is done: the assessment comes at its end.", "本周期最后一次跟进已完成:周期结束时进行评估。"),
    ("The cycle has not started; first check-in {}", "周期尚未开始;首次跟进:{}"),
    ("{} cycle: check in {}.", "{}目标:{}跟进1次。"),
    ("Set goals first (step 2); their check-ins are recorded here.", "请先设定目标(步骤2);目标的跟进情况记录在这里。"),
    ("{}% done", "当前完成{}%"),
    ("{}% done, on plan", "当前完成{}%,符合计划"),
    ("{}% done, {}% behind plan", "当前完成{}%,滞后于计划{}%"),
    ("{}% done, {}% ahead of plan", "当前完成{}%,超前于计划{}%"),
    ("No check-ins yet", "尚无跟进记录"),
    ("plan", "计划进度"),
    ("Check-in date", "跟进日期"),
    ("Progress %", "当前进度(%)"),
    ("Main progress", "主要进展"),
    ("Problems", "存在问题"),
    ("Solution", "解决方案"),
    ("Next step", "下一步计划"),
    ("+ Record a check-in", "+ 记录一次跟进"),
    ("Progress in percent", "当前进度(%)"),
    ("Remove this check-in", "删除此次跟进"),
    ("Give a date and the progress (0–100) expected by then.", "请填写日期,以及届时预期达到的进度(0–100)。"),
    ("Milestones (optional: the plan is a straight line to the deadline without them)", "里程碑(可选:不设里程碑时,计划进度按直线推进至完成时限)"),
    ("{}% by {}", "{1}前完成{0}%"),
    ("Remove milestone", "删除里程碑"),
    ("By", "截止日期"),
    ("Add milestone", "添加里程碑"),
    // Step 5: assessment
    ("Results above target count as 100 at most", "超出目标的结果最多按100分计"),
    ("Quantitative share %", "量化指标权重(%)"),
    ("behaviour {}%", "过程行为表现{}%"),
    ("Quantitative completion", "量化指标完成情况"),
    ("Kind of target", "指标类型"),
    ("Target", "目标值"),
    ("Achieved", "实际达成"),
    ("Score", "得分"),
    ("Quantitative score: ", "量化指标得分:"),
    ("Behaviour in the process", "过程行为表现"),
    ("Teamwork, problem solving, timely communication: 100 points, less itemised deductions.", "团队协作、问题解决能力、沟通及时性:满分100分,逐项扣分。"),
    ("+ Add a deduction", "+ 添加扣分项"),
    ("Behaviour score: ", "过程行为得分:"),
    ("Final score: ", "综合得分:"),
    ("At least (a target)", "不低于(目标值)"),
    ("At most (a ceiling)", "不高于(上限)"),
    ("e.g. 12", "例如:12"),
    ("e.g. 10", "例如:10"),
    ("Dimension", "维度"),
    ("e.g. repeated late feedback", "例如:多次延迟反馈"),
    ("Points deducted", "扣分"),
    ("Remove deduction", "删除扣分项"),
    ("set the target", "请设定目标值"),
    ("record what was achieved", "请记录实际达成值"),
    ("a target of 0 cannot be divided by; state the target as a positive number", "目标值为0时无法计算比例;请将目标值设为正数"),
    ("a target and a result must not be negative", "目标值和实际结果都不能为负数"),
    ("no goals to score", "没有可评分的目标"),
    ("needs every goal scored", "需要所有目标都已评分"),
    ("100, no deductions", "100,无扣分"),
    ("{} goal(s) still need a target and a result", "还有{}个目标需要填写目标值和实际结果"),
    (" (ceiling)", "(上限)"),
    (", capped at 100", ",封顶100"),
    // Step 6: results
    ("Pay adjustment", "薪酬调整"),
    ("e.g. +5% from January", "例如:自1月起上调5%"),
    ("Promotion", "晋升"),
    ("e.g. ready for team lead next cycle", "例如:下一周期可晋升为团队负责人"),
    ("Training", "培训"),
    ("e.g. priority for leadership training", "例如:优先参与领导力培训"),
    ("Performance interview notes", "绩效面谈记录"),
    ("results acknowledged, shortfalls named, next goals agreed", "肯定成绩,指出不足,共同制定下一周期目标"),
    ("← The previous cycle's sheet", "← 上一周期的目标表"),
    ("Applying the results", "结果应用"),
    ("Missed goals", "未达成的目标"),
    ("No goal is missed: every assessed goal scores 100, and an unassessed goal counts as missed only if it is short of 100% when the cycle ends.", "没有未达成的目标:已评估的目标均得100分;未评估的目标仅在周期结束时进度不足100%才算未达成。"),
    ("Development plan", "个人发展计划"),
    ("+ Add a development item", "+ 添加发展事项"),
    ("Good practice", "优秀实践"),
    ("Next cycle", "下一周期"),
    ("Open the next cycle's sheet →", "打开下一周期的目标表 →"),
    ("Starts a sheet for the next cycle, linked to this one, with the missed goals, their improvement plans and the development plan carried over for both of you to edit.", "为下一周期新建一张与本表关联的目标表,并带入未达成的目标、改进计划和个人发展计划,供双方编辑。"),
    ("Start the next cycle", "开始下一周期"),
    ("Cause", "原因"),
    ("Improvement plan", "改进计划"),
    // The print view
    ("This is not a sheet link.", "这不是目标表链接。"),
    ("← Back to the sheet", "← 返回目标表"),
    ("Print", "打印"),
    ("Goals as CSV", "导出目标 CSV"),
    ("Check-ins as CSV", "导出跟进记录 CSV"),
    ("Template 1 · Goal-setting sheet", "模板1:绩效目标设定表"),
    ("Template 2 · Follow-up record", "模板2:目标跟进记录表"),
    (" · Employee: {} · Manager: {} · {}", " · 员工:{} · 管理者:{} · {}"),
    ("Signatures: employee ", "确认签字:员工:"),
    (" manager ", " 管理者:"),
    (" date ", " 日期:"),
    ("goals", "目标"),
    ("check-ins", "跟进记录"),
    ("Goal name", "目标名称"),
    ("Weight (%)", "权重(%)"),
    ("Progress (%)", "当前进度(%)"),
    ("{} ({}), {}", "{}({}),{}"),
    ("void: {} ({}) signed on {}, and the agreement has changed since", "已失效:{}({})于{}签字,此后约定内容已有变更"),
    ("not verified: {}", "未通过验证:{}"),
    ("verifying signatures…", "正在验证签名…"),
    ("Print / CSV", "打印 / 导出 CSV"),
    (" (after the deadline: not part of the plan)", "(晚于完成时限:不计入计划)"),
    ("Some entries of this sheet were written in a form this app cannot read (by another device or app). They are left out; the rest of the sheet is as usual:", "此目标表中有些条目的格式本应用无法读取(由其他设备或应用写入),已略去;目标表的其余部分不受影响:"),
    ("A check-in of “{}” is left out: its date “{}” is not a date.", "“{}”的一条跟进记录已略去:其跟进日期“{}”不是有效日期。"),
    ("A milestone of “{}” is left out: its date “{}” is not a date.", "“{}”的一个里程碑已略去:其日期“{}”不是有效日期。"),
    ("The deadline of “{}” is not a date (“{}”): it reads as none.", "“{}”的完成时限不是有效日期(“{}”):按未设置处理。"),
    ("Carried over from {} ({} – {}).", "承接自{}({} – {})。"),
    ("Missed goals:", "未达成的目标:"),
    ("• {} (missed)", "• {}(未达成)"),
    ("• {} (missed: {})", "• {}(未达成:{})"),
    ("; plan: {}", ";改进计划:{}"),
    ("Improvement plan: {}", "改进计划:{}"),
    ("e.g. ask Marketing for 2 regional ad placements", "例如:申请市场部协助投放2次区域广告"),
    ("Development item", "发展事项"),
    ("e.g. 2 data-analysis trainings next quarter", "例如:下季度参加2次数据分析培训"),
    ("Describe the practice first.", "请先描述这项实践。"),
    ("Captured in the department's knowledge base.", "已纳入部门知识库。"),
    ("Practice worth reusing", "值得推广的实践"),
    ("e.g. cross-department collaboration delivered the project early", "例如:跨部门协作推动项目提前完成"),
    ("e.g. collaboration", "例如:协作"),
    ("Capture", "纳入知识库"),
    ("Open the knowledge base", "打开知识库"),
    ("This department has no knowledge base yet.", "本部门还没有知识库。"),
    ("Create the department's knowledge base", "创建部门知识库"),
    ("Attach this sheet to its department (in the header) to capture good practice into the department's knowledge base.", "请先在表头将此目标表归属到所在部门,即可将优秀实践纳入部门知识库。"),
    ("The department has no knowledge base yet: it is created on the department's sheet.", "该部门还没有知识库:请在部门目标表上创建。"),
    ("Neither this device nor the relay has the department's sheet, so its knowledge base is not known here.", "本设备和中继服务器上都没有该部门的目标表,因此无法找到其知识库。"),
    ("The department's sheet cannot be read on this device.", "本设备无法读取该部门的目标表。"),
    ("Fetching the department's sheet to find its knowledge base…", "正在从中继服务器获取部门目标表以找到其知识库…"),
    ("Not added: {}", "未添加:{}"),
    ("this document is not a knowledge base", "此文档不是知识库"),
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

    #[test]
    fn templates_take_values_by_position() {
        assert_eq!(
            fill("{1} before {0}", &["a".into(), "b".into()]),
            "b before a"
        );
        assert_eq!(fill("{} and {}", &["a".into(), "b".into()]), "a and b");
        assert_eq!(fill("a { b {x} {", &[]), "a { b {x} {");
        assert_eq!(fill("{9}", &[]), "");
    }

    #[test]
    fn every_template_says_all_its_values() {
        for (en, zh) in ZH {
            let count = |s: &str| s.matches("{}").count();
            let positional = (0..10).filter(|i| zh.contains(&format!("{{{i}}}"))).count();
            assert_eq!(count(en), count(zh) + positional, "{en:?} → {zh:?}");
        }
    }

    #[test]
    fn run_time_messages_are_translated_with_their_values() {
        set_current(Lang::ZhCn);
        assert_eq!(tr("set up your identity first"), "请先设置身份");
        assert_eq!(
            tr("could not save the identity on this device: quota"),
            "无法在本设备上保存身份:quota"
        );
        assert_eq!(
            tr("Not ready to sign: there are no goals to agree on."),
            "尚不能签署:还没有可供确认的目标。"
        );
        assert_eq!(
            tr("This device's storage refused the save (QuotaExceededError). Your edits are kept \
                in this tab and will be saved when there is room; don't close the tab."),
            "本设备的存储空间拒绝了保存(QuotaExceededError)。您的修改暂存在此标签页中,有空间时会自动保存;请不要关闭此标签页。"
        );
        assert_eq!(tr("something unknown"), "something unknown");
        // Short templates ("{}% done") do not match messages.
        assert_eq!(tr("5% done"), "5% done");
        set_current(Lang::En);
        assert_eq!(
            tr("set up your identity first"),
            "set up your identity first"
        );
    }

    fn cycle() -> domain::Cycle {
        domain::Cycle {
            kind: domain::CycleKind::Quarterly,
            start: NaiveDate::from_ymd_opt(2023, 7, 1).expect("date"),
            end: NaiveDate::from_ymd_opt(2023, 9, 30).expect("date"),
        }
    }

    #[test]
    fn the_domains_english_is_said_word_for_word() {
        set_current(Lang::En);
        for h in [
            Hint::NoName,
            Hint::VagueName,
            Hint::NoMeasure,
            Hint::MeasureWithoutNumber,
            Hint::NoDeadline,
            Hint::NoWeight,
            Hint::NotLinked,
        ] {
            assert_eq!(hint(&h), h.message());
        }
        for gap in [
            PlanGap {
                actual: 60,
                expected: Some(70),
            },
            PlanGap {
                actual: 60,
                expected: Some(55),
            },
            PlanGap {
                actual: 60,
                expected: Some(60),
            },
            PlanGap {
                actual: 60,
                expected: None,
            },
        ] {
            assert_eq!(plan_gap(gap), gap.describe());
        }
        for total in [90, 100, 120] {
            let w = WeightTotal { total };
            assert_eq!(weight_hint(w), w.hint());
        }
        let c = cycle();
        for e in [
            NewSheetError::MissingTitle,
            NewSheetError::MissingEmployee,
            NewSheetError::MissingManager,
            NewSheetError::CycleBackwards {
                start: c.end,
                end: c.start,
            },
        ] {
            assert_eq!(new_sheet_error(&e), e.to_string());
        }
        for e in [
            NotReady::Weights(90),
            NotReady::NoMeasure(2),
            NotReady::NoDeadline(3),
            NotReady::NoGoals,
            NotReady::OpenObjections(1),
            NotReady::NotTheParty("manager"),
            NotReady::BadPartyKey("employee", KeyProblem::NotBase58),
            NotReady::NoName(1),
            NotReady::DeadlineOutsideCycle(2),
            NotReady::PartyMissing("employee"),
        ] {
            assert_eq!(not_ready(&e), e.to_string());
        }
        for e in [
            KeyProblem::Empty,
            KeyProblem::NotBase58,
            KeyProblem::Length(4),
            KeyProblem::NotAPoint,
        ] {
            assert_eq!(key_problem(&e), e.to_string());
        }
        for e in [
            Invalid::Malformed("signature: not 64 bytes".into()),
            Invalid::Key(KeyProblem::Length(4)),
            Invalid::PartyKey("manager", KeyProblem::Empty),
            Invalid::WrongKey("employee"),
            Invalid::DoesNotVerify,
        ] {
            assert_eq!(invalid(&e), e.to_string());
        }
        for e in [
            ScoreError::NoTarget,
            ScoreError::NoAchieved,
            ScoreError::ZeroTarget,
            ScoreError::Negative,
        ] {
            assert_eq!(score_error(&e), e.to_string());
        }
        for d in [
            domain::Damage::CheckInDate {
                goal: "G".into(),
                value: "2023-13-45".into(),
            },
            domain::Damage::MilestoneDate {
                goal: "G".into(),
                value: String::new(),
            },
            domain::Damage::Deadline {
                goal: "G".into(),
                value: "soon".into(),
            },
        ] {
            assert_eq!(damage(&d), d.to_string());
        }
        let line = "Goal “X”, weight: “50%” → “40%”";
        assert_eq!(change_line(line), line);
        assert_eq!(
            working("5 ÷ 4 (ceiling) = 125% → 125, capped at 100"),
            "5 ÷ 4 (ceiling) = 125% → 125, capped at 100"
        );
        assert_eq!(moment("2025-07-29T14:05:00+08:00"), "2025-07-29 14:05");
        assert_eq!(day(c.end), "2023-09-30");
    }

    #[test]
    fn the_domains_english_is_said_in_chinese() {
        set_current(Lang::ZhCn);
        let c = cycle();
        assert_eq!(
            plan_gap(PlanGap {
                actual: 60,
                expected: Some(70)
            }),
            "当前完成60%,滞后于计划10%"
        );
        assert_eq!(
            plan_gap(PlanGap {
                actual: 60,
                expected: Some(55)
            }),
            "当前完成60%,超前于计划5%"
        );
        assert_eq!(
            plan_gap(PlanGap {
                actual: 60,
                expected: Some(60)
            }),
            "当前完成60%,符合计划"
        );
        assert_eq!(
            plan_gap(PlanGap {
                actual: 60,
                expected: None
            }),
            "当前完成60%"
        );
        assert_eq!(
            hint(&Hint::DeadlineOutsideCycle {
                deadline: NaiveDate::from_ymd_opt(2023, 10, 8).expect("date"),
                cycle: c,
            }),
            "完成时限2023年10月8日不在周期内(2023年7月1日 – 2023年9月30日):请调整到周期之内。"
        );
        assert_eq!(
            weight_hint(WeightTotal { total: 90 }).as_deref(),
            Some("权重合计90%:还需增加10%,使合计为100%。")
        );
        assert_eq!(
            not_ready(&NotReady::NotTheParty("manager")),
            "您尚未以管理者身份加入此目标表"
        );
        assert_eq!(
            not_ready(&NotReady::PartyMissing("manager")),
            "管理者尚未加入此目标表"
        );
        assert_eq!(
            change_line("Goal “华南区域Q3新增客户”, weight: “50%” → “40%”"),
            "目标“华南区域Q3新增客户”,权重:“50%” → “40%”"
        );
        assert_eq!(
            change_line("Goal “A”, type: “Result” → “Process”"),
            "目标“A”,目标类型:“结果型” → “过程型”"
        );
        assert_eq!(
            change_line("Goal “A”, deadline: “2023-09-30” → “none”"),
            "目标“A”,完成时限:“2023年9月30日” → “无”"
        );
        assert_eq!(change_line("Goal “A” added"), "目标“A”已添加");
        assert_eq!(
            change_line("Goal “A” (now “B”), name: “A” → “B”"),
            "目标“A”(现为“B”),目标名称:“A” → “B”"
        );
        assert_eq!(
            change_line("Goal “A” (now “B”), weight: “50%” → “45%”"),
            "目标“A”(现为“B”),权重:“50%” → “45%”"
        );
        assert_eq!(
            author("a device without an identity (browser-1a2b)"),
            "未设置身份的设备(browser-1a2b)"
        );
        assert_eq!(author("Alice (AbCd·EfGh)"), "Alice (AbCd·EfGh)");
        assert_eq!(change_line("Goal “A” removed"), "目标“A”已删除");
        assert_eq!(
            change_line("Cycle: “Quarterly” → “Annual”"),
            "周期:“季度” → “年度”"
        );
        assert_eq!(
            change_line("Cycle end: “2023-09-30” → “2023-09-29”"),
            "周期结束日期:“2023年9月30日” → “2023年9月29日”"
        );
        assert_eq!(
            change_line("Department name: “Sales” → “Sales East”"),
            "部门名称:“Sales” → “Sales East”"
        );
        assert_eq!(
            change_line("Manager key: “nobody” → “Bob (AbCd·EfGh)”"),
            "管理者密钥:“无” → “Bob (AbCd·EfGh)”"
        );
        assert_eq!(change_line("Something new: x"), "Something new: x");
        assert_eq!(
            invalid(&Invalid::PartyKey("employee", KeyProblem::Length(4))),
            "此目标表上员工的密钥不是有效的公钥:长度为4字节,而不是32字节"
        );
        assert_eq!(
            tr("this is not a valid public key: it is not base58"),
            "这不是有效的公钥:不是 base58 编码"
        );
        assert_eq!(
            working("5 ÷ 4 (ceiling) = 125% → 125, capped at 100"),
            "5 ÷ 4(上限) = 125% → 125,封顶100"
        );
        assert_eq!(
            working("2 goal(s) still need a target and a result"),
            "还有2个目标需要填写目标值和实际结果"
        );
        assert_eq!(
            working("100 − 10 (late, capped at 100) = 90"),
            "100 − 10 (late, capped at 100) = 90"
        );
        assert_eq!(working("100, no deductions"), "100,无扣分");
        assert_eq!(moment("2025-07-29T14:05:00+08:00"), "2025年7月29日 14:05");
        assert_eq!(day(c.end), "2023年9月30日");
        assert_eq!(tf("{}% by {}", &[&60, &"9月30日"]), "9月30日前完成60%");
        set_current(Lang::En);
    }

    #[test]
    fn the_next_cycle_is_written_in_the_current_language() {
        use domain::{Cause, Edit, Goal, NewSheet, RowId, SheetDoc};
        let mut doc = SheetDoc::create(&NewSheet {
            title: "李雷 Q3".into(),
            employee: "李雷".into(),
            manager: "韩梅梅".into(),
            cycle: cycle(),
        })
        .expect("create");
        let row = RowId::from_random(1);
        doc.apply(Edit::AddGoal(Goal {
            name: "华南区域Q3新增客户".into(),
            support: "市场部提供客户名单".into(),
            ..Goal::blank(row.clone())
        }))
        .expect("add");
        doc.apply(Edit::MissCause {
            row: row.clone(),
            cause: Some(Cause::Resources),
        })
        .expect("cause");
        doc.apply(Edit::MissPlan {
            row,
            value: "增加两次区域广告投放".into(),
        })
        .expect("plan");
        let sheet = doc.read().expect("read");
        let plan = |n: &mut u64| {
            domain::results::plan_next(&sheet, &carry_over_labels(), cycle().end, || {
                *n += 1;
                RowId::from_random(*n)
            })
        };
        let mut n = 10;
        set_current(Lang::ZhCn);
        let zh = plan(&mut n);
        assert_eq!(zh.new.title, "李雷 · 2023年第4季度");
        assert_eq!(
            zh.prep.last_results,
            "承接自李雷 Q3(2023年7月1日 – 2023年9月30日)。\n未达成的目标:\n\
             • 华南区域Q3新增客户(未达成:资源不足);改进计划:增加两次区域广告投放"
        );
        assert_eq!(
            zh.goals[0].support,
            "市场部提供客户名单\n改进计划:增加两次区域广告投放"
        );
        set_current(Lang::En);
        let en = plan(&mut n);
        assert_eq!(en.new.title, "李雷 · 2023 Q4");
        assert_eq!(
            en.prep.last_results,
            "Carried over from 李雷 Q3 (2023-07-01 – 2023-09-30).\nMissed goals:\n\
             • 华南区域Q3新增客户 (missed: resources); plan: 增加两次区域广告投放"
        );
    }

    /// The English of every `t("…")` and `tf("…")` in a source text.
    fn keys_in(source: &str) -> Vec<String> {
        let code: Vec<&str> = source
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        let source = code.join("\n");
        let source = source.as_str();
        let mut keys = Vec::new();
        for call in ["t(", "tf("] {
            let mut from = 0;
            while let Some(i) = source[from..].find(call) {
                let at = from + i;
                from = at + call.len();
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = source[from..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                let mut key = String::new();
                let mut chars = rest.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('\n') => {
                                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                                    chars.next();
                                }
                            }
                            Some('n') => key.push('\n'),
                            Some(other) => key.push(other),
                            None => {}
                        },
                        c => key.push(c),
                    }
                }
                keys.push(key);
            }
        }
        keys
    }

    #[test]
    fn every_string_of_the_ui_has_its_chinese() {
        let sources = [
            include_str!("lib.rs"),
            include_str!("i18n.rs"),
            include_str!("components.rs"),
            include_str!("routes/home.rs"),
            include_str!("routes/me.rs"),
            include_str!("routes/kb.rs"),
            include_str!("routes/print.rs"),
            include_str!("routes/sheet/mod.rs"),
            include_str!("routes/sheet/prep.rs"),
            include_str!("routes/sheet/goals.rs"),
            include_str!("routes/sheet/cascade.rs"),
            include_str!("routes/sheet/confirm.rs"),
            include_str!("routes/sheet/follow_up.rs"),
            include_str!("routes/sheet/assessment.rs"),
            include_str!("routes/sheet/results.rs"),
        ];
        let keys: Vec<String> = sources.iter().flat_map(|s| keys_in(s)).collect();
        assert!(keys.len() > 200, "found only {} strings", keys.len());
        let missing: Vec<&String> = keys.iter().filter(|k| lookup(k).is_none()).collect();
        assert!(missing.is_empty(), "not in the table: {missing:#?}");
    }

    #[test]
    fn every_label_from_the_domain_has_its_chinese() {
        use domain::cadence::Cadence;
        use domain::{Cause, CycleKind, Dimension, GoalType, ObjectionStatus, Role};
        let mut labels: Vec<&'static str> = Vec::new();
        labels.extend(CycleKind::ALL.map(CycleKind::label));
        labels.extend(CycleKind::ALL.map(|k| Cadence::of(k).label()));
        labels.extend(GoalType::ALL.map(GoalType::label));
        labels.extend(Dimension::ALL.map(Dimension::label));
        labels.extend(Cause::ALL.map(Cause::label));
        labels.extend(Role::ALL.map(Role::label));
        labels.extend(Role::ALL.map(Role::as_str));
        labels.extend(
            [
                ObjectionStatus::Open,
                ObjectionStatus::Resolved,
                ObjectionStatus::Withdrawn,
            ]
            .map(ObjectionStatus::as_str),
        );
        let missing: Vec<&&str> = labels.iter().filter(|l| lookup(l).is_none()).collect();
        assert!(missing.is_empty(), "not in the table: {missing:?}");
    }
}
