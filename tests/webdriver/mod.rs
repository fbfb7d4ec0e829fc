//! A small W3C WebDriver client for the end-to-end tests: tauri-driver in
//! its own process group (killed as a group, then waited for), sessions
//! over plain HTTP on loopback.

#![allow(dead_code)] // shared by the e2e tests and the launch-time example

use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const PORT: u16 = 4444;

pub struct Driver {
    child: Child,
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let cargo_bin = home.join(".cargo/bin/tauri-driver");
    if cargo_bin.exists() { cargo_bin } else { PathBuf::from("tauri-driver") }
}

impl Driver {
    /// Starts tauri-driver with the app's data dir and clock in its
    /// environment (WebKitWebDriver and the app inherit it).
    pub fn start(data_dir: &Path, today: &str) -> Driver {
        Driver::start_with(data_dir, today, &[])
    }

    /// Like `start`, with more environment for the app (e.g. SEATDESK_DIALOG_PATH).
    pub fn start_with(data_dir: &Path, today: &str, env: &[(&str, &Path)]) -> Driver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the end-to-end tests need a display: run them through the README's test command (it starts Xvfb)"
        );
        let mut command = Command::new(tauri_driver());
        for (k, v) in env {
            command.env(k, v);
        }
        let child = command
            .args(["--port", &PORT.to_string()])
            .env("SEATDESK_DATA_DIR", data_dir)
            .env("SEATDESK_TODAY", today)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver --version 2.1.0 --locked)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", PORT)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on {PORT}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child }
    }

    pub fn session(&self, application: &str) -> Session {
        let base = format!("http://127.0.0.1:{PORT}");
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "wry",
                "tauri:options": { "application": application }
            }}
        });
        let mut last = String::new();
        for _ in 0..5 {
            match ureq::post(&format!("{base}/session")).send_json(caps.clone()) {
                Ok(resp) => {
                    let v: Value = resp.into_json().unwrap();
                    let id = v["value"]["sessionId"].as_str().expect("session id").to_string();
                    return Session { base: format!("{base}/session/{id}") };
                }
                Err(e) => {
                    last = e.to_string();
                    std::thread::sleep(Duration::from_millis(500));
                }
            }
        }
        panic!("no WebDriver session: {last}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Kill the whole group: tauri-driver, WebKitWebDriver and the app.
        // The group id is the child's pid (process_group(0)); never signal
        // anything else, so refuse ids that could mean "every process".
        let pgid = self.child.id() as libc::pid_t;
        if pgid > 1 {
            // SAFETY: kill(2) with a negative id signals only that group.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
        let _ = self.child.wait();
    }
}

pub struct Session {
    base: String,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.base).timeout(Duration::from_secs(5)).call();
    }
}

