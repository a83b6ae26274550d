//! What every output read in the last build, and which outputs a change reaches.
//!
//! Rendering records, per output, the [`Dep`]s its view read (`view::Reader`). Here they are
//! kept with pages named by ids that stay the same across builds (a page is its source file),
//! each dep with a hash of its value. After a change, an output is rendered again exactly when
//! its path is new or one of the deps it read has a different value now.

use crate::render::Renderer;
use crate::site::Site;
use crate::view::{Dep, Lists, Output, Values};
use rayon::prelude::*;
use std::collections::HashMap;
use std::mem::Discriminant;
use std::path::PathBuf;

/// A page that is gone: its deps' value in no build.
const GONE: u64 = u64::MAX;

#[derive(Default)]
pub(super) struct Deps {
    /// Stable page id of every source path seen in this session.
    ids: HashMap<PathBuf, u32>,
    /// Every dep read in the last builds (pages as stable ids), and its value then.
    keys: Vec<Dep>,
    index: HashMap<Dep, u32>,
    values: Vec<u64>,
    /// Output path → which kind of output was there (a path can change hands: `/thanks/` is
    /// the generated thanks page or the site's own plain page) and the deps (indices into
    /// `keys`) it read when last rendered.
    read: HashMap<String, (Discriminant<Output>, Vec<u32>)>,
}

/// Deps whose value changed, and their new values.
pub(super) struct Changes {
    flags: Vec<bool>,
    values: Vec<(usize, u64)>,
}

/// One site as the deps see it: page ids both ways, and how to hash a dep's value.
pub(super) struct Snapshot<'s> {
    site: &'s Site,
    lists: &'s Lists,
    /// Site-wide value (templates, configuration, menus, build date, intros).
    site_value: u64,
    /// Stable id of each page index, and back.
    ids: Vec<u32>,
    by_id: HashMap<u32, usize>,
}

impl<'s> Snapshot<'s> {
    /// Value of a dep whose pages are named by stable id.
    fn value(&self, dep: &Dep) -> u64 {
        if *dep == Dep::Site {
            return self.site_value;
        }
        let Some(local) = self.local(dep) else {
            return GONE;
        };
        let id = |i: usize| self.ids[i];
        let values = Values {
            site: self.site,
            lists: self.lists,
            id: &id,
        };
        values.of(&local)
    }

    /// The dep with page ids turned into this site's indices (None: the page is gone).
    fn local(&self, dep: &Dep) -> Option<Dep> {
        let at = |id: usize| self.by_id.get(&(id as u32)).copied();
        Some(match dep {
            Dep::Page(id) => Dep::Page(at(*id)?),
            Dep::Body(id) => Dep::Body(at(*id)?),
            Dep::MunicipalityOf(id) => Dep::MunicipalityOf(at(*id)?),
            Dep::ProfileOf(id) => Dep::ProfileOf(at(*id)?),
            other => other.clone(),
        })
    }

    /// The dep with this site's page indices turned into stable ids.
    fn stable(&self, dep: Dep) -> Dep {
        let id = |i: usize| self.ids[i] as usize;
        match dep {
            Dep::Page(i) => Dep::Page(id(i)),
            Dep::Body(i) => Dep::Body(id(i)),
            Dep::MunicipalityOf(i) => Dep::MunicipalityOf(id(i)),
            Dep::ProfileOf(i) => Dep::ProfileOf(id(i)),
            other => other,
        }
    }

    /// The deps of page `i` that an edit of it alone can change (pages as stable ids).
    pub(super) fn page_deps(&self, i: usize) -> [Dep; 4] {
        let id = self.ids[i] as usize;
        [
            Dep::Page(id),
            Dep::Body(id),
            Dep::MunicipalityOf(id),
            Dep::ProfileOf(id),
        ]
    }
}

impl Deps {
    /// A snapshot of `site` for comparing and recording; gives new pages their ids.
    pub(super) fn snapshot<'s>(
        &mut self,
        site: &'s Site,
        lists: &'s Lists,
        renderer: &Renderer,
    ) -> Snapshot<'s> {
        let ids: Vec<u32> = site
            .pages
            .iter()
            .map(|p| {
                let next = self.ids.len() as u32;
                *self.ids.entry(p.source.clone()).or_insert(next)
            })
            .collect();
        let by_id = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        Snapshot {
            site,
            lists,
            site_value: renderer.site_value(site),
            ids,
            by_id,
        }
    }

    /// Compares the deps `which` (all when None) with their value in `now`: which deps
    /// changed (by index into `keys`), with their new values, for [`Deps::commit`] once the
    /// outputs that read them were rendered.
    pub(super) fn compare(&self, now: &Snapshot, which: Option<&[Dep]>) -> Changes {
        let todo: Vec<usize> = match which {
            None => (0..self.keys.len()).collect(),
            Some(deps) => deps
                .iter()
                .filter_map(|d| self.index.get(d).map(|&k| k as usize))
                .collect(),
        };
        let values: Vec<(usize, u64)> = todo
            .into_par_iter()
            .map(|k| (k, now.value(&self.keys[k])))
            .filter(|&(k, v)| self.values[k] != v)
            .collect();
        let mut flags = vec![false; self.keys.len()];
        values.iter().for_each(|&(k, _)| flags[k] = true);
        Changes { flags, values }
    }

    /// Keeps the values of a comparison whose outputs were rendered (a failed update keeps
    /// the old ones, so the next comparison is against the last good build).
    pub(super) fn commit(&mut self, changes: Changes) {
        for (k, v) in changes.values {
            self.values[k] = v;
        }
    }

    /// The outputs (`outputs`, at `paths`) to render: new paths, paths now made by another
    /// kind of output, and paths that read a changed dep.
    pub(super) fn todo(
        &self,
        outputs: &[Output],
        paths: &[String],
        changes: &Changes,
    ) -> Vec<usize> {
        (0..paths.len())
            .into_par_iter()
            .filter(|&j| match self.read.get(&paths[j]) {
                None => true,
                Some((kind, deps)) => {
                    *kind != std::mem::discriminant(&outputs[j])
                        || deps.iter().any(|&k| changes.flags[k as usize])
                }
            })
            .collect()
    }

    /// Records what the outputs `which` (of `outputs`, at `paths`) read when just rendered in
    /// `now`, and forgets outputs no longer in `paths` when `all_paths` is true.
    pub(super) fn record(
        &mut self,
        now: &Snapshot,
        outputs: &[Output],
        paths: &[String],
        which: &[usize],
        read: Vec<Vec<Dep>>,
        all_paths: bool,
    ) {
        for (&j, deps) in which.iter().zip(read) {
            let keys: Vec<u32> = deps
                .into_iter()
                .map(|d| self.intern(now, now.stable(d)))
                .collect();
            let kind = std::mem::discriminant(&outputs[j]);
            self.read.insert(paths[j].clone(), (kind, keys));
        }
        if all_paths {
            let live: std::collections::HashSet<&String> = paths.iter().collect();
            self.read.retain(|p, _| live.contains(p));
        }
    }

    fn intern(&mut self, now: &Snapshot, dep: Dep) -> u32 {
        if let Some(&k) = self.index.get(&dep) {
            return k;
        }
        let k = self.keys.len() as u32;
        self.values.push(now.value(&dep));
        self.index.insert(dep.clone(), k);
        self.keys.push(dep);
        k
    }
}
