//! Running `koho watch` in a test: start it on a free port, speak HTTP to it, wait for
//! rebuilds, stop it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a rebuild may take in a debug build on a busy CI machine before a test gives up.
pub const REBUILD_WAIT: Duration = Duration::from_secs(90);

/// A running `koho watch`.
pub struct Watch {
    /// The process.
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Watch {
    /// Starts `koho watch --port 0` in `project` (Japanese) and waits for its address.
    pub fn start(project: &Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_koho"))
            .args(["watch", "--port", "0"])
            .current_dir(project)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "ja_JP.UTF-8")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("koho watch starts");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        Watch { child, addr }
    }

    /// A raw request line and headers sent as they are (no client tidies the path).
    pub fn raw(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        self.raw_with(method, path, &format!("Host: {}\r\n", self.addr))
    }

    /// A raw request with exactly the header lines `headers` (each ending in CRLF), `Host`
    /// among them or not.
    pub fn raw_with(&self, method: &str, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, response[split + 4..].to_vec())
    }

    /// `GET path`: status, headers, body.
    pub fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        self.raw("GET", path)
    }

    /// `/status.json`, parsed.
    pub fn status(&self) -> serde_json::Value {
        let (code, _, body) = self.get("/status.json");
        assert_eq!(code, 200);
        serde_json::from_slice(&body).unwrap()
    }

    /// Waits until the status's version is past `seen`; returns the status.
    pub fn wait_past(&self, seen: u64) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let status = self.status();
            if status["version"].as_u64().unwrap() > seen {
                return status;
            }
            assert!(
                started.elapsed() < REBUILD_WAIT,
                "no rebuild after version {seen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the first build.
    pub fn ready(&self) -> serde_json::Value {
        self.wait_past(0)
    }

    /// Stops koho with SIGINT (as Ctrl-C does) and returns its exit code and stderr.
    pub fn interrupt(mut self) -> (Option<i32>, String) {
        // SAFETY: kill sends a signal to our own child process.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "koho watch did not stop"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status.code(), err)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
