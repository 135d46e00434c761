fn main() {
    console_error_panic_hook::set_once();
    // Off the page while the first screen index.html painted shows (platform::firstpaint).
    match linli_app::platform::firstpaint::host() {
        Some(host) => leptos::mount::mount_to(host, linli_app::Root).forget(),
        None => leptos::mount::mount_to_body(linli_app::Root),
    }
}
