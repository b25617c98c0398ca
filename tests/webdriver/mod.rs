//! A small WebDriver client for driving the real app through tauri-driver and WebKitWebDriver.
//! Enough for the end-to-end tests: sessions, elements, clicks, keys, scripts, screenshots.
#![allow(dead_code)]

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// tauri-driver with its own WebKitWebDriver, on free ports, killed when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
    /// The file the app reads, instead of asking the user, when it would open a file dialog.
    dialog_answer: PathBuf,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    let installed = Path::new(&home).join(".cargo/bin/tauri-driver");
    if installed.exists() {
        return installed;
    }
    PathBuf::from("tauri-driver")
}

impl Driver {
    /// Starts the driver; the app it launches gets `data_home` as its XDG data folder, so its
    /// remembered settings and logs stay inside the test.
    pub fn start(data_home: &Path) -> Driver {
        assert!(
            std::env::var("DISPLAY").is_ok(),
            "DISPLAY is not set: run the tests through scripts/test.sh, which starts Xvfb"
        );
        assert!(
            Path::new("/usr/bin/WebKitWebDriver").exists(),
            "WebKitWebDriver is missing: install the Debian package webkit2gtk-driver (scripts/install-deps.sh)"
        );
        let port = free_port();
        let native = free_port();
        std::fs::create_dir_all(data_home).unwrap();
        let dialog_answer = data_home.join("dialog-answer.json");
        let child = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("XDG_DATA_HOME", data_home)
            // The one seam: a native file dialog cannot be clicked through WebDriver.
            .env("SHINCHOKU_TEST_DIALOG_ANSWER", &dialog_answer)
            // No session bus: the single-instance plugin then never hands a test's window over
            // to an app the developer has open.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: tauri-driver starts a WebKitWebDriver (and that the app)
            // which it does not end itself; the drop ends the whole group.
            .process_group(0)
            .spawn()
            .expect("tauri-driver is missing: cargo install tauri-driver@^2 --locked (scripts/install-deps.sh)");
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            dialog_answer,
        };
        let started = Instant::now();
        while ureq::get(&format!("{}/status", driver.url)).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "tauri-driver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// What the next file dialog answers: a path, a list of paths, or `null` for a cancel.
    pub fn answer_next_dialog(&self, answer: Value) {
        std::fs::write(&self.dialog_answer, answer.to_string()).unwrap();
    }

    /// Launches the app with `args` and returns its session.
    pub fn launch(&self, app: &Path, args: &[&str]) -> Session {
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {
            "application": app, "args": args
        }}}});
        let value = request(ureq::post(&format!("{}/session", self.url)), Some(caps));
        let id = value["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        let session = Session {
            url: format!("{}/session/{id}", self.url),
        };
        // The app's start (a cold machine's first WebKit launch, with its caches to make, takes
        // far longer than any step after it): until a dialog is open or the report is drawn.
        // How fast the app starts is a benchmark's question (scripts/bench.sh), not a test's.
        session.wait_up_to(START_TIMEOUT, "the app's start", || {
            session
                .execute(
                    "return document.readyState === 'complete' && (document.querySelector('dialog[open]') !== null || document.body.dataset.ready === '1') || null",
                    json!([]),
                )
                .as_bool()
        });
        session
    }
}

/// The longest the app may take to start and show its first dialog or view.
pub const START_TIMEOUT: Duration = Duration::from_secs(90);

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGKILL to the group (`kill -- -PGID`): tauri-driver, its WebKitWebDriver and any app
        // still open, so no test leaves a process behind.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// The longest any WebDriver call may take (a launch included): a window that cannot start (no
/// display, a broken build) fails the test instead of hanging the suite.
const CALL_TIMEOUT: Duration = Duration::from_secs(90);

pub fn request(req: ureq::Request, body: Option<Value>) -> Value {
    try_request(req.timeout(CALL_TIMEOUT), body).unwrap_or_else(|e| panic!("{e}"))
}

fn try_request(req: ureq::Request, body: Option<Value>) -> Result<Value, String> {
    let response = match body {
        Some(body) => req.send_json(body),
        None => req.call(),
    };
    let json: Value = match response {
        Ok(r) => r.into_json().map_err(|e| e.to_string())?,
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(format!("WebDriver answered {code}: {text}"));
        }
        Err(e) => return Err(format!("WebDriver unreachable: {e}")),
    };
    Ok(json["value"].clone())
}

/// One running app.
pub struct Session {
    url: String,
}

#[derive(Debug, Clone)]
pub struct Element(String);

impl Element {
    /// The element as a script argument.
    pub fn reference(&self) -> Value {
        json!({ ELEMENT: self.0 })
    }
}

impl Session {
    fn post(&self, path: &str, body: Value) -> Value {
        request(ureq::post(&format!("{}{path}", self.url)), Some(body))
    }

