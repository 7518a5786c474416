//! The preview server: on 127.0.0.1 only, five routes and nothing else.
//!
//! - `GET /` — the page showing the previews and, over them, the last build's errors;
//! - `GET /preview/p<folio>.png` — the newest good preview of a page;
//! - `GET /status.json` — `{"version", "errors", "pages", "page_info", "spreads",
//!   "preview_version"}`;
//! - `GET /field.json?page=<folio>&x=<pt>&y=<pt>` — the field under that point of the page
//!   (points from the trim's top-left corner), with its file, line and editor link, or null;
//! - `GET /events` — Server-Sent Events: one `data: <version>` per rebuild.
//!
//! Any other path is a 404: the server holds the previews in memory and reads no file, so no
//! path can reach the disk. A request whose `Host` is not the server's own loopback address
//! and port (`127.0.0.1:P`, `localhost:P`, `[::1]:P`) is a 403, whatever it asks: a web page
//! open in the same browser cannot read unpublished pages through a name that it rebinds to
//! 127.0.0.1 (DNS rebinding). No CORS header is ever sent.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

use super::state::Shared;

/// How often an idle event stream sends a comment, so a closed browser tab is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// What a request asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Route {
    /// The page.
    Index,
    /// A page's preview.
    Preview(u32),
    /// The status.
    Status,
    /// The field under a point of a page.
    Field {
        /// The page's folio.
        folio: u32,
        /// Points from the trim's left edge.
        x: f64,
        /// Points from the trim's top edge.
        y: f64,
    },
    /// `/field.json` without a page and a point it can read.
    BadQuery,
    /// The event stream.
    Events,
    /// Anything else.
    NotFound,
}

/// The route of a request's URL (its query string read only by `/field.json`). Only the exact
/// paths above match: `..`, encoded slashes, or anything else is [`Route::NotFound`].
pub fn route(url: &str) -> Route {
    let url = url.split('#').next().unwrap_or("");
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    match path {
        "/" | "/index.html" => Route::Index,
        "/status.json" => Route::Status,
        "/field.json" => field_route(query),
        "/events" => Route::Events,
        _ => path
            .strip_prefix("/preview/p")
            .and_then(|rest| rest.strip_suffix(".png"))
            .filter(|digits| !digits.is_empty() && digits.len() <= 6)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse().ok())
            .map_or(Route::NotFound, Route::Preview),
    }
}

/// `/field.json`'s route from its query: `page` a folio, `x` and `y` finite numbers.
fn field_route(query: &str) -> Route {
    let value = |name: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    };
    let point = |name: &str| {
        value(name)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    let folio = value("page").and_then(|v| v.parse::<u32>().ok());
    match (folio, point("x"), point("y")) {
        (Some(folio), Some(x), Some(y)) => Route::Field { folio, x, y },
        _ => Route::BadQuery,
    }
}

/// Binds the server to `127.0.0.1:port` (0: any free port) — never to other interfaces.
pub fn bind(port: u16) -> std::io::Result<(Server, SocketAddr)> {
    let server = Server::http((Ipv4Addr::LOCALHOST, port)).map_err(std::io::Error::other)?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| std::io::Error::other("not an IP address"))?;
    Ok((server, addr))
}

/// Whether `host` (a request's `Host` header) names this server: its loopback address or
/// `localhost`, with its port.
pub fn is_own_host(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}"))
}

