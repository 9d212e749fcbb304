//! The page's entry point: mounts the app and nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<bitbudget::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bitbudget-web is the page: build it for wasm32 with `scripts/serve`.");
    std::process::exit(2);
}
