//! External links: checked over HTTP, a few at a time per host, results cached with their age in
//! `.lotse-cache/links.json` so that CI runs do not ask the same servers again and again.
//!
//! * HEAD first; GET when the server refuses HEAD (400, 403, 405, 501).
//! * Redirects are followed (up to 10); a permanent one (301, 308) is a warning naming the new URL.
//! * 404, 410 and other 4xx, and a host that does not exist (DNS), are errors: the link is dead —
//!   unless no server answered at all in this run: then the machine is offline and they are warnings.
//! * 5xx and timeouts are tried once more and are then warnings: the server may only be down today.
//!   So are 401/403/429 (the server refuses robots, not the visitor) and other network failures
//!   (connection refused, TLS).
//! * Only answers that say something about the link are cached (ok, redirect, dead); warnings about
//!   the server (5xx, timeouts, refusals) are asked again on the next run.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub struct Options {
    /// Per request (connect, send, headers).
    pub timeout: Duration,
    /// Cached results younger than this are used as they are.
    pub max_age: Duration,
    /// At most this many requests to one host at a time.
    pub per_host: usize,
    /// Requests in flight over all hosts.
    pub jobs: usize,
    /// The cache file.
    pub cache: PathBuf,
}

/// What one URL turned out to be.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Ok,
    /// Ends well, but through a permanent redirect: `location` is where it ends.
    Moved,
    /// Dead (error).
    Dead,
    /// The server did not answer well today (warning; not cached).
    Unsure,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Result {
    pub kind: Kind,
    /// The last HTTP status, 0 when there was none.
    pub status: u16,
    /// Unix time of the check.
    pub checked_at: u64,
    /// The final URL of a redirect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// What went wrong, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    links: BTreeMap<String, Result>,
}

/// The results by URL, and how many were asked over the network and how many came from the cache.
pub struct Checked {
    pub results: BTreeMap<String, Result>,
    pub fetched: usize,
    pub cached: usize,
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The URL without its fragment: what is asked and cached.
pub fn cache_key(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

fn load_cache(path: &Path) -> CacheFile {
    std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

fn save_cache(path: &Path, cache: &CacheFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(cache).map_err(std::io::Error::other)?)?;
    std::fs::rename(tmp, path)
}

/// Checks `urls` (fragments dropped), using and refreshing the cache.
pub fn check(urls: &[String], opts: &Options) -> Checked {
    let mut cache = load_cache(&opts.cache);
    let t = now();
    let fresh = |r: &Result| r.kind != Kind::Unsure && t.saturating_sub(r.checked_at) < opts.max_age.as_secs();
    cache.links.retain(|_, r| fresh(r));
    let mut wanted: Vec<String> = urls.iter().map(|u| cache_key(u).to_string()).collect();
    wanted.sort();
    wanted.dedup();
    let mut results = BTreeMap::new();
    let mut todo = Vec::new();
    for u in wanted {
        match cache.links.get(&u) {
            Some(r) => {
                results.insert(u, r.clone());
            }
            None => todo.push(u),
        }
    }
    let cached = results.len();
    let fetched = todo.len();
    let mut fresh_results = fetch_all(todo, opts);
    // Not one server answered: the machine is offline (or has no DNS), the links are not dead.
    if !fresh_results.iter().any(|(_, r)| r.status > 0) {
        for (_, r) in fresh_results.iter_mut().filter(|(_, r)| r.kind == Kind::Dead) {
            r.kind = Kind::Unsure;
            r.detail = Some(format!("{}; no server answered at all: is this machine offline? (`--offline` skips external links)", r.detail.as_deref().unwrap_or("")));
        }
    }
    for (u, r) in fresh_results {
        if r.kind != Kind::Unsure {
            cache.links.insert(u.clone(), r.clone());
        }
        results.insert(u, r);
    }
    cache.version = 1;
    if let Err(e) = save_cache(&opts.cache, &cache) {
        eprintln!("warning: cannot write the link cache {}: {e}", opts.cache.display());
    }
    Checked { results, fetched, cached }
}

/// Per-host queues: a worker takes the next URL of a host with fewer than `per_host` requests running.
/// Per host its queue and the requests running; and how many URLs are left in all.
type Queues = (Vec<(VecDeque<String>, usize)>, usize);

struct Scheduler {
    state: Mutex<Queues>,
    ready: Condvar,
    per_host: usize,
}

impl Scheduler {
    fn next(&self) -> Option<(usize, String)> {
        let mut guard = self.state.lock().ok()?;
        loop {
            let (hosts, left) = &mut *guard;
            if *left == 0 {
                return None;
            }
            if let Some((i, (q, active))) = hosts.iter_mut().enumerate().find(|(_, (q, a))| !q.is_empty() && *a < self.per_host) {
                *active += 1;
                *left -= 1;
                return q.pop_front().map(|u| (i, u));
            }
            guard = self.ready.wait(guard).ok()?;
        }
    }

    fn done(&self, host: usize) {
        if let Ok(mut g) = self.state.lock() {
            g.0[host].1 -= 1;
        }
        self.ready.notify_all();
    }
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority.rsplit('@').next().unwrap_or(authority).to_ascii_lowercase()
}

fn fetch_all(urls: Vec<String>, opts: &Options) -> Vec<(String, Result)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let mut by_host: BTreeMap<String, VecDeque<String>> = BTreeMap::new();
    for u in &urls {
        by_host.entry(host_of(u)).or_default().push_back(u.clone());
    }
    let total = urls.len();
    let sched = Scheduler {
        state: Mutex::new((by_host.into_values().map(|q| (q, 0)).collect(), total)),
        ready: Condvar::new(),
        per_host: opts.per_host.max(1),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("Mozilla/5.0 (compatible; lotse-check/", env!("CARGO_PKG_VERSION"), ")"))
        .build()
        .into();
    let out = Mutex::new(Vec::with_capacity(total));
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1).min(total) {
            s.spawn(|| {
                while let Some((host, url)) = sched.next() {
                    let r = check_one(&agent, &url);
                    sched.done(host);
                    if let Ok(mut o) = out.lock() {
                        o.push((url, r));
                    }
                }
            });
        }
    });
    let mut out = out.into_inner().unwrap_or_default();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// One hop: the status and `Location`, or a network failure (`dns` true when the host does not exist).
