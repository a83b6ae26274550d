//! The card fragment cache: `partials/card.html` rendered once per build for each page and card
//! variant, then reused by every list, term, municipality, home and related block that shows it.
//!
//! Templates ask for a card with the Tera function `card(p=…, hl=…, compact=…)`
//! (`partials/cards.html`). The key is the card's whole input — a hash of the page view `p` as
//! the template sees it, its URL, the heading level and `compact` — so a cached card can never
//! be stale, whichever output asked for it first: rendering stays pure and deterministic on
//! rayon. A card renders in a context of its own (`p`, `hl`, `compact` when true, and the global
//! `site` and `strings`), which is all `partials/card.html` may use; a theme that overrides
//! `card.html` still decides the markup, and one that overrides `cards.html` with an `include`
//! gets the uncached behaviour.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

/// The template a card is rendered from.
pub const CARD_TEMPLATE: &str = "partials/card.html";

/// Locks the cache is split over, so threads rarely wait for each other.
const SHARDS: usize = 16;

/// What identifies a card: URL, heading level, compact, and the hash of the whole page view.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct Key {
    url: String,
    hl: i64,
    compact: bool,
    view: u64,
}

/// Cards rendered so far in this build, shared by every thread that renders outputs.
pub struct CardCache {
    /// Off: every card is rendered where it appears (tests compare the two, byte for byte).
    enabled: bool,
    shards: Vec<Mutex<HashMap<Key, Arc<str>>>>,
}

impl CardCache {
    pub fn new(enabled: bool) -> CardCache {
        CardCache {
            enabled,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// Forgets every card (the start of a render: nothing of a previous one is kept).
    pub fn clear(&self) {
        for s in &self.shards {
            lock(s).clear();
        }
    }

    /// How many cards are cached.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| lock(s).len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The card for `key`, rendered by `render` unless cached. Two threads asking at once may
    /// both render it: they get the same bytes, and one of them is kept.
    fn get_or_render(
        &self,
        key: Key,
        render: impl FnOnce() -> TeraResult<String>,
    ) -> TeraResult<Arc<str>> {
        if !self.enabled {
            return render().map(Arc::from);
        }
        let shard = &self.shards[(key.view as usize) % SHARDS];
        if let Some(html) = lock(shard).get(&key) {
            return Ok(html.clone());
        }
        let html: Arc<str> = Arc::from(render()?);
        lock(shard).entry(key).or_insert_with(|| html.clone());
        Ok(html)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves only a complete map behind: keep using it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The cache and the templates cards are rendered with, for one renderer.
pub struct Cards {
    pub cache: Arc<CardCache>,
    /// A copy of the renderer's templates and global context. Tera checks at compile time that
    /// every function a template calls exists, so `card` is registered before the templates
    /// are added and finds them here afterwards; the function holds this weakly, since the
    /// copy holds the function.
    templates: Arc<OnceLock<Tera>>,
}

impl Cards {
    pub fn new(cached: bool) -> Cards {
        Cards {
            cache: Arc::new(CardCache::new(cached)),
            templates: Arc::new(OnceLock::new()),
        }
    }

    /// Registers `card(p=…, hl=…, compact=…)` and the filter `card_summary` on `tera`.
    pub fn register(&self, tera: &mut Tera) {
        tera.register_filter(
            "card_summary",
            |summary: &str, _: Kwargs, _: &State| -> String { crate::site::card_excerpt(summary) },
        );
        let cache = self.cache.clone();
        let templates = Arc::downgrade(&self.templates);
        tera.register_function(
            "card",
            move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
                let p: Value = kwargs.must_get("p")?;
                let hl: i64 = kwargs.must_get("hl")?;
                let compact: bool = kwargs.get("compact")?.unwrap_or(false);
                let key = Key {
                    url: p
                        .get_from_path("url")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    hl,
                    compact,
                    view: hash_of(&p),
                };
                let html = cache.get_or_render(key, || {
                    let templates = templates.upgrade();
                    let Some(tera) = templates.as_ref().and_then(|t| t.get()) else {
                        return Err(tera::Error::message("card templates are not ready"));
                    };
                    let mut ctx = Context::new();
                    ctx.insert("hl", &hl);
                    if compact {
                        ctx.insert("compact", &true);
                    }
                    ctx.insert_value("p", p);
                    tera.render(CARD_TEMPLATE, &ctx)
                })?;
                Ok(Value::safe_string(&html))
            },
        );
    }

    /// Gives `card` the finished templates (with their global context) to render with.
    pub fn set_templates(&self, tera: Tera) {
        // Set once, right after the templates are compiled; a second call would be a bug that
        // changes nothing.
        let _ = self.templates.set(tera);
    }
}

/// A hash of a template value. Tera's maps are hash maps whose order differs between two
/// equal values, so each map entry is hashed on its own and the entries' scrambled hashes are
/// summed, which no order changes (sorting the entries of every map of every card cost more).
fn hash_of(v: &Value) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    hash_into(v, &mut h);
    h.finish()
}

fn hash_into(v: &Value, h: &mut rustc_hash::FxHasher) {
    v.kind().hash(h);
    if let Some(map) = v.as_map() {
        let mut sum = 0u64;
        for (k, v) in map {
            let mut e = rustc_hash::FxHasher::default();
            k.hash(&mut e);
            hash_into(v, &mut e);
            sum = sum.wrapping_add(mix(e.finish()));
        }
        (map.len(), sum).hash(h);
    } else if let Some(items) = v.as_array() {
        items.len().hash(h);
        for v in items {
            hash_into(v, h);
        }
    } else if let Some(s) = v.as_str() {
        (s, v.is_safe()).hash(h);
    } else if let Some(b) = v.as_bytes() {
        b.hash(h);
    } else {
        hash_scalar(v, h);
    }
}

/// Hashes a number, bool or none without formatting it (the kind is already hashed, so a
/// none or undefined value adds nothing). Cards hold many of these: a `to_string` per value
/// was an allocation per scalar of every card shown on every output.
fn hash_scalar(v: &Value, h: &mut rustc_hash::FxHasher) {
    if let Some(b) = v.as_bool() {
        b.hash(h);
    } else if let Some(n) = v.as_i128() {
        n.hash(h);
    } else if let Some(n) = v.as_u128() {
        n.hash(h);
    } else if v.is_f64() {
        v.as_f64().map(f64::to_bits).hash(h);
    } else if !(v.is_none() || v.is_undefined()) {
        v.to_string().hash(h);
    }
}

/// A bijective scramble (splitmix64's finaliser). FxHash is close to linear in its input, so
/// a plain sum of entry hashes would not tell `{a: x, b: y}` from `{a: y, b: x}`.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn key(url: &str, hl: i64, p: &Value) -> Key {
        Key {
            url: url.into(),
            hl,
            compact: false,
            view: hash_of(p),
        }
    }

