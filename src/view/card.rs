//! A page as a card in lists, term, municipality, home and related blocks: its view is the same
//! in every output of a build, so a renderer may make it into a template value once per build
//! and share it ([`CardStore`]). Without a store (the dev server's recording readers, tests), each
//! output builds its own: the two serialize to equal values.

use super::page::{page_view, PageView};
use super::Reader;
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// A card view made once and shared: serialized through `erased_serde`, so `view` never names
/// the template engine's value type.
pub type SharedCard = Arc<dyn erased_serde::Serialize + Send + Sync>;

/// Card views shared by every output of one render.
pub trait CardStore: Sync {
    /// The shared card view of page `i`, made with `make` the first time; `None` when it cannot
    /// be shared (the caller then serializes the view itself).
    fn card<'v>(&self, i: usize, make: &dyn Fn() -> PageView<'v>) -> Option<SharedCard>;
}

/// Page `i` as a card: its own view, or the one shared by the whole render.
pub struct Card<'s>(Inner<'s>);

enum Inner<'s> {
    Own(Box<PageView<'s>>),
    Shared(SharedCard),
}

impl Serialize for Card<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Inner::Own(v) => v.serialize(s),
            Inner::Shared(v) => erased_serde::serialize(&**v, s),
        }
    }
}

/// The card of page `i`: shared when the reader has a store and records nothing (a recording
/// reader must note what the card reads, so it builds the view itself).
pub fn card<'s>(r: &Reader<'s>, i: usize) -> Card<'s> {
    if let Some(store) = r.card_store() {
        if let Some(shared) = store.card(i, &|| page_view(r, i, false)) {
            return Card(Inner::Shared(shared));
        }
    }
    Card(Inner::Own(Box::new(page_view(r, i, false))))
}