enum Hop {
    Status(u16, Option<String>),
    Failed { message: String, dns: bool },
}

fn request(agent: &ureq::Agent, url: &str, get: bool) -> Hop {
    let resp = if get { agent.get(url).call() } else { agent.head(url).call() };
    match resp {
        Ok(r) => {
            let location = r.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
            Hop::Status(r.status().as_u16(), location)
        }
        Err(e) => {
            // A name that does not exist (EAI_NONAME), not a resolver that cannot be reached (EAI_AGAIN).
            let text = e.to_string();
            let dns = matches!(e, ureq::Error::HostNotFound)
                || ["Name or service not known", "nodename nor servname", "No such host is known", "No address associated"].iter().any(|m| text.contains(m));
            let timeout = matches!(e, ureq::Error::Timeout(_)) || matches!(&e, ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut);
            let message = if dns {
                "the host does not exist (DNS)".to_string()
            } else if timeout {
                "no answer in time".to_string()
            } else {
                text
            };
            Hop::Failed { message, dns }
        }
    }
}

/// `Location` resolved against the URL it came from.
fn join(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if let Some(r) = location.strip_prefix("//") {
        return format!("{scheme}://{r}");
    }
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = &rest[authority.len()..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    format!("{scheme}://{authority}{dir}{location}")
}

/// Follows one URL to its end; one more try for 5xx and timeouts.
fn check_one(agent: &ureq::Agent, url: &str) -> Result {
    let first = follow(agent, url);
    if first.kind == Kind::Unsure && (first.status >= 500 || first.detail.as_deref() == Some("no answer in time")) {
        std::thread::sleep(Duration::from_millis(300));
        return follow(agent, url);
    }
    first
}

fn follow(agent: &ureq::Agent, start: &str) -> Result {
    let mut url = start.to_string();
    let mut moved = false;
    let result = |kind, status, location: Option<String>, detail: Option<String>| Result { kind, status, checked_at: now(), location, detail };
    for _ in 0..=10 {
        let mut hop = request(agent, &url, false);
        if let Hop::Status(400 | 403 | 405 | 501, _) = hop {
            hop = request(agent, &url, true);
        }
        match hop {
            Hop::Failed { message, dns } => {
                return result(if dns { Kind::Dead } else { Kind::Unsure }, 0, None, Some(message));
            }
            Hop::Status(status, location) if (300..400).contains(&status) && status != 304 => {
                let Some(location) = location else {
                    return result(Kind::Unsure, status, None, Some(format!("redirect {status} without a Location")));
                };
                if matches!(status, 301 | 308) {
                    moved = true;
                }
                url = join(&url, &location);
            }
            Hop::Status(status, _) => {
                let (kind, detail) = match status {
                    200..=299 | 304 => (if moved { Kind::Moved } else { Kind::Ok }, None),
                    401 | 403 | 429 => (Kind::Unsure, Some(format!("the server refused the check ({status})"))),
                    400..=499 => (Kind::Dead, Some(format!("HTTP {status}"))),
                    _ => (Kind::Unsure, Some(format!("HTTP {status}"))),
                };
                let location = (moved || url != start).then(|| url.clone());
                return result(kind, status, location, detail);
            }
        }
    }
    result(Kind::Unsure, 0, None, Some("more than 10 redirects".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_locations() {
        assert_eq!(join("http://a.b/x/y?q", "/z"), "http://a.b/z");
        assert_eq!(join("http://a.b/x/y", "z"), "http://a.b/x/z");
        assert_eq!(join("http://a.b", "z"), "http://a.b/z");
        assert_eq!(join("https://a.b/x", "//c.d/e"), "https://c.d/e");
        assert_eq!(join("http://a.b/x", "https://c.d/"), "https://c.d/");
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://User@Example.org:8080/x?y"), "example.org:8080");
    }
}
