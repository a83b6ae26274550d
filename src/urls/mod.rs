//! URLs: the policy every URL from the sources passes (`policy`, re-exported here so callers
//! write `urls::check`), and the one maker of the site's own URLs and output paths (`make`:
//! [`Urls`]).

#[cfg(test)]
mod guard;
mod make;
mod policy;

pub use make::{base_path, file_path, Urls};
pub use policy::*;
