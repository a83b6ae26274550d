//! URLs: the policy every URL from the sources passes (`policy`, re-exported here so callers
//! write `urls::check`).

mod policy;

pub use policy::*;
