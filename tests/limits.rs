//! Limits on input (issue 7): a huge page, a deeply nested or alias-bomb YAML in front matter,
//! site.yaml, i18n and schema files, a deeply nested GeoJSON outline — each is a clear error naming
//! the file, found quickly and with little memory; the build exits non-zero and leaves the previous
//! output untouched. A 10 MB line of Markdown builds, in linear time.
//!
//! The inputs are generated here; nothing big lives in the repository. Every build runs as a child
//! process under a deadline, and under `/usr/bin/time -f %M` (peak memory of the child in KB) when
//! that exists; without it the memory assertions are skipped with a note.

mod common;
use common::{Fixture, page};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Debug builds; a refused input needs well under a second, so this only catches hangs.
const DEADLINE: Duration = Duration::from_secs(20);
/// A refused input is reported before it is parsed: the binary's own footprint is ~60 MB.
const MAX_KB_REFUSED: u64 = 200 * 1024;

struct Run {
    ok: bool,
    stderr: String,
    took: Duration,
    /// Peak resident memory of the build in KB, when `/usr/bin/time` could measure it.
    peak_kb: Option<u64>,
}

/// Builds `f` as a child process; panics when it runs longer than `deadline`.
fn build_timed(f: &Fixture, deadline: Duration) -> Run {
    let time = Path::new("/usr/bin/time");
    let measure = time.exists();
    let mut cmd = if measure {
        let mut c = Command::new(time);
        c.args(["-f", "peak-kb=%M", env!("CARGO_BIN_EXE_lotse")]);
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_lotse"))
    };
    cmd.env("SOURCE_DATE_EPOCH", "1795000000")
        .args(["build", "--source"])
        .arg(f.path())
        .arg("--output")
        .arg(f.out())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("run lotse");
    // Read stderr on a thread so a chatty child cannot block on a full pipe.
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut pipe, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for lotse") {
            break status;
        }
        if start.elapsed() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("the build took more than {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    let mut stderr = reader.join().unwrap();
    let mut peak_kb = None;
    if measure && let Some(i) = stderr.rfind("peak-kb=") {
        peak_kb = stderr[i + 8..].trim().parse().ok();
        stderr.truncate(i);
    }
    eprintln!("build took {took:?}, peak memory {}", peak_kb.map(|k| format!("{} MB", k / 1024)).unwrap_or("not measured (no /usr/bin/time)".into()));
    Run { ok: status.success(), stderr, took, peak_kb }
}

