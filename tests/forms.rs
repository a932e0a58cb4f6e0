//! Submission forms (`form: <type>`): the Netlify markup, fields from the schema with labels bound to
//! inputs and choices in the reader's language, an unknown type as an error with a hint; and
//! `scripts/submission-to-file.py` turning a submission into a pending entry that builds and stays
//! unpublished.

mod common;
use common::{Fixture, has_attr, page};
use regex::Regex;
use std::process::Command;

fn fixture() -> Fixture {
    Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/boerse/_index.de.md", "---\ntitle: Börse\ntype: exchange\n---\nBiete und suche.\n"),
        ("content/boerse/kinderwagen.de.md", "---\ntitle: Kinderwagen gesucht\nkind: need\nwhat: goods\ndistrict: bergheim\ncontact: a@example.org\n---\nFür Zwillinge.\n"),
        ("content/mitmachen/_index.de.md", &page("Mitmachen", "Machen Sie mit.")),
        ("content/mitmachen/melden.de.md", "---\ntitle: Hilfe anbieten oder suchen\nform: exchange\n---\nFüllen Sie das Formular aus.\n"),
        ("content/mitmachen/melden.ar.md", "---\ntitle: تقديم المساعدة أو طلبها\nform: exchange\n---\nاملأ النموذج.\n"),
        ("content/mitmachen/termin.de.md", "---\ntitle: Veranstaltung melden\nform: event\n---\nIhr Termin.\n"),
        ("content/mitmachen/danke.de.md", &page("Danke", "Ihre Meldung ist angekommen.")),
        ("content/mitmachen/danke.ar.md", &page("شكرًا", "وصل إرسالك.")),
    ])
}

/// The `<form …>…</form>` of a page.
fn form_of(html: &str) -> &str {
    let start = html.find("data-netlify").and_then(|i| html[..i].rfind("<form")).expect("a Netlify form");
    let end = html[start..].find("</form>").expect("form closed") + start + "</form>".len();
    &html[start..end]
}

