//! `static/zh-CN.strings`, the Chinese table the page fetches (its wasm carries English only),
//! is exactly what `zh_cn.rs` holds: rewrite it with `BITBUDGET_BLESS=1 cargo test --test
//! i18n_table` after changing a text. A table from another build is refused.
#![cfg(not(target_arch = "wasm32"))]

use bitbudget::core::text::i18n::{Lang, Strings, ENGLISH};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static/zh-CN.strings");

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn the_chinese_table_file_is_what_zh_cn_holds() {
    let want = Lang::ZhCn.strings().to_table();
    if std::env::var_os("BITBUDGET_BLESS").is_some() {
        std::fs::write(FILE, &want).unwrap();
    }
    let got = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        got == want,
        "static/zh-CN.strings differs from zh_cn.rs: run BITBUDGET_BLESS=1 cargo test --test i18n_table"
    );
    assert_eq!(Lang::ZhCn.table_file(), "zh-CN.strings");
    let back = Strings::from_table(leak(got)).expect("the file reads back");
    assert_eq!(back.entries(), Lang::ZhCn.strings().entries());
}

/// Texts with line breaks and backslashes survive; a changed header, a missing or an extra line
/// is refused.
#[test]
fn tables_round_trip_and_refuse_what_does_not_match() {
    let table = ENGLISH.to_table();
    assert_eq!(Strings::from_table(leak(table.clone())).unwrap().entries(), ENGLISH.entries());
    assert!(table.lines().count() == ENGLISH.entries().len() + 1);
    let zh = Lang::ZhCn.strings().to_table();
    let multi = ENGLISH
        .entries()
        .iter()
        .chain(Lang::ZhCn.strings().entries().iter())
        .any(|(_, t)| t.contains('\n') || t.contains('\\'));
    if multi {
        assert!(Strings::from_table(leak(zh.clone())).is_some());
    }
    let (header, body) = zh.split_once('\n').unwrap();
    let other = header.replacen("bitbudget-strings-v1 ", "bitbudget-strings-v1 0", 1);
    assert!(Strings::from_table(leak(format!("{other}\n{body}"))).is_none(), "another build's fields");
    let short: String = zh.lines().take(zh.lines().count() - 1).map(|l| format!("{l}\n")).collect();
    assert!(Strings::from_table(leak(short)).is_none(), "a line missing");
    assert!(Strings::from_table(leak(format!("{zh}extra\n"))).is_none(), "a line too many");
    assert!(Strings::from_table(leak(String::new())).is_none());
    assert!(Strings::from_table(leak("<!doctype html>\n".into())).is_none(), "a 404 page");
}