/// Builds a good site, breaks it with `files`, builds again under the deadline and returns the
/// report, after checking the exit, the untouched output, the time and the memory.
fn refused(files: &[(&str, Vec<u8>)]) -> String {
    let (f, before) = common::built_then_changed(&files.iter().map(|(p, b)| (*p, b.as_slice())).collect::<Vec<_>>());
    let run = build_timed(&f, DEADLINE);
    assert!(!run.ok, "the build must fail:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(f.read("de/index.html"), before, "the previous output is untouched");
    match run.peak_kb {
        Some(kb) => assert!(kb < MAX_KB_REFUSED, "peak memory {kb} KB for a refused input"),
        None => eprintln!("note: /usr/bin/time is missing, memory not checked"),
    }
    assert!(run.took < DEADLINE);
    run.stderr
}

fn assert_reports(stderr: &str, needles: &[&str]) {
    for n in needles {
        assert!(stderr.contains(n), "expected `{n}` in:\n{stderr}");
    }
}

/// `levels` nested flow sequences: `[[[…]]]`.
fn nested(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

/// The "billion laughs": nine levels of anchors, each alias list repeating the one before nine times.
fn laughs() -> String {
    let mut y = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        y += &format!("{}: &{} [{}]\n", w[1], w[1], vec![format!("*{}", w[0]); 9].join(", "));
    }
    y
}

#[test]
fn a_50_mb_page_is_refused_before_it_is_read() {
    let para = "Sie haben das Recht auf einen Sprachkurs. Fragen Sie im Jobcenter nach.\n\n";
    let body = para.repeat(50 * 1024 * 1024 / para.len() + 1);
    let e = refused(&[("content/arbeit/gross.de.md", page("Groß", &body).into_bytes())]);
    assert_reports(&e, &["content/arbeit/gross.de.md", "the file is 50.0 MB; pages may be at most 10 MB", "hint: split it into several pages, or put the material in a download"]);
}

#[test]
fn front_matter_nested_10000_levels_deep() {
    let fm = format!("---\ntitle: Tief\nx: {}\n---\nText\n", nested(10_000));
    let e = refused(&[("content/arbeit/tief.de.md", fm.into_bytes())]);
    assert_reports(&e, &["invalid YAML: nested more than 128 levels deep", "content/arbeit/tief.de.md:3:", "hint: write flat `key: value` lines"]);
}

#[test]
fn front_matter_alias_bomb() {
    let fm = format!("---\ntitle: Lachen\n{}---\nText\n", laughs());
    let e = refused(&[("content/arbeit/lachen.de.md", fm.into_bytes())]);
    assert_reports(&e, &["invalid YAML: its aliases (`*name`) repeat other values too often", "content/arbeit/lachen.de.md:4:1", "b: &b [*a, *a", "hint: write the values out"]);
}

#[test]
fn front_matter_over_64_kb() {
    let fm = format!("---\ntitle: Lang\ndescription: \"{}\"\n---\nText\n", "x".repeat(100 * 1024));
    let e = refused(&[("content/arbeit/lang.de.md", fm.into_bytes())]);
    assert_reports(&e, &["content/arbeit/lang.de.md:1:1", "the front matter is 100.0 KB; front matter may be at most 64 KB", "hint: front matter holds the title"]);
}

#[test]
fn site_yaml_alias_bomb_nesting_and_size() {
    // site.yaml and schemas are read into typed structs: serde_yaml refuses an alias or a nesting
    // at the first value of the wrong type, before its own limits are reached.
    let e = refused(&[("site.yaml", format!("{}{}", common::SITE_YAML, laughs()).into_bytes())]);
    assert_reports(&e, &["site.yaml:13:1", "unknown field `a`", "hint:"]);
    let e = refused(&[("site.yaml", format!("{}districts: {{ mitte: {} }}\n", common::SITE_YAML, nested(10_000)).into_bytes())]);
    assert_reports(&e, &["site.yaml:13:", "wrong kind of value: districts.mitte", "hint: `districts.mitte` takes `name: value` lines, not a list"]);
    let e = refused(&[("site.yaml", format!("{}# {}\n", common::SITE_YAML, "x".repeat(2 * 1024 * 1024)).into_bytes())]);
    assert_reports(&e, &["site.yaml", "the file is 2.0 MB; site.yaml files may be at most 1 MB", "hint:"]);
}

#[test]
fn i18n_alias_bomb_nesting_and_size() {
    let e = refused(&[("i18n/de.yaml", laughs().into_bytes())]);
    assert_reports(&e, &["i18n/de.yaml:2:1", "repeat other values too often", "hint: write the values out"]);
    let e = refused(&[("i18n/de.yaml", format!("x: {}\n", nested(10_000)).into_bytes())]);
    assert_reports(&e, &["i18n/de.yaml:1:", "nested more than 128 levels deep"]);
    let e = refused(&[("i18n/de.yaml", format!("x: \"{}\"\n", "x".repeat(3 * 1024 * 1024)).into_bytes())]);
    assert_reports(&e, &["i18n/de.yaml", "the file is 3.0 MB; i18n files may be at most 1 MB"]);
}

#[test]
fn schema_alias_bomb_nesting_and_size() {
    let e = refused(&[("themes/default/schemas/x.yaml", laughs().into_bytes())]);
    assert_reports(&e, &["themes/default/schemas/x.yaml:1:1", "unknown field `a`, expected `fields`", "hint:"]);
    let e = refused(&[("themes/default/schemas/x.yaml", format!("fields: {}\n", nested(10_000)).into_bytes())]);
    assert_reports(&e, &["themes/default/schemas/x.yaml:1:", "wrong kind of value: fields", "hint:"]);
    let e = refused(&[("themes/default/schemas/x.yaml", format!("# {}\n", "x".repeat(2 * 1024 * 1024)).into_bytes())]);
    assert_reports(&e, &["themes/default/schemas/x.yaml", "the file is 2.0 MB; schema files may be at most 1 MB"]);
}

#[test]
fn geojson_outline_nested_10000_levels_deep() {
    // serde_json stops at 128 levels by default.
    let json = format!("{{\"type\": \"Polygon\", \"coordinates\": {}}}", nested(10_000));
    let site = format!("{}map_outline: data/region.geojson\n", common::SITE_YAML);
    let e = refused(&[("site.yaml", site.into_bytes()), ("data/region.geojson", json.into_bytes())]);
    assert_reports(&e, &["data/region.geojson", "recursion limit exceeded", "hint:"]);
}

#[test]
fn a_10_mb_line_builds_in_linear_time() {
    // Phone numbers, e-mails and Latin names are wrapped by the bidi pass; the search analyzer and
    // pulldown-cmark see one 10 MB paragraph. Linear: ≈ 0.7 s per MB in a debug build.
    let sentence = "Rufen Sie 0711 123456 an oder schreiben Sie an info@example.org, Jobcenter Stuttgart. ";
    let line = sentence.repeat(10_000_000 / sentence.len());
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "Willkommen.")), ("content/zeile.de.md", &page("Zeile", &line))]);
    let run = build_timed(&f, Duration::from_secs(60));
    assert!(run.ok, "{}", run.stderr);
    assert!(f.read("de/zeile/index.html").contains("Jobcenter Stuttgart"));
    // ≈ 360 MB measured: the source, its HTML, the minified HTML and the search index of one page.
    if let Some(kb) = run.peak_kb {
        assert!(kb < 1024 * 1024, "peak memory {kb} KB for a 10 MB line");
    }
}
