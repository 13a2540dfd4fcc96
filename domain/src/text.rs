//! Text helpers for editing fields that another person may change at the same time.

/// Where a caret at `caret` in `old` belongs once the text has become `new`.
///
/// Positions count UTF-16 code units (as the DOM's `selectionStart` does). The change is taken
/// to be the single span between the longest common prefix and suffix: a caret before it stays,
/// one after it shifts by the change in length, and one inside it moves to the end of the new
/// span. So when someone else types elsewhere in the field, the caret stays beside the same
/// characters.
pub fn caret_after_change(old: &str, new: &str, caret: usize) -> usize {
    let old: Vec<u16> = old.encode_utf16().collect();
    let new: Vec<u16> = new.encode_utf16().collect();
    let caret = caret.min(old.len());
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    if caret <= prefix {
        caret
    } else if caret >= old.len() - suffix {
        caret + new.len() - old.len()
    } else {
        new.len() - suffix
    }
}

#[cfg(test)]
mod tests {
    use super::caret_after_change;

    #[test]
    fn text_added_after_the_caret_leaves_it_in_place() {
        assert_eq!(caret_after_change("Hello world", "Hello world!!", 0), 0);
        assert_eq!(caret_after_change("Hello world", "Hello world!!", 5), 5);
    }

    #[test]
    fn text_added_before_the_caret_shifts_it() {
        assert_eq!(caret_after_change("Hello world", "B: Hello world", 5), 8);
        assert_eq!(caret_after_change("Hello world", "Hello world", 11), 11);
    }

    #[test]
    fn text_removed_before_the_caret_shifts_it_back() {
        assert_eq!(caret_after_change("Hello big world", "Hello world", 15), 11);
    }

    #[test]
    fn a_caret_inside_a_replaced_span_goes_to_its_end() {
        assert_eq!(caret_after_change("Hello world", "Hello there", 8), 11);
    }

    #[test]
    fn positions_count_utf16_units() {
        // "≥" is one UTF-16 unit, "😀" two.
        assert_eq!(caret_after_change("≥ 90", "😀≥ 90", 2), 4);
        assert_eq!(caret_after_change("完成时限", "完成时限!", 2), 2);
    }

    #[test]
    fn a_caret_past_the_end_is_clamped() {
        assert_eq!(caret_after_change("abc", "abcd", 10), 3);
    }
}
