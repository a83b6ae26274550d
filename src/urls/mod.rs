//! URLs: the policy every URL from the sources passes (`policy`, re-exported here so callers
//! write `urls::check`), and the one maker of the site's own URLs and output paths (`make`:
//! [`Urls`]).

mod make;
mod policy;

pub use make::{base_path, file_path, Folder, Urls};
pub use policy::*;

#[cfg(test)]
mod guard;