/// The built-in names of a `*_names` map in a language.
fn names(lang: &str, map: &str) -> Vec<String> {
    let text = std::fs::read_to_string(format!("{}/i18n/{lang}.yaml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let y: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    y[map].as_mapping().unwrap().values().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// Every visible control has a label whose `for` names its id, and every `for` names a control.
fn assert_labels_bound(form: &str) {
    let ids: Vec<String> = Regex::new(r#"<(?:input|select|textarea)[^>]*?\bid="?([^" >]+)"#).unwrap().captures_iter(form).map(|c| c[1].to_string()).collect();
    let fors: Vec<String> = Regex::new(r#"<label[^>]*?\bfor="?([^" >]+)"#).unwrap().captures_iter(form).map(|c| c[1].to_string()).collect();
    for f in &fors {
        assert!(ids.contains(f), "label for={f} names no control: {form}");
    }
    for id in &ids {
        assert!(fors.contains(id), "control id={id} has no label: {form}");
    }
    // A control without id is a checkbox inside its own label (a fieldset of choices), or hidden.
    for c in Regex::new(r"<(?:input|select|textarea)[^>]*>").unwrap().find_iter(form) {
        let c = c.as_str();
        assert!(c.contains(" id=") || c.contains("type=hidden") || c.contains("type=checkbox"), "unlabelled control {c}");
    }
}

#[test]
fn an_exchange_form_is_netlify_markup_with_the_schemas_fields() {
    let f = fixture();
    f.build_ok();
    let html = f.read("de/mitmachen/melden/index.html");
    let form = form_of(&html);
    for (name, value) in [("data-netlify", "true"), ("netlify-honeypot", "bot-field"), ("name", "exchange"), ("method", "POST"), ("action", "/de/mitmachen/danke/")] {
        assert!(has_attr(form, name, value), "{name}={value}: {form}");
    }
    assert!(Regex::new(r"<input[^>]*name=form-name[^>]*>").unwrap().find(form).is_some_and(|m| m.as_str().contains("type=hidden") && m.as_str().contains("value=exchange")), "{form}");
    assert!(form.contains("name=bot-field") && form.contains("class=form-hp"), "honeypot: {form}");
    // title, description, the schema's fields (not the editorial `status`), consent
    for field in ["title", "description", "kind", "what", "district", "contact", "consent"] {
        let control = Regex::new(&format!(r"<(input|select|textarea)[^>]*name={field}[ >][^>]*>")).unwrap();
        let m = control.find(form).unwrap_or_else(|| panic!("no field {field}: {form}"));
        assert!(m.as_str().contains("required"), "{field} is required: {}", m.as_str());
    }
    assert!(!form.contains("name=status"), "status is the editors': {form}");
    assert!(Regex::new(r"<select[^>]*name=kind").unwrap().is_match(form) && Regex::new(r"<select[^>]*name=district").unwrap().is_match(form));
    assert!(form.contains("<option value=offer>Biete</option>") && form.contains("<option value=need>Suche</option>"), "{form}");
    assert!(form.contains("<option value=bergheim>Bergheim</option>"), "districts from i18n: {form}");
    assert!(form.contains("<label for=form-kind>Art") && form.contains("<label for=form-contact>Kontakt"), "labels from i18n: {form}");
    assert!(form.contains("<fieldset>") && form.contains("<legend>"), "{form}");
    assert_labels_bound(form);
    // CSP: nothing inline
    assert!(!form.contains("style=") && !form.contains("<script") && !Regex::new(r"\son[a-z]+=").unwrap().is_match(form), "{form}");
    assert!(html.find("Füllen Sie das Formular aus").unwrap() < html.find("data-netlify").unwrap(), "the form is under the text");
}

#[test]
fn the_form_speaks_the_readers_language() {
    let f = fixture();
    f.build_ok();
    let form = f.read("ar/mitmachen/melden/index.html");
    let form = form_of(&form);
    assert!(has_attr(form, "action", "/ar/mitmachen/danke/") && has_attr(form, "name", "exchange"), "{form}");
    for name in names("ar", "exchange_kind_names").iter().chain(&names("ar", "exchange_what_names")) {
        assert!(form.contains(&format!(">{name}</option>")), "option {name}: {form}");
    }
    assert!(form.contains("type=hidden value=ar") || form.contains("name=lang type=hidden value=ar"), "{form}");
    assert_labels_bound(form);
    // English has no page of its own: the German page is shown, its form in English
    let en = f.read("en/mitmachen/melden/index.html");
    let en = form_of(&en);
    assert!(en.contains(">Looking for</option>") && en.contains("I agree that the editors review and publish this entry"), "{en}");
}

#[test]
fn an_event_form_asks_for_dates_and_target_groups() {
    let f = fixture();
    f.build_ok();
    let html = f.read("de/mitmachen/termin/index.html");
    let form = form_of(&html);
    assert!(has_attr(form, "name", "event"));
    let start = Regex::new(r"<input[^>]*name=start[^>]*>").unwrap().find(form).expect("start").as_str();
    assert!(start.contains("type=datetime-local") && start.contains("required"), "{start}");
    let end = Regex::new(r"<input[^>]*name=end[^>]*>").unwrap().find(form).expect("end").as_str();
    assert!(end.contains("type=datetime-local") && !end.contains("required"), "{end}");
    assert!(form.contains("type=url") && form.contains("name=online"), "{form}");
    assert!(form.contains("<fieldset class=choices><legend>") && form.contains("name=target_groups"), "{form}");
    assert!(!form.contains("name=repeat") && !form.contains("name=timezone"), "{form}");
    assert_labels_bound(form);
}

#[test]
fn an_unknown_form_type_is_an_error_with_a_hint() {
    let f = fixture();
    f.write("content/mitmachen/termin.de.md", "---\ntitle: Veranstaltung melden\nform: evnt\n---\nIhr Termin.\n");
    let o = f.build();
    assert!(!o.ok);
    assert!(o.stderr.contains("there is no content type `evnt` for `form:`"), "{}", o.stderr);
    assert!(o.stderr.contains("content/mitmachen/termin.de.md:3:1"), "{}", o.stderr);
    assert!(o.stderr.contains("did you mean `form: event`?"), "{}", o.stderr);
}

const SUBMISSIONS: &str = r#"[
 {"id": "65f1a2b3c4d5e6f7a8b9c0d1", "number": 7, "form_name": "exchange", "created_at": "2026-11-10T09:12:44.123Z",
  "data": {"form-name": "exchange", "lang": "de", "bot-field": "", "title": "Kinderfahrrad abzugeben: 20 Zoll",
           "description": "Gut erhalten, <b>blau</b>.\nAbholung in Bergheim.", "kind": "offer", "what": "goods",
           "district": "bergheim", "contact": "mail: rad@example.org", "consent": "yes", "ip": "192.0.2.1"}},
 {"id": "x2", "form_name": "exchange", "data": {"bot-field": "cheap pills", "title": "Spam", "description": "x",
           "kind": "offer", "what": "goods", "district": "bergheim", "contact": "x", "consent": "yes"}},
 {"id": "abc12345zz", "form_name": "exchange", "created_at": "2026-11-11T10:00:00Z",
  "data": {"lang": "ar", "title": "أبحث عن غسالة", "description": "لعائلة من خمسة أشخاص.", "kind": "need",
           "what": "goods", "district": "bergheim", "contact": "0151 2345678", "consent": "yes"}}
]"#;

#[test]
fn the_script_turns_a_submission_into_a_pending_entry_that_builds_unpublished() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed, scripts/submission-to-file.py is not tested");
        return;
    }
    let f = fixture();
    f.write("submissions.json", SUBMISSIONS);
    let script = format!("{}/scripts/submission-to-file.py", env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("python3").arg(&script).arg("--site").arg(f.path()).arg(f.path().join("submissions.json")).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "one submission skipped: {stderr}");
    assert!(stderr.contains("x2") && stderr.contains("honeypot"), "{stderr}");
    let de = std::fs::read_to_string(f.path().join("content/boerse/kinderfahrrad-abzugeben-20-zoll.de.md")).expect("German entry written");
    assert!(de.contains("status: pending") && de.contains("kind: offer") && de.contains("district: bergheim"), "{de}");
    assert!(de.contains("title: \"Kinderfahrrad abzugeben: 20 Zoll\"") && de.contains("date: 2026-11-10"), "{de}");
    assert!(!de.contains("<b>") && !de.contains("192.0.2.1"), "no raw HTML, no IP address: {de}");
    let ar = std::fs::read_to_string(f.path().join("content/boerse/eintrag-abc12345.ar.md")).expect("Arabic entry written");
    assert!(ar.contains("status: pending") && ar.contains("kind: need"), "{ar}");

    // The entries pass every check of the build, and nothing of them is published.
    f.build_ok();
    for lang in ["de", "en", "ar", "fa", "ls"] {
        assert!(!f.exists(&format!("{lang}/boerse/kinderfahrrad-abzugeben-20-zoll/index.html")), "pending entry published in {lang}");
        assert!(!f.exists(&format!("{lang}/boerse/eintrag-abc12345/index.html")), "pending entry published in {lang}");
        assert!(!f.read(&format!("{lang}/boerse/index.html")).contains("Kinderfahrrad"));
    }
    assert!(f.exists("de/boerse/kinderwagen/index.html"));

    // A second run does not overwrite: the same title gets a new name.
    let again = Command::new("python3").arg(&script).arg("--site").arg(f.path()).arg(f.path().join("submissions.json")).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("kinderfahrrad-abzugeben-20-zoll-2.de.md"));

    // After review (`status: open`) the entry is published.
    std::fs::write(f.path().join("content/boerse/kinderfahrrad-abzugeben-20-zoll.de.md"), de.replace("status: pending", "status: open")).unwrap();
    f.build_ok();
    assert!(f.read("de/boerse/kinderfahrrad-abzugeben-20-zoll/index.html").contains("&lt;b>blau&lt;/b>") || f.read("de/boerse/kinderfahrrad-abzugeben-20-zoll/index.html").contains("&lt;b&gt;blau"));
}
