//! The profile app in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`), driven over WebDriver's HTTP protocol, signs two users in at once on
//! the emulator's sign-in page and reads each one's profile page. With a `redis-server`
//! installed, the app runs as two instances sharing Redis, and a user signed in on one is
//! served by the other.
//!
//! Where Chromium or its driver is not installed it says so and skips; where `.ci/run`
//! installed them (it sets `SPOTIFY_WEB_BROWSER_REQUIRED=1`, and `SPOTIFY_WEB_REDIS_REQUIRED=1`
//! for `redis-server`), a missing one is a failure.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use spotify_web_emulator::{DEMO_USERS, Emulator, Route};
use spotify_web_profile::{App, Settings, start};

/// WebDriver's name for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A program from the machine, or `None` (with the reason said) where it is missing.
fn installed(name: &str, candidates: &[&str]) -> Option<PathBuf> {
    let found = candidates
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("SPOTIFY_WEB_BROWSER_REQUIRED").is_none(),
            "{name} is not installed, but .ci/run installed it"
        );
        eprintln!(
            "{name} is not installed (Debian: apt-get install chromium chromium-driver redis-server): skipped"
        );
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// A process that is killed when the test ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// ChromeDriver on a port of its own.
struct Driver {
    _process: Process,
    url: String,
    agent: ureq::Agent,
}

