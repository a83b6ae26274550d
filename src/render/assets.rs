//! `asset_url(name=…)`: the site path of a theme asset (`name` under the theme's
//! `static/assets/`) under the name the build publishes it as (`/assets/style.3f9a1c2e5b.css`,
//! `crate::theme::Assets`). A name the theme does not have gives `assets/<name>` as it is: a
//! theme asset that cannot be read is a warning and the site builds without it.

use crate::theme::Assets;
use crate::urls::Urls;
use std::collections::BTreeMap;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, TeraResult, Value};

/// Name under `assets/` → site path, for every theme asset there.
pub(super) fn asset_urls(assets: &Assets, urls: &Urls) -> BTreeMap<String, String> {
    assets
        .names()
        .iter()
        .filter_map(|(from, to)| {
            let name = from.strip_prefix("assets/")?;
            Some((name.to_string(), urls.asset(to.strip_prefix("assets/")?)))
        })
        .collect()
}

/// Registers `asset_url(name=…)` on `tera`.
/// `folder` is the site path of the assets folder (`Urls::asset("")`).
pub(super) fn register(tera: &mut Tera, urls: BTreeMap<String, String>, folder: String) {
    let urls = Arc::new(urls);
    tera.register_function(
        "asset_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let name: String = kwargs.must_get("name")?;
            Ok(match urls.get(&name) {
                Some(url) => Value::from(url.as_str()),
                None => Value::from(format!("{folder}{name}")),
            })
        },
    );
}