    #[test]
    fn a_card_is_rendered_once_per_key() {
        let cache = CardCache::new(true);
        let p = Value::from_serializable(&serde_json::json!({"url": "/a/", "title": "A"}));
        let renders = Cell::new(0);
        let render = || {
            renders.set(renders.get() + 1);
            Ok(format!("card {}", renders.get()))
        };
        let first = cache.get_or_render(key("/a/", 2, &p), render).unwrap();
        let again = cache.get_or_render(key("/a/", 2, &p), render).unwrap();
        assert_eq!((&*first, &*again, renders.get()), ("card 1", "card 1", 1));
        // Another heading level, or another view of the same page, is another card.
        cache.get_or_render(key("/a/", 3, &p), render).unwrap();
        let q = Value::from_serializable(&serde_json::json!({"url": "/a/", "title": "B"}));
        cache.get_or_render(key("/a/", 2, &q), render).unwrap();
        assert_eq!((renders.get(), cache.len()), (3, 3));
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn without_the_cache_every_card_is_rendered() {
        let cache = CardCache::new(false);
        let p = Value::from_serializable(&serde_json::json!({"url": "/a/"}));
        let renders = Cell::new(0);
        for _ in 0..2 {
            cache
                .get_or_render(key("/a/", 2, &p), || {
                    renders.set(renders.get() + 1);
                    Ok(String::new())
                })
                .unwrap();
        }
        assert_eq!((renders.get(), cache.len()), (2, 0));
    }

    #[test]
    fn equal_views_hash_alike_whatever_their_map_order() {
        let a = serde_json::json!({"url": "/a/", "n": 1, "tags": [{"x": 1, "y": "z"}], "c": null});
        let mut b = serde_json::Map::new();
        for k in ["tags", "c", "n", "url"] {
            b.insert(k.into(), a[k].clone());
        }
        let (a, b) = (Value::from_serializable(&a), Value::from_serializable(&b));
        assert_eq!(hash_of(&a), hash_of(&b));
        let c = Value::from_serializable(&serde_json::json!({"url": "/a/", "n": 2}));
        assert_ne!(hash_of(&a), hash_of(&c));
        // Entries are hashed with their keys: values traded between keys are another view.
        let d = Value::from_serializable(&serde_json::json!({"t": "x", "u": "y"}));
        let e = Value::from_serializable(&serde_json::json!({"t": "y", "u": "x"}));
        assert_ne!(hash_of(&d), hash_of(&e));
        let f = Value::from_serializable(&serde_json::json!({"t": {"u": "x"}}));
        let g = Value::from_serializable(&serde_json::json!({"u": {"t": "x"}}));
        assert_ne!(hash_of(&f), hash_of(&g));
    }

    #[test]
    fn scalars_of_another_value_or_kind_hash_apart() {
        let of = |v: serde_json::Value| hash_of(&Value::from_serializable(&v));
        let all = [
            of(serde_json::json!({"n": 1})),
            of(serde_json::json!({"n": 2})),
            of(serde_json::json!({"n": -1})),
            of(serde_json::json!({"n": 1.5})),
            of(serde_json::json!({"n": 2.5})),
            of(serde_json::json!({"n": true})),
            of(serde_json::json!({"n": false})),
            of(serde_json::json!({"n": null})),
            of(serde_json::json!({"n": "1"})),
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(all[3], of(serde_json::json!({"n": 1.5})));
    }
}
