//! `lotse serve`: builds, serves the output on 127.0.0.1 (or `--bind`), rebuilds when a source
//! file changes and reloads open tabs. When a rebuild fails, the last good site stays
//! and every open tab shows the errors (file, line, hint) in an overlay until the next
//! good build. The script is added to HTML only as it is served; the built files never
//! contain it.

use crate::pipeline::{BuildOptions, build};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Reloads on `reload`; on any other message shows it (escaped HTML of the build's errors) in an
/// overlay. `/__lotse/errors` holds the current errors for a page opened while the build is broken.
const RELOAD_SCRIPT: &str = "<script>(function(){function show(h){var o=document.getElementById('lotse-errors');if(!h){if(o)o.remove();return}if(!o){o=document.createElement('div');o.id='lotse-errors';o.setAttribute('role','alert');o.style.cssText='position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;background:#fff;color:#1a1a1a;border-top:4px solid #b00020;padding:1rem;font:14px/1.5 monospace;white-space:pre-wrap;z-index:99999;direction:ltr;text-align:left';document.body.appendChild(o)}o.innerHTML=h}new EventSource('/__lotse/events').onmessage=function(e){if(e.data==='reload')location.reload();else show(JSON.parse(e.data))};fetch('/__lotse/errors').then(function(r){return r.text()}).then(function(t){if(t)show(t)})})()</script>";

/// The last build's errors as escaped text for the overlay ("" after a good build).
type Errors = Arc<Mutex<String>>;

pub fn serve(source: &Path, output: &Path, bind: std::net::IpAddr, port: u16, drafts: bool) -> Result<(), String> {
    let opts = BuildOptions { source: source.to_path_buf(), output: output.to_path_buf(), drafts, strict: false, preview: true };
    let errors: Errors = Arc::default();
    set_errors(&errors, rebuild(&opts));
    let address = std::net::SocketAddr::new(bind, port);
    let server = tiny_http::Server::http(address).map_err(|e| format!("cannot listen on {address}: {e}"))?;
    if bind.is_unspecified() {
        // Reachable from the network: a phone on the same Wi-Fi opens this machine's address.
        eprintln!("Serving on port {port} of every address of this machine (here: http://127.0.0.1:{port}/); anyone in the network can open it, drafts included — press Ctrl+C to stop");
    } else {
        eprintln!("Serving on http://{address}/ — press Ctrl+C to stop");
    }
    let clients: Arc<Mutex<Vec<mpsc::Sender<String>>>> = Arc::default();
    watch(opts, clients.clone(), errors.clone())?;
    let root = output.to_path_buf();
    for request in server.incoming_requests() {
        let path = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
        if path == "/__lotse/events" {
            let (tx, rx) = mpsc::channel();
            clients.lock().map_err(|e| e.to_string())?.push(tx);
            std::thread::spawn(move || {
                let mut w = request.into_writer();
                let _ = w.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
                let _ = w.flush();
                while let Ok(message) = rx.recv() {
                    if w.write_all(format!("data: {message}\n\n").as_bytes()).and_then(|_| w.flush()).is_err() {
                        break;
                    }
                }
            });
            continue;
        }
        if path == "/__lotse/errors" {
            let text = errors.lock().map(|e| e.clone()).unwrap_or_default();
            let _ = request.respond(tiny_http::Response::from_data(text.into_bytes()).with_header(content_type("txt")));
            continue;
        }
        let response = match resolve(&root, &path) {
            Some(file) => respond_file(&file),
            None => {
                let not_found = root.join(path.trim_start_matches('/').split('/').next().unwrap_or("")).join("404.html");
                let page = if not_found.is_file() { not_found } else { root.join("404.html") };
                let body = std::fs::read(&page).unwrap_or_else(|_| b"Not found".to_vec());
                tiny_http::Response::from_data(inject(&page, body)).with_status_code(404).with_header(content_type("html"))
            }
        };
        let _ = request.respond(response);
    }
    Ok(())
}

/// Builds; on failure prints the problems and returns them as the overlay's text.
fn rebuild(opts: &BuildOptions) -> Result<(), String> {
    let start = std::time::Instant::now();
    match build(opts) {
        Ok(r) => {
            eprintln!("Built {} pages in {} ms", r.pages, start.elapsed().as_millis());
            Ok(())
        }
        Err(diags) => {
            for d in &diags {
                eprint!("{d}");
            }
            eprintln!("Build failed; still serving the last good site.");
            Err(overlay(&diags))
        }
    }
}

/// The overlay's text: the problems as the terminal shows them, escaped.
fn overlay(diags: &[crate::diagnostic::Diagnostic]) -> String {
    let text: String = diags.iter().map(|d| format!("{d}\n")).collect();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    format!(
        "<strong>Lotse: the build failed with {errors} error(s); this is the last good version.</strong>\n\n{}",
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    )
}

fn set_errors(errors: &Errors, result: Result<(), String>) {
    if let Ok(mut e) = errors.lock() {
        *e = result.err().unwrap_or_default();
    }
}

fn watch(opts: BuildOptions, clients: Arc<Mutex<Vec<mpsc::Sender<String>>>>, errors: Errors) -> Result<(), String> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = mpsc::channel();
    // Only changes count: reading a file (the build reads them all) must not start another build.
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| matches!(e.kind, notify::EventKind::Create(_) | notify::EventKind::Modify(_) | notify::EventKind::Remove(_))) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| e.to_string())?;
    for (p, _) in crate::sites::watched(&opts.source) {
        if p.exists() {
            watcher.watch(&p, RecursiveMode::Recursive).map_err(|e| e.to_string())?;
        }
    }
    std::thread::spawn(move || {
        let _keep = watcher;
        let mut before = crate::preview::snapshot(&opts.source);
        let tell = |message: String| {
            if let Ok(mut list) = clients.lock() {
                list.retain(|c| c.send(message.clone()).is_ok());
            }
        };
        let message = |result: &Result<(), String>| match result {
            Ok(()) => "reload".to_string(),
            Err(html) => serde_json::to_string(html).unwrap_or_default(),
        };
        while rx.recv().is_ok() {
            // Editors save in bursts; wait until it is quiet.
            while rx.recv_timeout(Duration::from_millis(20)).is_ok() {}
            let after = crate::preview::snapshot(&opts.source);
            // A text edit: show the page at once, then let the full build catch up (lists, search).
            let start = std::time::Instant::now();
            let quick = crate::preview::render_edited(&opts.source, &opts.output, opts.drafts, &before, &after);
            before = after;
            let shown = quick.is_some();
            if let Some(quick) = quick {
                let result = quick.map(|n| eprintln!("Rendered {n} edited page(s) in {} ms", start.elapsed().as_millis())).map_err(|diags| overlay(&diags));
                tell(message(&result));
                let failed = result.is_err();
                set_errors(&errors, result);
                if failed {
                    continue;
                }
            }
            let result = rebuild(&opts);
            // after the shortcut the pages are current: only a failure needs the tabs
            if !shown || result.is_err() {
                tell(message(&result));
            }
            set_errors(&errors, result);
        }
    });
    Ok(())
}

/// The file for a URL path, never outside `root`.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut path = root.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => path.push(s),
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|s| s.into_owned())
}

fn respond_file(file: &Path) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let body = std::fs::read(file).unwrap_or_default();
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    tiny_http::Response::from_data(inject(file, body)).with_header(content_type(ext))
}

fn inject(file: &Path, body: Vec<u8>) -> Vec<u8> {
    if file.extension().and_then(|e| e.to_str()) != Some("html") {
        return body;
    }
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(i) => format!("{}{RELOAD_SCRIPT}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{RELOAD_SCRIPT}").into_bytes(),
    }
}

fn content_type(ext: &str) -> tiny_http::Header {
    let t = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    tiny_http::Header::from_bytes("Content-Type", t).expect("valid header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_root() {
        let root = std::env::temp_dir();
        assert!(resolve(&root, "/../etc/passwd").is_none());
        assert!(resolve(&root, "/%2e%2e/etc/passwd").is_none());
    }
}