/// Answers requests until the server is unblocked; each event stream gets a thread of its own.
pub fn serve(server: &Server, shared: &Arc<Shared>, page: &str) {
    let port = server.server_addr().to_ip().map_or(0, |addr| addr.port());
    for request in server.incoming_requests() {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_owned());
        if !host.is_some_and(|h| is_own_host(&h, port)) {
            let _ = forbidden(request);
            continue;
        }
        let route = route(request.url());
        if route == Route::Events && *request.method() == Method::Get {
            let shared = Arc::clone(shared);
            std::thread::spawn(move || {
                let _ = stream_events(request, &shared);
            });
            continue;
        }
        let _ = answer(request, route, shared, page);
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn answer(request: Request, route: Route, shared: &Shared, page: &str) -> std::io::Result<()> {
    let no_store = header("Cache-Control", "no-store");
    if !matches!(*request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("method not allowed\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET"));
        return request.respond(response);
    }
    match route {
        Route::Index => request.respond(
            Response::from_string(page)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(no_store),
        ),
        Route::Status => {
            let json = serde_json::to_string(&shared.status()).unwrap_or_default();
            request.respond(
                Response::from_string(json)
                    .with_header(header("Content-Type", "application/json; charset=utf-8"))
                    .with_header(no_store),
            )
        }
        Route::Preview(folio) => match shared.preview(folio) {
            Some(png) => request.respond(
                Response::from_data(png.as_slice())
                    .with_header(header("Content-Type", "image/png"))
                    .with_header(no_store)
                    // With its length, not chunked: any client reads it whole.
                    .with_chunked_threshold(usize::MAX),
            ),
            None => not_found(request),
        },
        Route::Field { folio, x, y } => match shared.fields(folio) {
            Some(spots) => {
                let answer = serde_json::json!({
                    "page": folio,
                    "field": super::fields::field_at(&spots, x, y),
                });
                request.respond(
                    Response::from_string(answer.to_string())
                        .with_header(header("Content-Type", "application/json; charset=utf-8"))
                        .with_header(no_store),
                )
            }
            None => not_found(request),
        },
        Route::BadQuery => request.respond(
            Response::from_string("bad request: /field.json?page=FOLIO&x=PT&y=PT\n")
                .with_status_code(400)
                .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        ),
        Route::Events | Route::NotFound => not_found(request),
    }
}

fn forbidden(request: Request) -> std::io::Result<()> {
    request.respond(
        Response::from_string("forbidden: this preview answers only its own address\n")
            .with_status_code(403)
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
    )
}

fn not_found(request: Request) -> std::io::Result<()> {
    request.respond(
        Response::from_string("not found\n")
            .with_status_code(404)
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
    )
}

/// The event stream: the current version at once, then one event per rebuild, until the
/// browser goes away or the watcher stops. The response is written by hand: without a length,
/// tiny_http would send it chunked, which browsers refuse for an event stream.
fn stream_events(request: Request, shared: &Shared) -> std::io::Result<()> {
    let mut writer = request.into_writer();
    write!(
        writer,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n"
    )?;
    let mut seen = shared.status().version;
    write!(writer, "data: {seen}\n\n")?;
    writer.flush()?;
    loop {
        match shared.wait_past(seen, KEEP_ALIVE) {
            None => return Ok(()),
            Some(version) if version > seen => {
                seen = version;
                write!(writer, "data: {seen}\n\n")?;
            }
            Some(_) => write!(writer, ": still here\n\n")?,
        }
        writer.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_its_own_loopback_host_and_port_are_answered() {
        for own in [
            "127.0.0.1:8470",
            "localhost:8470",
            "LOCALHOST:8470",
            "[::1]:8470",
        ] {
            assert!(is_own_host(own, 8470), "{own}");
        }
        for other in [
            "127.0.0.1:8471",
            "127.0.0.1",
            "localhost",
            "evil.example:8470",
            "127.0.0.1.evil.example:8470",
            "localhost.:8470",
            "",
        ] {
            assert!(!is_own_host(other, 8470), "{other}");
        }
    }

    #[test]
    fn only_the_five_routes_exist() {
        assert_eq!(route("/"), Route::Index);
        assert_eq!(
            route("/field.json?page=4&x=120.5&y=300"),
            Route::Field {
                folio: 4,
                x: 120.5,
                y: 300.0
            }
        );
        for bad in [
            "/field.json",
            "/field.json?page=4&x=1",
            "/field.json?page=four&x=1&y=2",
            "/field.json?page=4&x=NaN&y=2",
            "/field.json?page=4&x=inf&y=2",
        ] {
            assert_eq!(route(bad), Route::BadQuery, "{bad}");
        }
        assert_eq!(route("/status.json?t=1"), Route::Status);
        assert_eq!(route("/events"), Route::Events);
        assert_eq!(route("/preview/p4.png"), Route::Preview(4));
        assert_eq!(route("/preview/p12.png?v=3"), Route::Preview(12));
        for refused in [
            "/../../etc/passwd",
            "/preview/../../etc/passwd",
            "/preview/p4.png/..",
            "/preview/p.png",
            "/preview/p-1.png",
            "/preview/p4.jpg",
            "/preview/p4%2e png",
            "/preview/p99999999999.png",
            "/status.json/",
            "//etc/passwd",
            "/layouts/lib/marks.typ",
            "",
        ] {
            assert_eq!(route(refused), Route::NotFound, "{refused}");
        }
    }
}
