//! `linli-server`: reads the configuration, starts the relay, serves until Ctrl-C.

use linli_server::config::{Config, HELP};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // automerge instruments its loading at INFO level: a span for every change applied, which
    // cost the relay half its time. Its spans stay off unless RUST_LOG asks for them.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,automerge=warn".into()),
        )
        .init();
    let config =
        match Config::from_env_and_args(|k| std::env::var(k).ok(), std::env::args().skip(1)) {
            Ok(c) => c,
            Err(linli_server::config::ConfigError::Help) => {
                println!("{HELP}");
                return Ok(());
            }
            Err(e) => {
                eprintln!("{e}\n\n{HELP}");
                std::process::exit(2);
            }
        };
    let addr = config.addr;
    let started = linli_server::start(config).await?;
    if let Some(code) = &started.bootstrap_code {
        println!("First staff member: enrol with the one-time invite code {code} (valid 7 days).");
    }
    if started.seeded && started.state.config.demo {
        println!(
            "Seeded the demo community 水榭花都 (open the app to try it as any of its people)."
        );
    }
    if started.state.config.open311 {
        tokio::spawn(linli_server::open311::warm(started.state.clone()));
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("Linli is running: open http://{local}/");
    linli_server::serve(listener, started.state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
