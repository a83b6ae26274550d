//! Thin binary: everything lives in the library.
fn main() -> std::process::ExitCode {
    tsunagari::cli::main()
}
