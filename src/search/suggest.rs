//! The vocabulary behind 「もしかして」: the words of the indexed pages that a visitor may have
//! meant when a query finds nothing. The search page loads it only then; `search-suggest.js`
//! finds the words within a small edit distance of each query word that finds nothing, and offers
//! the closest (then most common) one that finds pages.
//!
//! Words are runs of the original text: katakana of three characters or more (ワーケーション),
//! kanji of two to six (古民家), ASCII words of three or more with a letter; hiragana runs are
//! left out (particles and endings would drown the words). Each word is keyed by its text
//! normalised and folded as the index folds it, with its document frequency and its most common
//! spelling for display (コミュニティー). Every spelling of a variant group found on some page
//! joins too (まちづくり, 街づくり), keyed unfolded, with the group's document frequency, so a
//! typo of any spelling lands on one.
//!
//! Size: the most frequent [`MAX_WORDS`] words; from [`MIN_DF_FROM`] pages on, a word must be
//! on two pages (a word on one page of a large site is more often a typo than a term).

use super::{tokenize, Index, Variants};
use crate::content::Extra;
use crate::site::{Page, Site};
use rustc_hash::FxHashMap;
use std::sync::{Mutex, PoisonError};
use unicode_normalization::UnicodeNormalization;

/// At most this many words, the most frequent first.
pub const MAX_WORDS: usize = 6000;
/// From this many pages on, only words on two pages or more are kept.
pub const MIN_DF_FROM: usize = 200;

/// One word of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Normalised (and, for words of the text, folded) as the index does.
    pub key: String,
    /// Pages it occurs on.
    pub df: u32,
    /// The spelling to show: the most common original one.
    pub display: String,
}

/// How many words to keep.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub min_df: u32,
    pub max_words: usize,
}

impl Limits {
    pub fn for_site(docs: usize) -> Limits {
        Limits {
            min_df: if docs >= MIN_DF_FROM { 2 } else { 1 },
            max_words: MAX_WORDS,
        }
    }
}

/// The vocabulary file of an index: a JSON array of `[key, df]`, or `[key, df, display]`
/// when the display form differs from the key, sorted by key. It is counted while the index is
/// built (`postings::build` reads each page once for both), so this only hands it over.
pub fn vocabulary(_site: &Site, index: &Index) -> Vec<u8> {
    index.vocab.clone()
}

/// The words of one searchable page whose body text is `body`, for [`Tally::add`]: the plain
/// way, which the tests hold [`Counter`] to.
#[cfg(test)]
pub(super) fn words_of_page(p: &Page, body: &str, variants: &Variants) -> PageWords {
    page_words(&page_text(p, body), variants)
}

/// The vocabulary file of a tally over `docs` pages (see [`vocabulary`]).
pub(super) fn encode_tally(tally: Tally, variants: &Variants, docs: usize) -> Vec<u8> {
    encode(&tally.words(variants, Limits::for_site(docs)))
}

/// The words of texts, one text a page, counted as the index build counts them.
#[cfg(test)]
fn words_of(texts: &[&str], variants: &Variants, limits: Limits) -> Vec<Word> {
    let counter = Counter::new(variants.groups().len());
    for t in texts {
        counter.add_texts(&[*t], variants);
    }
    counter.finish().words(variants, limits)
}

fn encode(words: &[Word]) -> Vec<u8> {
    let rows: Vec<serde_json::Value> = words
        .iter()
        .map(|w| {
            if w.display == w.key {
                serde_json::json!([w.key, w.df])
            } else {
                serde_json::json!([w.key, w.df, w.display])
            }
        })
        .collect();
    serde_json::to_vec(&rows).expect("JSON values always serialise")
}

