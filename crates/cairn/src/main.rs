//! The `cairn` command: everything lives in the library; this only hands over the arguments.

fn main() -> std::process::ExitCode {
    cairn::cli::run()
}
