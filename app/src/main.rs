// Everything the binary does is in the library (`linli_app::start`), where clippy and the
// tests see it: scripts/test checks the library once, in its test build.
fn main() {
    linli_app::start();
}
