//! Thin binary: everything lives in the library.

// mimalloc: building a site allocates many small, short-lived values on every thread (template
// contexts, tokens); it cut a 10,000-page build's time noticeably against the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tsunagari::cli::main()
}