/// The texts of a page that the index reads: title, summary, body and the meta values. Read
/// one by one, as if joined by line breaks (no word spans two), without copying them.
fn page_text<'a>(p: &'a Page, body: &'a str) -> Vec<&'a str> {
    let mut parts: Vec<&str> = vec![p.common.title.as_str()];
    parts.extend(p.common.summary.as_deref());
    match &p.extra {
        Extra::Challenge(c) => {
            parts.extend([c.municipality.as_str(), c.prefecture.as_str()]);
            parts.extend(c.organization.as_deref());
            parts.extend(c.themes.iter().map(String::as_str));
            parts.extend(c.engagement.iter().map(String::as_str));
            parts.extend(c.skills.iter().map(String::as_str));
        }
        Extra::Case(c) => {
            parts.extend([c.municipality.as_str(), c.prefecture.as_str()]);
            parts.extend(c.themes.iter().map(String::as_str));
        }
        _ => {}
    }
    parts.extend(p.common.tags.iter().map(String::as_str));
    parts.push(body);
    parts
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Class {
    Katakana,
    Kanji,
    Ascii,
    Other,
}

fn class(c: char) -> Class {
    match c {
        '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FE}' | '\u{FF66}'..='\u{FF9F}' => {
            Class::Katakana
        }
        'a'..='z' | 'A'..='Z' | '0'..='9' => Class::Ascii,
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => Class::Ascii,
        c if tokenize::is_kanji(c) => Class::Kanji,
        _ => Class::Other,
    }
}

/// Whether a run of a class is a word worth suggesting.
fn keeps(class: Class, run: &str) -> bool {
    if class == Class::Other {
        return false;
    }
    let n = run.chars().count();
    match class {
        Class::Katakana => n >= 3 && !run.starts_with(['ー', 'ｰ']),
        Class::Kanji => (2..=6).contains(&n),
        Class::Ascii => n >= 3 && run.chars().any(char::is_alphabetic),
        Class::Other => false,
    }
}

/// One page's words: (key, whole run or only a part of one, spellings), one entry a key, and
/// the variant groups it has.
#[cfg(test)]
pub(super) struct PageWords {
    words: Vec<(String, bool, Vec<String>)>,
    groups: Vec<usize>,
}

/// Full- and half-width forms are shown as NFKC makes them (ＤＸ → DX, ﾃﾚﾜｰｸ → テレワーク).
fn shown(run: &str) -> String {
    if run.chars().any(|c| c >= '\u{FF00}') {
        run.nfkc().collect()
    } else {
        run.to_string()
    }
}

/// The parts of a long katakana compound, which Japanese writes without spaces
/// (オンラインコミュニティ): every split into a head and a tail of three characters or more, except
/// tails that no word starts with. Parts that recur on several pages are the words.
fn parts(run: &str, mut each: impl FnMut(&str)) {
    let at: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
    for k in 3..at.len().saturating_sub(2) {
        each(&run[..at[k]]);
        if !run[at[k]..].starts_with([
            'ー', 'ッ', 'ャ', 'ュ', 'ョ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ン',
        ]) {
            each(&run[at[k]..]);
        }
    }
}

/// Calls `each` with every run of `text` that is a word worth suggesting ([`keeps`]), in order.
fn runs<'a>(text: &'a str, mut each: impl FnMut(Class, &'a str)) {
    let b = text.as_bytes();
    let mut start = 0;
    let mut current = Class::Other;
    let mut i = 0;
    while i < b.len() {
        let (k, n) = if b[i] < 0x80 {
            let ascii = b[i].is_ascii_alphanumeric();
            (if ascii { Class::Ascii } else { Class::Other }, 1)
        } else {
            let (c, n) = tokenize::decode(b, i).expect("a str is valid UTF-8");
            (class(c), n)
        };
        if k != current {
            let run = &text[start..i];
            if keeps(current, run) {
                each(current, run);
            }
            start = i;
            current = k;
        }
        i += n;
    }
    let run = &text[start..];
    if keeps(current, run) {
        each(current, run);
    }
}

/// The key of a word (or a part of one) of class `class`: normalised and folded as the index
/// does.
fn key_of(class: Class, s: &str, variants: &Variants) -> String {
    // ASCII and kanji in their usual forms need no normalising but for case and 々.
    let mut k = match class {
        Class::Ascii if s.is_ascii() => s.to_ascii_lowercase(),
        Class::Kanji if s.chars().all(|c| c != '々' && c < '\u{F900}') => s.to_string(),
        _ => tokenize::normalize(s),
    };
    variants.fold_in_place(&mut k);
    k
}

/// The words a run stands for, as (key, display, whole run): the run, and for a katakana run
/// its [`parts`].
fn words_of_run(
    class: Class,
    run: &str,
    variants: &Variants,
    mut each: impl FnMut(String, &str, bool),
) {
    let display = shown(run);
    if class == Class::Katakana {
        parts(&display, |p| each(key_of(class, p, variants), p, false));
    }
    each(key_of(class, &display, variants), &display, true);
}

#[cfg(test)]
fn page_words(texts: &[&str], variants: &Variants) -> PageWords {
    // Each distinct run once (their order does not matter: the pairs are sorted below).
    let mut distinct: rustc_hash::FxHashSet<(Class, &str)> = Default::default();
    for text in texts {
        runs(text, |class, run| {
            distinct.insert((class, run));
        });
    }
    let mut pairs = Vec::new();
    for (class, run) in distinct {
        words_of_run(class, run, variants, |key, display, whole| {
            pairs.push((key, display.to_string(), whole))
        });
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut words: Vec<(String, bool, Vec<String>)> = Vec::new();
    for (key, display, whole) in pairs {
        match words.last_mut() {
            Some(last) if last.0 == key => {
                last.1 |= whole;
                if last.2.last() != Some(&display) {
                    last.2.push(display);
                }
            }
            _ => words.push((key, whole, vec![display])),
        }
    }
    // The text as written: a variant spelled unusually (full width, 々) is not counted for its
    // group here, but its kanji run is, under the folded key.
    let mut groups: Vec<usize> = texts.iter().flat_map(|t| variants.groups_in(t)).collect();
    groups.sort_unstable();
    groups.dedup();
    PageWords { words, groups }
}

/// A key over the pages: df, seen as a whole run, its spellings with their page counts.
#[derive(Default)]
struct Count {
    df: u32,
    whole: bool,
    spellings: Vec<(String, u32)>,
}

/// Counts over pages, added in parallel and merged.
pub(super) struct Tally {
    counts: FxHashMap<String, Count>,
    group_df: Vec<u32>,
}

impl Tally {
    pub(super) fn new(groups: usize) -> Tally {
        Tally {
            counts: FxHashMap::default(),
            group_df: vec![0; groups],
        }
    }

    fn count(
        &mut self,
        key: String,
        df: u32,
        whole: bool,
        spellings: impl IntoIterator<Item = (String, u32)>,
    ) {
        let c = self.counts.entry(key).or_default();
        c.df += df;
        c.whole |= whole;
        for (s, n) in spellings {
            match c.spellings.iter_mut().find(|(x, _)| *x == s) {
                Some(e) => e.1 += n,
                None => c.spellings.push((s, n)),
            }
        }
    }

    #[cfg(test)]
    pub(super) fn add(mut self, page: PageWords) -> Tally {
        for (key, whole, spellings) in page.words {
            // Each spelling once, straight from the page's list (no list built per word).
            self.count(key, 1, whole, spellings.into_iter().map(|s| (s, 1)));
        }
        for g in page.groups {
            self.group_df[g] += 1;
        }
        self
    }

    /// The words: document frequencies and display forms, cut to the limits, sorted by key.
    fn words(self, variants: &Variants, limits: Limits) -> Vec<Word> {
        collect(self, variants, limits)
    }
}

/// Counts the vocabulary of pages read on many threads, to the same [`Tally`] as adding each
/// page's words to one: a thread turns a run into its words once (runs recur from page to page),
/// and counts pages by string number; the numbers become strings again in [`Counter::finish`].
pub(super) struct Counter {
    /// One per pool thread, and the last for any other thread.
    slots: Vec<Mutex<Local>>,
    groups: usize,
}

/// One thread's counts, by string number (a string may be a key, a spelling or both). Pages
/// are counted by stamp: each key, spelling and group remembers the last page that counted it,
/// so a page counts each once without sorting or collecting its words.
struct Local {
    /// A run's words (a range of `made`) and the last page that counted them. Keyed by the text
    /// alone: every character of a run has the run's class, so the text decides the class.
    memo: FxHashMap<Box<str>, (u32, u32, u32)>,
    /// (key, pair, whole run) of the runs met; a pair is a (key, spelling) numbered in `pairs`.
    made: Vec<(u32, u32, bool)>,
    numbers: FxHashMap<String, u32>,
    /// By key: pages, whether it was seen as a whole run, the last page that counted it.
    df: Vec<u32>,
    whole: Vec<bool>,
    key_page: Vec<u32>,
    /// The (key, spelling) pairs' numbers; by number, their pages and the last page that
    /// counted them.
    pairs: FxHashMap<(u32, u32), u32>,
    pair_pages: Vec<u32>,
    pair_page: Vec<u32>,
    /// By variant group: pages, and the last page that counted it.
    group_df: Vec<u32>,
    group_page: Vec<u32>,
    /// The stamp of the page being counted: pages counted so far, from 1 (0 is "never").
    page: u32,
}

impl Counter {
    pub(super) fn new(groups: usize) -> Counter {
        let slots = (0..=rayon::current_num_threads())
            .map(|_| Mutex::new(Local::new(groups)))
            .collect();
        Counter { slots, groups }
    }

    /// Counts the words of one searchable page whose body text is `body`.
    pub(super) fn add(&self, p: &Page, body: &str, variants: &Variants) {
        self.add_texts(&page_text(p, body), variants);
    }

    /// Counts the words of one page's texts, read one by one (no word spans two).
    fn add_texts(&self, texts: &[&str], variants: &Variants) {
        let last = self.slots.len() - 1;
        let slot = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let mut local = self.slots[slot]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        local.add(texts, variants);
    }

    /// The counts of every page added, as one [`Tally`].
    pub(super) fn finish(self) -> Tally {
        let mut tally = Tally::new(self.groups);
        for slot in self.slots {
            let local = slot.into_inner().unwrap_or_else(PoisonError::into_inner);
            let mut strings = vec![String::new(); local.numbers.len()];
            for (s, n) in local.numbers {
                strings[n as usize] = s;
            }
            let mut spellings: Vec<Vec<(String, u32)>> = vec![Vec::new(); strings.len()];
            for (&(key, spelling), &pair) in &local.pairs {
                let pages = local.pair_pages[pair as usize];
                spellings[key as usize].push((strings[spelling as usize].clone(), pages));
            }
            // The spellings hold their own copies: each key's string can be moved out.
            for (key, &df) in local.df.iter().enumerate().filter(|(_, df)| **df > 0) {
                let spelled = std::mem::take(&mut spellings[key]);
                let text = std::mem::take(&mut strings[key]);
                tally.count(text, df, local.whole[key], spelled);
            }
            for (a, b) in tally.group_df.iter_mut().zip(local.group_df) {
                *a += b;
            }
        }
        tally
    }
}

impl Local {
    fn new(groups: usize) -> Local {
        Local {
            memo: FxHashMap::default(),
            made: Vec::new(),
            numbers: FxHashMap::default(),
            df: Vec::new(),
            whole: Vec::new(),
            key_page: Vec::new(),
            pairs: FxHashMap::default(),
            pair_pages: Vec::new(),
            pair_page: Vec::new(),
            group_df: vec![0; groups],
            group_page: vec![0; groups],
            page: 0,
        }
    }

    fn number(&mut self, s: &str) -> u32 {
        if let Some(&n) = self.numbers.get(s) {
            return n;
        }
        let n = self.numbers.len() as u32;
        self.numbers.insert(s.to_string(), n);
        self.df.push(0);
        self.whole.push(false);
        self.key_page.push(0);
        n
    }

    fn pair(&mut self, key: u32, spelling: u32) -> u32 {
        let next = self.pair_pages.len() as u32;
        let n = *self.pairs.entry((key, spelling)).or_insert(next);
        if n == next {
            self.pair_pages.push(0);
            self.pair_page.push(0);
        }
        n
    }

    /// The words of a run, made the first time the thread meets it; none when this page has
    /// already counted the run.
    fn words(&mut self, class: Class, run: &str, variants: &Variants) -> Option<(u32, u32)> {
        if let Some(m) = self.memo.get_mut(run) {
            if m.2 == self.page {
                return None;
            }
            m.2 = self.page;
            return Some((m.0, m.1));
        }
        let start = self.made.len() as u32;
        words_of_run(class, run, variants, |key, spelling, whole| {
            let key = self.number(&key);
            let spelling = self.number(spelling);
            let pair = self.pair(key, spelling);
            self.made.push((key, pair, whole));
        });
        let end = self.made.len() as u32;
        self.memo.insert(run.into(), (start, end, self.page));
        Some((start, end))
    }

    /// Counts one page: each key, (key, spelling) pair and variant group once.
    fn add(&mut self, texts: &[&str], variants: &Variants) {
        self.page += 1;
        let page = self.page;
        for text in texts {
            runs(text, |class, run| {
                let Some((a, b)) = self.words(class, run, variants) else {
                    return;
                };
                for &(key, pair, whole) in &self.made[a as usize..b as usize] {
                    let (k, p) = (key as usize, pair as usize);
                    self.df[k] += u32::from(first_on(page, &mut self.key_page[k]));
                    self.whole[k] |= whole;
                    self.pair_pages[p] += u32::from(first_on(page, &mut self.pair_page[p]));
                }
            });
        }
        // The text as written: a variant spelled unusually (full width, 々) is not counted for
        // its group here, but its kanji run is, under the folded key.
        for g in texts.iter().flat_map(|t| variants.groups_in(t)) {
            self.group_df[g] += u32::from(first_on(page, &mut self.group_page[g]));
        }
    }
}

/// Whether `page` meets this counter for the first time: its stamp (the last page that counted
/// it) is set to `page` either way.
fn first_on(page: u32, stamp: &mut u32) -> bool {
    std::mem::replace(stamp, page) != page
}

/// Drops the parts that add nothing: a part that begins or ends a longer word on as many pages
/// (ボラン of ボランティア, コミュ of コミュニティ) is only a piece of that word.
fn drop_covered_parts(words: &mut FxHashMap<String, (Word, bool)>) {
    let mut covered: FxHashMap<String, u32> = FxHashMap::default();
    for (w, _) in words.values() {
        for (i, _) in w.key.char_indices().skip(1) {
            for piece in [&w.key[..i], &w.key[i..]] {
                if words.get(piece).is_some_and(|(_, whole)| !whole) {
                    let e = covered.entry(piece.to_string()).or_default();
                    *e = (*e).max(w.df);
                }
            }
        }
    }
    words.retain(|k, (w, whole)| *whole || covered.get(k).is_none_or(|df| *df < w.df));
}

fn collect(tally: Tally, variants: &Variants, limits: Limits) -> Vec<Word> {
    let Tally { counts, group_df } = tally;
    // Parts of compounds must recur: a part on one page is just a piece of that page's word.
    let enough = |c: &Count| c.df >= limits.min_df && (c.whole || c.df >= 2);
    let mut words: FxHashMap<String, (Word, bool)> = counts
        .into_iter()
        .filter(|(_, c)| enough(c))
        .map(
            |(
                key,
                Count {
                    df,
                    whole,
                    spellings: displays,
                },
            )| {
                // The most common spelling; ties go to the first in code point order.
                let display = displays
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(d, _)| d)
                    .unwrap_or_else(|| key.clone());
                (key.clone(), (Word { key, df, display }, whole))
            },
        )
        .collect();
    drop_covered_parts(&mut words);
    let mut words: FxHashMap<String, Word> = words.into_iter().map(|(k, (w, _))| (k, w)).collect();
    for (g, df) in group_df.into_iter().enumerate().filter(|(_, df)| *df > 0) {
        for w in &variants.groups()[g] {
            let e = words.entry(w.clone()).or_insert_with(|| Word {
                key: w.clone(),
                df,
                display: w.clone(),
            });
            e.df = e.df.max(df);
        }
    }
    let mut kept: Vec<Word> = words
        .into_values()
        .filter(|w| w.df >= limits.min_df)
        .collect();
    kept.sort_by(|a, b| b.df.cmp(&a.df).then_with(|| a.key.cmp(&b.key)));
    kept.truncate(limits.max_words);
    kept.sort_by(|a, b| a.key.cmp(&b.key));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Limits = Limits {
        min_df: 1,
        max_words: usize::MAX,
    };

    fn vocab(texts: &[&str]) -> Vec<Word> {
        words_of(texts, &Variants::built_in(), ALL)
    }

    fn find<'a>(words: &'a [Word], key: &str) -> Option<&'a Word> {
        words.iter().find(|w| w.key == key)
    }

    /// The plain way: each page's words listed with their strings, added to one tally.
    fn plain(texts: &[&str], v: &Variants) -> Vec<Word> {
        let tally = texts
            .iter()
            .map(|t| page_words(&[*t], v))
            .fold(Tally::new(v.groups().len()), Tally::add);
        tally.words(v, ALL)
    }

    #[test]
    fn counting_on_threads_by_number_gives_the_plain_tally() {
        let v = Variants::built_in();
        // One key spelled two ways on one page (ＩＣＴ, ict), a katakana compound whose parts
        // recur, runs met again on later pages (the memo), variant spellings (申込, 申し込み).
        let pages = [
            "ＩＣＴとictの研修。オンラインイベントとオンラインコミュニティ、申込はこちら",
            "ICTの研修とオンラインコミュニティ。申し込みは古民家で",
            "古民家のオンラインイベント、ＩＣＴ推進と研修",
            "まちづくりと街づくりのワーケーション",
            "ワーケーションと古民家、ict",
        ];
        let texts: Vec<&str> = pages.iter().cycle().take(60).copied().collect();
        let want = plain(&texts, &v);
        let ict = find(&want, "ict").expect("ict is a word");
        // Four pages of five have it; the first spells it two ways and counts once.
        assert_eq!(ict.df, 48);
        assert_eq!(ict.display, "ICT");
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let counter = pool.install(|| {
                use rayon::prelude::*;
                let counter = Counter::new(v.groups().len());
                texts.par_iter().for_each(|t| counter.add_texts(&[*t], &v));
                counter
            });
            assert_eq!(counter.finish().words(&v, ALL), want, "{threads} threads");
        }
        // A page counted from outside the pool lands in the spare slot, and counts the same.
        let counter = Counter::new(v.groups().len());
        std::thread::scope(|s| {
            for t in &texts {
                s.spawn(|| counter.add_texts(&[*t], &v));
            }
        });
        assert_eq!(counter.finish().words(&v, ALL), want, "outside the pool");
    }

    #[test]
    fn katakana_kanji_and_ascii_runs_get_in_and_short_or_hiragana_runs_do_not() {
        let w = vocab(&["ワーケーションの古民家でテレワーク。島の港、ハブ、DXとAI、2026年度と北海道東部中心市街地活性化、ITSupport"]);
        let keys: Vec<&str> = w.iter().map(|w| w.key.as_str()).collect();
        for want in [
            "ワーケーション",
            "古民家",
            "テレワーク",
            "年度",
            "itsupport",
        ] {
            assert!(keys.contains(&want), "{want} missing from {keys:?}");
        }
        // One kanji, a two-letter word, a two-character katakana word, a number, a seven-kanji
        // run and hiragana stay out.
        for not in [
            "島",
            "港",
            "dx",
            "ai",
            "ハブ",
            "2026",
            "北海道東部中心市街地活性化",
            "の",
            "でてれわーく",
        ] {
            assert!(!keys.contains(&not), "{not} in {keys:?}");
        }
    }

    #[test]
    fn document_frequency_counts_pages_not_occurrences() {
        let w = vocab(&["古民家と古民家と古民家", "古民家の改修", "空き店舗"]);
        assert_eq!(find(&w, "古民家").unwrap().df, 2);
        assert_eq!(
            find(&w, "空き店舗"),
            None,
            "hiragana inside: two kanji runs of one"
        );
        assert_eq!(find(&w, "店舗").unwrap().df, 1);
    }

    #[test]
    fn the_key_is_folded_as_the_index_folds_and_the_display_is_the_most_common_spelling() {
        let w = vocab(&[
            "コミュニティー",
            "コミュニティー",
            "コミュニティ",
            "ｺﾐｭﾆﾃｨｰ",
            "申込",
        ]);
        // Small vowels become large and the final ー goes, as in the index.
        let c = find(&w, "コミュニテイ").expect("the key is normalised");
        assert_eq!((c.df, c.display.as_str()), (4, "コミュニティー"));
        // Half-width katakana is shown as NFKC makes it; a kanji variant is keyed folded.
        assert_eq!(find(&w, "申し込み").unwrap().display, "申込");
        let w = vocab(&["コミュニティ", "コミュニティ", "コミュニティー"]);
        assert_eq!(find(&w, "コミュニテイ").unwrap().display, "コミュニティ");
    }

    #[test]
    fn parts_of_katakana_compounds_get_in_when_they_recur_on_two_pages() {
        let w = vocab(&[
            "オンラインコミュニティ",
            "コミュニティースペース",
            "オンラインショップ",
            "コミュニティセンター",
        ]);
        let c = find(&w, "コミュニテイ").expect("the shared part");
        assert_eq!((c.df, c.display.as_str()), (3, "コミュニティ"));
        assert_eq!(find(&w, "オンライン").map(|w| w.df), Some(2));
        // Heads that only ever begin a longer word on as many pages add nothing.
        assert!(find(&w, "コミュ").is_none() && find(&w, "コミュニ").is_none());
        // A part on one page only, and tails no word starts with, stay out.
        for not in ["スペース", "ショップ", "ンラインコミュニテイ", "ースペース"]
        {
            assert!(find(&w, not).is_none(), "{not}");
        }
        // Whole runs stay in with one page.
        assert_eq!(find(&w, "オンラインショップ").map(|w| w.df), Some(1));
    }

    #[test]
    fn every_spelling_of_a_variant_group_on_some_page_joins_with_the_groups_df() {
        let w = vocab(&["街づくりの会", "まちづくり", "ボランティア"]);
        for spelling in ["まちづくり", "街づくり", "町づくり", "まち作り"] {
            let word = find(&w, spelling).unwrap_or_else(|| panic!("{spelling}"));
            assert_eq!((word.df, word.display.as_str()), (2, spelling));
        }
        // A group no page has stays out.
        assert_eq!(find(&w, "申込"), None);
    }

    #[test]
    fn the_cut_keeps_the_most_frequent_words_and_drops_single_pages_on_large_sites() {
        let texts = ["古民家 棚田 観光", "古民家 棚田", "古民家"];
        let v = Variants::built_in();
        let two = words_of(
            &texts,
            &v,
            Limits {
                min_df: 1,
                max_words: 2,
            },
        );
        let keys: Vec<&str> = two.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(
            keys,
            ["古民家", "棚田"],
            "sorted by key after the cut by df"
        );
        let common = words_of(
            &texts,
            &v,
            Limits {
                min_df: 2,
                max_words: 10,
            },
        );
        assert!(find(&common, "観光").is_none() && find(&common, "棚田").is_some());
        assert_eq!(Limits::for_site(MIN_DF_FROM - 1).min_df, 1);
        assert_eq!(Limits::for_site(MIN_DF_FROM).min_df, 2);
    }

    #[test]
    fn the_file_carries_the_display_only_where_it_differs() {
        let w = vocab(&["コミュニティー 古民家"]);
        let json: serde_json::Value = serde_json::from_slice(&encode(&w)).unwrap();
        assert_eq!(
            json,
            serde_json::json!([["コミュニテイ", 1, "コミュニティー"], ["古民家", 1]])
        );
    }
}
