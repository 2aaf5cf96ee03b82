//! Find and replace in the editor's text. Positions are in chars; the textarea counts
//! UTF-16 units, converted by [`utf16_offset`] and [`char_index`].

/// The next match of `query` at or after char `from`, wrapping around to the start:
/// `(start, end)` in chars. `None` when there is none (or `query` is empty).
pub fn find_next(text: &str, query: &str, from: usize) -> Option<(usize, usize)> {
    if query.is_empty() {
        return None;
    }
    let byte_from = text.char_indices().nth(from).map_or(text.len(), |(b, _)| b);
    let hit = text[byte_from..]
        .find(query)
        .map(|b| b + byte_from)
        .or_else(|| text.find(query))?;
    let start = text[..hit].chars().count();
    Some((start, start + query.chars().count()))
}

/// How many times `query` occurs (without overlaps).
pub fn count(text: &str, query: &str) -> usize {
    if query.is_empty() {
        0
    } else {
        text.matches(query).count()
    }
}

/// `text` with every `query` replaced by `with`, and how many were replaced.
pub fn replace_all(text: &str, query: &str, with: &str) -> (String, usize) {
    let n = count(text, query);
    if n == 0 {
        (text.to_owned(), 0)
    } else {
        (text.replace(query, with), n)
    }
}

/// The UTF-16 offset of char `index` in `text` (what a textarea's selection counts).
pub fn utf16_offset(text: &str, index: usize) -> u32 {
    text.chars().take(index).map(|c| c.len_utf16() as u32).sum()
}

/// The char index of UTF-16 offset `offset` in `text`.
pub fn char_index(text: &str, offset: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.chars().enumerate() {
        if units >= offset {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_goes_forward_then_wraps_around() {
        let t = "int a; int b; // é int";
        assert_eq!(find_next(t, "int", 0), Some((0, 3)));
        assert_eq!(find_next(t, "int", 1), Some((7, 10)));
        // After the `é` (a two-byte char): positions stay in chars.
        assert_eq!(find_next(t, "int", 8), Some((19, 22)));
        assert_eq!(find_next(t, "int", 20), Some((0, 3)), "wraps");
        assert_eq!(find_next(t, "float", 0), None);
        assert_eq!(find_next(t, "", 0), None);
        assert_eq!(count(t, "int"), 3);
    }

    #[test]
    fn replace_all_counts_what_it_replaced() {
        assert_eq!(replace_all("a+a+a", "a", "bb"), ("bb+bb+bb".to_owned(), 3));
        assert_eq!(replace_all("abc", "x", "y"), ("abc".to_owned(), 0));
        assert_eq!(replace_all("abc", "", "y"), ("abc".to_owned(), 0));
    }

    #[test]
    fn offsets_convert_between_chars_and_utf16_units() {
        let t = "a😀b";
        assert_eq!(utf16_offset(t, 2), 3);
        assert_eq!(char_index(t, 3), 2);
        assert_eq!(char_index(t, 1), 1);
        assert_eq!(char_index(t, 99), 3);
    }
}