    fn get(&self, path: &str) -> Value {
        request(ureq::get(&format!("{}{path}", self.url)), None)
    }

    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": args}))
    }

    /// Runs `script` with a callback as its last argument and waits for the value it passes.
    pub fn execute_async(&self, script: &str, args: Value) -> Value {
        self.post("/execute/async", json!({"script": script, "args": args}))
    }

    /// Presses keys on whatever has the focus (WebDriver key codes: "\u{E00C}" is Escape).
    pub fn press(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }

    /// Presses a key while holding a modifier ("\u{E009}" Control, "\u{E008}" Shift).
    pub fn chord(&self, modifier: &str, key: &str) {
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": modifier},
                {"type": "keyDown", "value": key},
                {"type": "keyUp", "value": key},
                {"type": "keyUp", "value": modifier},
            ]}]}),
        );
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        self.post("/elements", json!({"using": "css selector", "value": css}))
            .as_array()
            .unwrap()
            .iter()
            .map(|e| Element(e[ELEMENT].as_str().unwrap().to_string()))
            .collect()
    }

    /// The first displayed element, waiting up to 15 s for it to appear.
    pub fn find(&self, css: &str) -> Element {
        self.wait_for(&format!("element {css}"), || {
            self.find_all(css)
                .into_iter()
                .find(|e| self.get(&format!("/element/{}/displayed", e.0)) == json!(true))
        })
    }

    /// An element action, retried while the element is not yet interactable (a dialog still
    /// opening, a list still being drawn on a loaded machine).
    fn interact(&self, e: &Element, path: &str, body: Value) {
        let started = Instant::now();
        loop {
            self.execute(
                "arguments[0].scrollIntoView({block: 'center'})",
                json!([e.reference()]),
            );
            match try_request(
                ureq::post(&format!("{}/element/{}/{path}", self.url, e.0)).timeout(CALL_TIMEOUT),
                Some(body.clone()),
            ) {
                Ok(_) => return,
                Err(err)
                    if err.contains("not interactable")
                        && started.elapsed() < Duration::from_secs(10) =>
                {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(err) => panic!("{err}"),
            }
        }
    }

    pub fn click(&self, e: &Element) {
        self.interact(e, "click", json!({}));
    }

    pub fn send_keys(&self, e: &Element, text: &str) {
        self.interact(e, "value", json!({"text": text}));
    }

    pub fn clear(&self, e: &Element) {
        self.post(&format!("/element/{}/clear", e.0), json!({}));
    }

    pub fn text(&self, e: &Element) -> String {
        self.get(&format!("/element/{}/text", e.0))
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub fn property(&self, e: &Element, name: &str) -> Value {
        self.get(&format!("/element/{}/property/{name}", e.0))
    }

    /// Polls `probe` until it gives a value, for at most 15 s.
    pub fn wait_for<T>(&self, what: &str, probe: impl FnMut() -> Option<T>) -> T {
        self.wait_up_to(Duration::from_secs(15), what, probe)
    }

    /// Polls `probe` until it gives a value, for at most `limit`.
    pub fn wait_up_to<T>(
        &self,
        limit: Duration,
        what: &str,
        mut probe: impl FnMut() -> Option<T>,
    ) -> T {
        let started = Instant::now();
        loop {
            if let Some(v) = probe() {
                return v;
            }
            if started.elapsed() > limit {
                self.screenshot(&format!(
                    "timeout-{}",
                    what.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                ));
                panic!("timed out waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sizes the window as a PC's screen would hold it (1366×768 is the city's smallest).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.post("/window/rect", json!({"width": width, "height": height}));
    }

    /// Saves a screenshot as target/e2e-screenshots/<name>.png.
    ///
    /// WebKitWebDriver takes it after the page's next paint. The app draws without compositing
    /// (src-tauri/src/memory.rs), and then a still page (a dialog, no caret blinking) never
    /// paints again: the request would wait forever. So the page is made to paint for a moment:
    /// one pixel in the corner, almost transparent, changes for a second, then goes.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        self.execute(
            "const dot = document.createElement('div');
             dot.setAttribute('aria-hidden', 'true');
             dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
             (document.querySelector('dialog[open]') ?? document.body).append(dot);
             let n = 0;
             const tick = () => {
               dot.style.background = `rgba(0,0,0,${(n++ % 2) ? 0.01 : 0.02})`;
               if (n < 60) requestAnimationFrame(tick); else dot.remove();
             };
             requestAnimationFrame(tick);",
            json!([]),
        );
        let data = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or(""))
            .unwrap_or_default();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// The WCAG 2.1 A and AA violations axe-core finds in the window as it is now: one line each,
    /// with the elements at fault. axe-core is a test-only npm package (tests/axe/).
    pub fn accessibility_violations(&self) -> Vec<String> {
        let axe = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/axe/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&axe).unwrap_or_else(|_| {
            panic!(
                "{} is missing: scripts/install-deps.sh installs it (npm ci --prefix tests/axe)",
                axe.display()
            )
        });
        let loaded = self.execute(&format!("{source}\n;return typeof axe !== 'undefined' ? (window.axe = axe, true) : typeof window.axe !== 'undefined';"), json!([]));
        assert_eq!(loaded, json!(true), "axe-core did not load in the window");
        let found = self.execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then((r) => done(r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
                  v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | '))),
                     (e) => done([`axe-core failed: ${e}`]));",
            json!([]),
        );
        found
            .as_array()
            .expect("axe-core's answer")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Closes the app.
    pub fn quit(self) {
        let _ = ureq::delete(&self.url).call();
    }
}
