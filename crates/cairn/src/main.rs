//! The `cairn` command: everything lives in the library; this only hands over the arguments.

// mimalloc: the server allocates many small, short-lived buffers per request (rows, JSON)
// from several threads; glibc's allocator showed as 15 % of the profile under load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cairn::cli::run()
}
