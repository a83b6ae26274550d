//! Stable pagination: how a list (newest first) is cut into pages, and the pager.
//!
//! Pages are fixed buckets of `per` items counted from the **oldest** item: page 1 holds the
//! oldest `per`, page 2 the next `per`, and so on. The list's own URL is its newest page, which
//! holds the newest full bucket plus the items not yet filling a bucket (`per` to `2 per - 1`
//! items, or all of a short list). Adding a newer item therefore changes the newest page only,
//! and every `per` additions one more numbered page appears: older pages keep their URL, their
//! items and their bytes. The pager prints no totals, only links whose targets stay put.
//!
//! Must not make URLs by hand: `Urls::list_page` does.

use crate::urls::Urls;
use serde::Serialize;
use std::ops::Range;

/// A list of `len` items, newest first, cut into pages of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub len: usize,
    pub per: usize,
}

impl Paging {
    pub fn new(len: usize, per: usize) -> Paging {
        Paging {
            len,
            per: per.max(1),
        }
    }

    /// The number of the newest page (the list's own URL), which is also how many pages there
    /// are: one for every full bucket, and at least one.
    pub fn last(&self) -> usize {
        (self.len / self.per).max(1)
    }

    /// Positions (in the newest-first list) of the items on page `n` (1 = oldest).
    pub fn range(&self, n: usize) -> Range<usize> {
        let last = self.last();
        let n = n.clamp(1, last);
        let from_oldest = (n - 1) * self.per;
        let to_oldest = if n == last { self.len } else { n * self.per };
        self.len - to_oldest..self.len - from_oldest
    }
}

#[derive(Serialize)]
pub struct Pager {
    /// This page's number, counted from the oldest page (1).
    pub current: usize,
    /// How many pages; the newest one is the list itself.
    pub total: usize,
    /// This is the newest page, at the list's own URL.
    pub newest: bool,
    /// The next newer page (`rel="prev"`: lists read newest first).
    pub prev: Option<String>,
    /// The next older page (`rel="next"`).
    pub next: Option<String>,
    pub pages: Vec<PagerLink>,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    /// The newest page (named, not numbered: its number grows with the list).
    newest: bool,
    /// A gap (…) stands here instead of a link.
    gap: bool,
}

/// The pager of page `number` of `total`, newest first: the newest page, two pages on each side
/// of the current one and the oldest (1), with gaps between (`最新 … 8 7 [6] 5 4 … 1`). A page
/// far from the newest end links only to pages that keep their URL, so its pager (and so its
/// bytes) does not change when the list grows.
pub fn pager(urls: Urls<'_>, base: &str, number: usize, total: usize) -> Pager {
    let mut pages = Vec::new();
    let mut last_shown = 0;
    for n in (1..=total).rev() {
        if n == 1 || n == total || n.abs_diff(number) <= 2 {
            if last_shown != 0 && n + 1 < last_shown {
                pages.push(PagerLink {
                    number: 0,
                    url: String::new(),
                    current: false,
                    newest: false,
                    gap: true,
                });
            }
            pages.push(PagerLink {
                number: n,
                url: urls.list_page(base, n, total),
                current: n == number,
                newest: n == total,
                gap: false,
            });
            last_shown = n;
        }
    }
    Pager {
        current: number,
        total,
        newest: number == total,
        prev: (number < total).then(|| urls.list_page(base, number + 1, total)),
        next: (number > 1).then(|| urls.list_page(base, number - 1, total)),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> Urls<'static> {
        Urls::new("https://e.jp/", "/")
    }

    /// Item numbers counted from the oldest (1) on each page, newest page first.
    fn pages(len: usize, per: usize) -> Vec<Vec<usize>> {
        let p = Paging::new(len, per);
        (1..=p.last())
            .rev()
            .map(|n| p.range(n).map(|pos| len - pos).collect())
            .collect()
    }

    #[test]
    fn pages_are_buckets_counted_from_the_oldest_and_the_newest_page_takes_the_rest() {
        assert_eq!(pages(0, 5), [Vec::<usize>::new()]);
        assert_eq!(pages(3, 5), [vec![3, 2, 1]]);
        assert_eq!(pages(5, 5), [vec![5, 4, 3, 2, 1]]);
        assert_eq!(pages(9, 5), [vec![9, 8, 7, 6, 5, 4, 3, 2, 1]]);
        assert_eq!(
            pages(12, 5),
            [vec![12, 11, 10, 9, 8, 7, 6], vec![5, 4, 3, 2, 1]]
        );
        assert_eq!(
            pages(15, 5),
            [
                vec![15, 14, 13, 12, 11],
                vec![10, 9, 8, 7, 6],
                vec![5, 4, 3, 2, 1]
            ]
        );
    }

    #[test]
    fn adding_newer_items_leaves_the_older_pages_as_they_were() {
        for per in [1, 2, 5, 12] {
            for len in 0..60 {
                let (before, after) = (pages(len, per), pages(len + 1, per));
                // Every page but the newest keeps its number and its items.
                let kept = before.len() - 1;
                assert_eq!(
                    before[before.len() - kept..],
                    after[after.len() - kept..],
                    "{len} items of {per}"
                );
            }
        }
    }

    fn shown(number: usize, total: usize) -> Vec<String> {
        pager(urls(), "/x/", number, total)
            .pages
            .iter()
            .map(|l| match (l.gap, l.newest) {
                (true, _) => "…".into(),
                (_, true) => "new".into(),
                _ => l.number.to_string(),
            })
            .collect()
    }

    #[test]
    fn the_pager_shows_the_newest_a_window_and_the_oldest() {
        assert_eq!(shown(1, 1), ["new"]);
        assert_eq!(shown(2, 5), ["new", "4", "3", "2", "1"]);
        assert_eq!(
            shown(6, 417),
            ["new", "…", "8", "7", "6", "5", "4", "…", "1"]
        );
        assert_eq!(shown(417, 417), ["new", "416", "415", "…", "1"]);
        assert_eq!(shown(1, 417), ["new", "…", "3", "2", "1"]);
        let p = pager(urls(), "/x/", 2, 3);
        assert_eq!(p.prev.as_deref(), Some("/x/"));
        assert_eq!(p.next.as_deref(), Some("/x/page/1/"));
        let p = pager(urls(), "/x/", 3, 3);
        assert!(p.newest);
        assert_eq!(p.prev, None);
        assert_eq!(p.next.as_deref(), Some("/x/page/2/"));
    }

    #[test]
    fn a_page_far_from_the_newest_has_the_same_pager_when_the_list_grows() {
        let (a, b) = (pager(urls(), "/x/", 6, 20), pager(urls(), "/x/", 6, 21));
        assert_eq!(a.prev, b.prev);
        assert_eq!(a.next, b.next);
        let urls_of = |p: &Pager| p.pages.iter().map(|l| l.url.clone()).collect::<Vec<_>>();
        assert_eq!(urls_of(&a), urls_of(&b));
    }
}