impl Driver {
    fn start(chromedriver: &Path) -> Self {
        let port = free_port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Self {
            _process: Process(process),
            url: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let started = Instant::now();
        while driver.call("GET", "/status", None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// One WebDriver command; its `value`, or its error's message.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.map_err(|e| e.to_string())?;
        let status = response.status();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if status.is_success() {
            Ok(value["value"].clone())
        } else {
            Err(format!("{status}: {}", value["value"]["message"]))
        }
    }
}

/// One browser, with its own profile (its own cookies).
struct Browser<'a> {
    driver: &'a Driver,
    session: String,
    _profile: tempdir::Dir,
}

mod tempdir {
    /// A folder removed when dropped.
    pub(super) struct Dir(pub(super) std::path::PathBuf);

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl<'a> Browser<'a> {
    fn open(driver: &'a Driver, chromium: &Path, name: &str) -> Self {
        let profile =
            std::env::temp_dir().join(format!("spotify-web-browser-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).unwrap();
        // The flags keep Chromium from reaching beyond loopback on its own.
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ];
        let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let session = driver
            .call("POST", "/session", Some(capabilities))
            .unwrap_or_else(|e| panic!("a Chromium session: {e}"));
        Self {
            driver,
            session: session["sessionId"].as_str().unwrap().to_owned(),
            _profile: tempdir::Dir(profile),
        }
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.driver
            .call(method, &path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn go(&self, url: &str) {
        self.command("POST", "/url", Some(json!({"url": url})));
    }

    fn url(&self) -> String {
        self.command("GET", "/url", None)
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The element `css` selects, waiting a little for it to appear.
    fn find(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let path = format!("/session/{}/element", self.session);
            match self.driver.call(
                "POST",
                &path,
                Some(json!({"using": "css selector", "value": css})),
            ) {
                Ok(element) => {
                    return element[ELEMENT]
                        .as_str()
                        .unwrap_or_else(|| panic!("{css}: {element}"))
                        .to_owned();
                }
                Err(error) if started.elapsed() > Duration::from_secs(10) => {
                    panic!("{css} on {}: {error}", self.url())
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    fn click(&self, css: &str) {
        let element = self.find(css);
        self.command("POST", &format!("/element/{element}/click"), None);
    }

    fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.command("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn cookie(&self, name: &str) -> Option<Value> {
        self.command("GET", "/cookie", None)
            .as_array()
            .unwrap()
            .iter()
            .find(|cookie| cookie["name"] == name)
            .cloned()
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .call("DELETE", &format!("/session/{}", self.session), None);
    }
}

/// A `redis-server` of this test's own, on a Unix socket, where one is installed.
struct Redis {
    _process: Process,
    dir: tempdir::Dir,
}

impl Redis {
    fn start() -> Option<Self> {
        let server = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
            .iter()
            .map(PathBuf::from)
            .find(|path| path.exists())?;
        let dir =
            std::env::temp_dir().join(format!("spotify-web-browser-redis-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let process = Command::new(server)
            .args([
                "--port",
                "0",
                "--save",
                "",
                "--appendonly",
                "no",
                "--unixsocket",
            ])
            .arg(dir.join("redis.sock"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let redis = Self {
            _process: Process(process),
            dir: tempdir::Dir(dir),
        };
        let started = Instant::now();
        while redis::Client::open(redis.url())
            .and_then(|c| c.get_connection())
            .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c))
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(redis)
    }

    fn url(&self) -> String {
        format!("redis+unix://{}", self.dir.0.join("redis.sock").display())
    }
}

#[test]
fn two_users_sign_in_at_once_in_chromium_and_each_sees_their_own_profile() {
    let Some(chromium) = installed(
        "chromium",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    ) else {
        return;
    };
    let Some(chromedriver) = installed("chromedriver", &["/usr/bin/chromedriver"]) else {
        return;
    };
    let redis = Redis::start();
    assert!(
        redis.is_some() || std::env::var_os("SPOTIFY_WEB_REDIS_REQUIRED").is_none(),
        "redis-server is not installed, but .ci/run installed it"
    );
    let emulator = Emulator::builder().sign_in_page(true).start().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Two instances of the app (sharing Redis, where there is one), each on its own port.
    let ports = [free_port(), free_port()];
    let instances: Vec<SocketAddr> = ports
        .iter()
        .map(|port| {
            let settings = Settings {
                client_id: emulator.client_id().into(),
                accounts_url: emulator.accounts_url().into(),
                api_url: emulator.api_url().into(),
                public_url: format!("http://127.0.0.1:{port}"),
                redis_url: redis.as_ref().map(Redis::url),
                redis_prefix: "browser-test".into(),
            };
            runtime.block_on(async {
                let app = App::new(settings).await.unwrap();
                start(app, SocketAddr::from((Ipv4Addr::LOCALHOST, *port)))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let driver = Driver::start(&chromedriver);
    std::thread::scope(|scope| {
        let signing_in: Vec<_> = DEMO_USERS
            .iter()
            .enumerate()
            .map(|(i, (id, name))| {
                let (driver, chromium, instances) = (&driver, &chromium, &instances);
                scope.spawn(move || {
                    let browser = Browser::open(driver, chromium, id);
                    browser.go(&format!("http://{}/", instances[0]));
                    browser.click("#login");
                    // On the emulator's sign-in page: pick the user, agree.
                    browser.find("#agree");
                    let state = browser
                        .cookie("spotify_auth_state")
                        .expect("the state cookie");
                    assert_eq!(state["httpOnly"], true, "{state}");
                    assert_eq!(state["sameSite"], "Lax", "{state}");
                    browser.click(&format!("#account-{id}"));
                    browser.click("#agree");
                    assert_eq!(browser.text("#name"), *name, "user {i}");
                    let session = browser.cookie("sid").expect("the session cookie");
                    assert_eq!(session["httpOnly"], true, "{session}");
                    assert_eq!(session["sameSite"], "Lax", "{session}");
                    assert!(
                        browser.cookie("spotify_auth_state").is_none(),
                        "the state cookie stays"
                    );
                    assert!(!browser.text("#top-artists").is_empty());
                    assert_eq!(browser.text("#country"), "SE");
                    browser
                })
            })
            .collect();
        let browsers: Vec<Browser<'_>> =
            signing_in.into_iter().map(|t| t.join().unwrap()).collect();
        for (browser, (_, name)) in browsers.iter().zip(DEMO_USERS) {
            if redis.is_some() {
                // The other instance serves the same user from what Redis holds.
                browser.go(&format!("http://{}/", instances[1]));
                assert_eq!(browser.text("#name"), name);
            }
            // Signing out forgets this user only.
            browser.click("#logout");
            browser.find("#login");
        }
    });
    assert_eq!(
        emulator.requests(Route::Token),
        2,
        "one code exchange per user, no renewal"
    );
}
