fn main() {
    console_error_panic_hook::set_once();
    // Off the page while the first screen index.html painted shows (platform::firstpaint), and
    // in a task of its own: instantiating the wasm and rendering the app are two shorter tasks
    // rather than one long one.
    match linli_app::platform::firstpaint::host() {
        Some(host) => leptos::prelude::set_timeout(
            move || leptos::mount::mount_to(host, linli_app::Root).forget(),
            std::time::Duration::ZERO,
        ),
        None => leptos::mount::mount_to_body(linli_app::Root),
    }
}