impl Session {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let t0 = Instant::now();
        let r = self.call_inner(method, path, body);
        if std::env::var_os("E2E_TRACE").is_some() {
            eprintln!("{:>6} ms {method} {path}", t0.elapsed().as_millis());
        }
        r
    }

    fn call_inner(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{}", self.base, path);
        // A screenshot can stall in WebKitWebDriver under Xvfb; it is a
        // diagnostic, so it gets a short leash.
        let limit = if path == "/screenshot" { 8 } else { 30 };
        let req = ureq::request(method, &url).timeout(Duration::from_secs(limit));
        let resp = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        match resp {
            Ok(r) => Ok(r.into_json::<Value>().map_err(|e| e.to_string())?["value"].clone()),
            Err(ureq::Error::Status(_, r)) => Err(r.into_string().unwrap_or_default()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The element's id, or `None` when no element matches. Any other
    /// failure (the window gone, the driver stuck) fails the test: a helper
    /// never turns an error into "not there".
    /// The driver can meet an element the page replaced while it looked
    /// (a "stale element reference"): it looks again, for up to 10 s.
    fn find(&self, css: &str) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.call("POST", "/element", Some(json!({"using": "css selector", "value": css}))) {
                Ok(v) => return Some(v[ELEMENT].as_str().unwrap_or_else(|| panic!("find {css}: no element id in {v}")).to_string()),
                Err(e) if e.contains("no such element") => return None,
                Err(e) if e.contains("stale element reference") && Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => panic!("find {css}: {e}"),
            }
        }
    }

    /// How many elements match `css` now, counted in the page (no element
    /// handles: a list redrawn between finding and counting its rows made
    /// WebKitWebDriver answer "stale element reference" once in a run).
    pub fn count(&self, css: &str) -> usize {
        let script = "return document.querySelectorAll(arguments[0]).length;";
        match self.call("POST", "/execute/sync", Some(json!({"script": script, "args": [css]}))) {
            Ok(v) => v.as_u64().unwrap_or_else(|| panic!("count {css}: not a number: {v}")) as usize,
            Err(e) => panic!("count {css}: {e}"),
        }
    }

    pub fn wait_until(&self, timeout: Duration, mut cond: impl FnMut() -> bool) {
        let deadline = Instant::now() + timeout;
        while !cond() {
            assert!(Instant::now() < deadline, "condition not met within {timeout:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for an element and returns its WebDriver id.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(id) = self.find(css) {
                return id;
            }
            if Instant::now() > deadline {
                self.screenshot("timeout");
                panic!("{css} did not appear within {timeout:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The rendered text (`innerText`) of the first element matching `css`.
    /// `None` only when no element matches; a failed call fails the test.
    pub fn text(&self, css: &str) -> Option<String> {
        let script = "const el = document.querySelector(arguments[0]); return el ? el.innerText : null;";
        match self.call("POST", "/execute/sync", Some(json!({"script": script, "args": [css]}))) {
            Ok(Value::Null) => None,
            Ok(Value::String(t)) => Some(t),
            Ok(other) => panic!("text of {css}: {other}"),
            Err(e) => panic!("text of {css}: {e}"),
        }
    }

    /// Waits for the element to exist and have non-empty text.
    pub fn wait_text(&self, css: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(t) = self.text(css) {
                if !t.trim().is_empty() {
                    return t;
                }
            }
            if Instant::now() > deadline {
                self.screenshot("timeout");
                panic!("{css} had no text within {timeout:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs a script in the page and returns its result as text.
    pub fn eval(&self, script: &str) -> String {
        match self.call("POST", "/execute/sync", Some(json!({"script": script, "args": []}))) {
            Ok(Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(e) => panic!("script failed: {e}"),
        }
    }

    /// Chooses the option with `value` in a `<select>` and fires `change`,
    /// as picking it with the mouse does.
    pub fn select(&self, css: &str, value: &str) {
        self.wait_for(css, Duration::from_secs(10));
        let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                      el.dispatchEvent(new Event('change', { bubbles: true })); return el.value;";
        let got = self.call("POST", "/execute/sync", Some(json!({"script": script, "args": [css, value]})));
        assert_eq!(got.ok().and_then(|v| v.as_str().map(String::from)).as_deref(), Some(value), "select {value} in {css}");
    }

    /// The attribute's value, `None` when the element (which must appear
    /// within 10 s) does not have it. A page re-rendered meanwhile (a stale
    /// element reference) is read again; any other failure fails the test.
    pub fn attr(&self, css: &str, name: &str) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let id = self.wait_for(css, Duration::from_secs(10));
            match self.call("GET", &format!("/element/{id}/attribute/{name}"), None) {
                Ok(Value::Null) => return None,
                Ok(Value::String(v)) => return Some(v),
                Ok(other) => panic!("attribute {name} of {css}: {other}"),
                Err(e) if e.contains("stale element reference") && Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => panic!("attribute {name} of {css}: {e}"),
            }
        }
    }

    /// Clicks the element. When the page re-renders between finding and
    /// clicking it (a "stale element reference"), it is found again and
    /// clicked, for up to 10 s; any other failure fails the test.
    pub fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let id = self.wait_for(css, Duration::from_secs(10));
            match self.call("POST", &format!("/element/{id}/click"), Some(json!({}))) {
                Ok(_) => return,
                Err(e) if e.contains("stale element reference") && Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.wait_for(css, Duration::from_secs(10));
        self.call("POST", &format!("/element/{id}/value"), Some(json!({"text": text})))
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Sends keys (WebDriver key codes such as "\u{E015}" for arrow down) to the focused element.
    pub fn keys(&self, text: &str) {
        let actions = json!({"actions": [{
            "type": "key", "id": "keyboard",
            "actions": text.chars().flat_map(|c| [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]).collect::<Vec<_>>()
        }]});
        self.call("POST", "/actions", Some(actions)).unwrap_or_else(|e| panic!("keys: {e}"));
    }

    /// Presses `keys` together and lets go (a chord: "\u{E009}k" is Ctrl+K).
    pub fn chord(&self, keys: &str) {
        let down = keys.chars().map(|c| json!({"type": "keyDown", "value": c.to_string()}));
        let up = keys.chars().rev().map(|c| json!({"type": "keyUp", "value": c.to_string()}));
        let actions = json!({"actions": [{ "type": "key", "id": "keyboard", "actions": down.chain(up).collect::<Vec<_>>() }]});
        self.call("POST", "/actions", Some(actions)).unwrap_or_else(|e| panic!("chord: {e}"));
    }

    /// Sets a file input to `path` (WebDriver sends the path as its keys).
    pub fn upload(&self, css: &str, path: &Path) {
        let id = self.wait_for(css, Duration::from_secs(10));
        self.call("POST", &format!("/element/{id}/value"), Some(json!({"text": path.display().to_string()})))
            .unwrap_or_else(|e| panic!("upload to {css}: {e}"));
    }

    pub fn clear(&self, css: &str) {
        let id = self.wait_for(css, Duration::from_secs(10));
        self.call("POST", &format!("/element/{id}/clear"), Some(json!({}))).unwrap_or_else(|e| panic!("clear {css}: {e}"));
    }

    /// Resizes the window (the outer size; the app enforces its minimum).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.call("POST", "/window/rect", Some(json!({"width": width, "height": height}))).unwrap_or_else(|e| panic!("window size {width}x{height}: {e}"));
        std::thread::sleep(Duration::from_millis(300));
    }

    /// Saves a PNG of the window under target/e2e-screenshots/ (for people
    /// to look at; never asserted on). ImageMagick's `import` grabs the X
    /// display when it is installed; WebKitWebDriver's own screenshot, which
    /// can stall under Xvfb, is the fallback.
    pub fn screenshot(&self, name: &str) {
        use base64::Engine;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join(format!("{name}.png"));
        std::thread::sleep(Duration::from_millis(200));
        let grabbed = Command::new("import")
            .args(["-window", "root"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if grabbed {
            return;
        }
        let Ok(v) = self.call("GET", "/screenshot", None) else { return };
        let Some(b64) = v.as_str() else { return };
        let Ok(png) = base64::engine::general_purpose::STANDARD.decode(b64) else { return };
        let _ = std::fs::write(file, png);
    }
}
