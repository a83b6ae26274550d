//! URLs: the policy every URL from the sources passes (`policy`, re-exported here so callers
//! write `urls::check`), and the one maker of the site's own URLs and output paths (`make`:
//! [`Urls`]; `share`: the share links of a page).

mod make;
mod policy;
mod share;

pub use make::{base_path, file_path, Folder, Urls};
pub use policy::*;
pub use share::Share;

#[cfg(test)]
mod guard;
