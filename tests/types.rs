//! Content types: fixtures of every type built with the real binary, asserting on the HTML, the
//! `.ics` (parsed back), the JSON-LD (parsed), the map, matching, expiry and moderation; and one test
//! per schema error. "Today" is 2026-11-18 (SOURCE_DATE_EPOCH in `common`).

mod common;
use common::{Fixture, page};

fn fixture() -> Fixture {
    Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/orte/_index.de.md", "---\ntitle: Orte\ntype: place\n---\nAnlaufstellen.\n"),
        ("content/orte/caritas.de.md", "---\ntitle: Caritas <Beratung>\ncategories: [counselling]\naddress: { street: Bahnhofstraße 12, postal_code: \"98765\", city: Talbach, district: talbach-mitte }\ngeo: { lat: 50.9763, lon: 11.0312 }\nphone: +49 361 555-0140\nemail: migration@caritas.example.org\nopening_hours: \"Mo-Fr 09:00-12:00; Th 14:00-18:00\"\nlanguages: [de, ar]\ntarget_groups: [refugees]\nstep_free: true\ncontacts:\n  - { name: Samira Haddad, role: Beratung, phone: +49 361 555-0141 }\n---\nBeratung im Erdgeschoss.\n"),
        ("content/orte/caritas.ar.md", "---\ntitle: كاريتاس\n---\nاستشارة.\n"),
        ("content/orte/tafel.de.md", "---\ntitle: Tafel\naddress: { city: Bergheim, district: bergheim }\ngeo: { lat: 50.99, lon: 11.08 }\n---\nLebensmittel.\n"),
        ("content/termine/_index.de.md", "---\ntitle: Termine\ntype: event\n---\nKalender.\n"),
        ("content/termine/sprachcafe.de.md", "---\ntitle: Sprachcafé; Treff, offen\nstart: 2026-11-19 18:00\nend: 2026-11-19 20:00\nrepeat: { freq: weekly, until: 2027-03-31, except: [2026-12-24, 2026-12-31] }\nplace: \"@/orte/caritas.md\"\ncategories: [language]\n---\nDeutsch üben.\n"),
        ("content/termine/vorbei.de.md", "---\ntitle: Vergangener Abend\nstart: 2026-03-01 18:00\n---\nWar schön.\n"),
        ("content/termine/online.de.md", "---\ntitle: Online-Info\nstart: 2027-01-15 10:00\nend: 2027-01-15 11:00\nonline: https://meet.example.org/info\n---\nPer Video.\n"),
        ("content/jobs/_index.de.md", "---\ntitle: Jobs\ntype: job\n---\nStellen.\n"),
        ("content/jobs/kueche.de.md", "---\ntitle: Küchenhilfe\nemployer: Lindenhof\naddress: { city: Talbach }\nemployment: part_time\nlanguage_level: A2\nvalid_through: 2027-03-31\napply: Per E-Mail.\n---\nKochen.\n"),
        ("content/jobs/alt.de.md", "---\ntitle: Abgelaufene Stelle\nemployer: Alt GmbH\nemployment: full_time\nvalid_through: 2026-10-31\napply: Zu spät.\n---\nVorbei.\n"),
        ("content/boerse/_index.de.md", "---\ntitle: Börse\ntype: exchange\n---\nBiete und suche.\n"),
        ("content/boerse/kinderwagen-gesucht.de.md", "---\ntitle: Kinderwagen gesucht\nkind: need\nwhat: goods\ndistrict: talbach-nord\ncontact: a@example.org\ncategories: [donations]\n---\nFür Zwillinge.\n"),
        ("content/boerse/kinderwagen-abzugeben.de.md", "---\ntitle: Kinderwagen abzugeben\nkind: offer\nwhat: goods\ndistrict: bergheim\ncontact: b@example.org\ncategories: [donations]\n---\nGut erhalten.\n"),
        ("content/boerse/weit-weg.de.md", "---\ntitle: Kinderwagen in Rodach\nkind: offer\nwhat: goods\ndistrict: rodach\ncontact: c@example.org\ncategories: [donations]\n---\nZu weit.\n"),
        ("content/boerse/geheim.de.md", "---\ntitle: Noch nicht geprüft\nkind: offer\nwhat: time\ndistrict: bergheim\ncontact: d@example.org\nstatus: pending\n---\nWartet.\n"),
        ("content/materialien/_index.de.md", "---\ntitle: Materialien\ntype: material\n---\nDownloads.\n"),
        ("content/materialien/leitfaden.de.md", "---\ntitle: Leitfaden\nfile: leitfaden.pdf\nlanguages: [de]\n---\nZum Lesen.\n"),
        ("content/links/_index.de.md", "---\ntitle: Links\ntype: link\n---\nAdressen.\n"),
        ("content/links/bamf.de.md", "---\ntitle: BAMF\nurl: https://www.bamf.de/\ncategories: [asylum]\n---\nBundesamt.\n"),
        ("content/links/arbeit.de.md", "---\ntitle: Arbeitsagentur\nurl: https://www.arbeitsagentur.de/\ncategories: [work]\n---\nJobs.\n"),
        ("site.yaml", &format!("{}timezone: Europe/Berlin\ndistricts:\n  talbach-mitte: {{ near: [talbach-nord] }}\n  talbach-nord: {{ near: [talbach-mitte, bergheim] }}\n  bergheim: {{ near: [talbach-nord] }}\n  rodach: {{ near: [] }}\nmap_outline: region.geojson\n", common::SITE_YAML)),
        ("region.geojson", r#"{"type":"Polygon","coordinates":[[[10.95,50.9],[11.15,50.9],[11.15,51.05],[10.95,51.05],[10.95,50.9]]]}"#),
    ])
}

fn built() -> Fixture {
    let f = fixture();
    f.write_bytes("content/materialien/leitfaden.pdf", &vec![b'x'; 1_234_567]);
    f.build_ok();
    f
}

#[test]
fn a_place_shows_its_facts_in_the_readers_language() {
    let f = built();
    let de = f.read("de/orte/caritas/index.html");
    assert!(de.contains("class=hours"), "{de}");
    // OSM semantics: the Thursday rule replaces Thursday morning
    assert!(de.contains(">Mo–Mi<") && de.contains(">Do<") && de.contains("09:00–12:00") && de.contains("14:00–18:00"), "{de}");
    assert!(de.contains("href=tel:+493615550140") || de.contains("href=\"tel:+493615550140\""), "{de}");
    assert!(de.contains("mailto:migration@caritas.example.org"));
    assert!(de.contains("geo:50.9763") && de.contains("openstreetmap.org"));
    assert!(de.contains("Talbach-Mitte") && de.contains("Samira Haddad") && de.contains("Arabisch"), "{de}");
    assert!(de.contains("Caritas &lt;Beratung>") || de.contains("Caritas &lt;Beratung&gt;"), "title escaped");
    // the Arabic translation has only a title and text: the facts come from the German file
    let ar = f.read("ar/orte/caritas/index.html");
    assert!(ar.contains("كاريتاس") && ar.contains("class=hours") && ar.contains("555-0140"), "{ar}");
    assert!(ar.contains("تالباخ"), "district named in Arabic: {ar}");
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("application/ld+json").expect("JSON-LD present");
    let from = html[start..].find('>').unwrap() + start + 1;
    let to = html[from..].find("</script>").unwrap() + from;
    serde_json::from_str(&html[from..to]).expect("JSON-LD parses")
}

#[test]
fn json_ld_for_places_events_and_jobs_parses_and_cannot_break_out() {
    let f = built();
    let place = json_ld(&f.read("de/orte/caritas/index.html"));
    assert_eq!(place["@type"], "Place");
    assert_eq!(place["name"], "Caritas <Beratung>");
    assert!(!f.read("de/orte/caritas/index.html").contains("<Beratung></script>"));
    assert_eq!(place["address"]["postalCode"], "98765");
    let job = json_ld(&f.read("de/jobs/kueche/index.html"));
    assert_eq!(job["@type"], "JobPosting");
    assert_eq!(job["employmentType"], "PART_TIME");
    assert_eq!(job["validThrough"], "2027-03-31");
    assert_eq!(job["hiringOrganization"]["name"], "Lindenhof");
    let ev = json_ld(&f.read("de/termine/sprachcafe/index.html"));
    assert_eq!(ev["@type"], "Event");
    assert_eq!(ev["startDate"], "2026-11-19T18:00");
    let online = json_ld(&f.read("de/termine/online/index.html"));
    assert_eq!(online["location"]["@type"], "VirtualLocation");
}

#[test]
fn the_list_of_places_has_a_map_with_a_marker_per_place() {
    let f = built();
    let list = f.read("de/orte/index.html");
    assert!(list.contains("<svg"), "{list}");
    assert_eq!(list.matches("class=map-marker").count() + list.matches("class=\"map-marker\"").count(), 2, "{list}");
    assert!(list.contains("map-outline"));
}

#[test]
fn events_ics_per_event_and_per_language_parse_back() {
    let f = built();
    let ics = f.read("de/termine/sprachcafe/event.ics");
    assert!(ics.contains("\r\n") && !ics.replace("\r\n", "").contains('\n'), "CRLF only");
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"));
    for l in ics.split("\r\n") {
        assert!(l.len() <= 75, "folded at 75 octets: {l}");
    }
    let prop = |name: &str| lines.iter().find(|l| l.starts_with(name)).map(|l| l.to_string()).unwrap_or_default();
    assert_eq!(prop("DTSTART;"), "DTSTART;TZID=Europe/Berlin:20261119T180000");
    assert!(prop("RRULE:FREQ=WEEKLY").starts_with("RRULE:FREQ=WEEKLY;UNTIL=2027"), "{}", prop("RRULE:FREQ=WEEKLY"));
    assert!(prop("EXDATE").contains("20261224T180000"), "{}", prop("EXDATE"));
    assert_eq!(prop("SUMMARY"), "SUMMARY:Sprachcafé\\; Treff\\, offen");
    assert!(lines.contains(&"BEGIN:VTIMEZONE") && lines.contains(&"TZID:Europe/Berlin"));
    assert!(prop("LOCATION").contains("Bahnhofstraße 12"), "the place's address");
    let feed = f.read("de/calendar.ics");
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 3, "every event, past ones too, in the subscribable feed");
}

#[test]
fn past_events_and_expired_jobs_leave_the_lists_but_keep_their_page() {
    let f = built();
    let events = f.read("de/termine/index.html");
    assert!(events.contains("Sprachcafé") && events.contains("Online-Info"));
    assert!(!events.contains("Vergangener Abend"), "{events}");
    assert!(events.contains("November 2026") && events.contains("Januar 2027"), "grouped by month: {events}");
    assert!(events.find("Sprachcafé").unwrap() < events.find("Online-Info").unwrap(), "by date");
    assert!(f.read("de/termine/vorbei/index.html").contains("Dieser Termin ist vorbei"));
    let sprachcafe = f.read("de/termine/sprachcafe/index.html");
    assert!(sprachcafe.contains("jede Woche") && sprachcafe.contains("26. November 2026"), "next dates: {sprachcafe}");
    let jobs = f.read("de/jobs/index.html");
    assert!(jobs.contains("Küchenhilfe") && !jobs.contains("Abgelaufene Stelle"), "{jobs}");
    assert!(f.read("de/jobs/alt/index.html").contains("nicht mehr ausgeschrieben"));
}

#[test]
fn the_exchange_matches_needs_and_offers_and_never_publishes_pending_entries() {
    let f = built();
    let need = f.read("de/boerse/kinderwagen-gesucht/index.html");
    assert!(need.contains("Passende Angebote") && need.contains("Kinderwagen abzugeben"), "{need}");
    assert!(!need.contains("Kinderwagen in Rodach"), "not a neighbouring district");
    let offer = f.read("de/boerse/kinderwagen-abzugeben/index.html");
    assert!(offer.contains("Kinderwagen gesucht"), "{offer}");
    assert!(!f.exists("de/boerse/geheim/index.html"), "pending entries are never published");
    for file in walk(&f.out()) {
        let text = std::fs::read(&file).unwrap();
        assert!(!String::from_utf8_lossy(&text).contains("Noch nicht geprüft"), "{}", file.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir).into_iter().flatten().filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect()
}

#[test]
fn materials_show_type_and_size_and_links_are_grouped() {
    let f = built();
    let m = f.read("de/materialien/leitfaden/index.html");
    assert!(m.contains("PDF, 1.2 MB") || m.contains("PDF, 1,2 MB"), "{m}");
    assert!(f.exists("materialien/leitfaden.pdf"));
    let links = f.read("de/links/index.html");
    let (asyl, arbeit) = (links.find("Asyl").expect("group heading"), links.find("Arbeit").expect("group heading"));
    assert!(links.find("BAMF").unwrap() > asyl && links.find("Arbeitsagentur").unwrap() > arbeit, "{links}");
}

/// Builds the fixture with one file replaced and returns the report.
fn broken(path: &str, text: &str) -> String {
    let f = fixture();
    f.write_bytes("content/materialien/leitfaden.pdf", b"%PDF");
    f.write(path, text);
    let out = f.build();
    assert!(!out.ok, "must fail");
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out.stderr
}

fn assert_reports(stderr: &str, needles: &[&str]) {
    for n in needles {
        assert!(stderr.contains(n), "expected `{n}` in:\n{stderr}");
    }
}

#[test]
fn schema_error_missing_required_field() {
    let e = broken("content/jobs/x.de.md", "---\ntitle: X\nemployer: Y\nvalid_through: 2027-01-01\napply: Z\n---\n");
    assert_reports(&e, &["content/jobs/x.de.md:2:1", "`type: job` needs the field `employment`", "hint: add a line `employment: full_time`"]);
}

#[test]
fn schema_error_enum_value_with_did_you_mean() {
    let e = broken("content/jobs/x.de.md", "---\ntitle: X\nemployer: Y\nemployment: parttime\nvalid_through: 2027-01-01\napply: Z\n---\n");
    assert_reports(&e, &["content/jobs/x.de.md:4:1", "`employment` must be one of", "did you mean `part_time`?"]);
}

#[test]
fn schema_error_unknown_field_with_did_you_mean() {
    let e = broken("content/orte/x.de.md", "---\ntitle: X\naddress: { city: T }\nopening_hour: \"Mo 09:00-10:00\"\n---\n");
    assert_reports(&e, &["content/orte/x.de.md:4:1", "unknown front-matter key `opening_hour` for `type: place`", "did you mean `opening_hours`?"]);
}

#[test]
fn schema_error_nested_field_points_at_its_line() {
    let e = broken("content/orte/x.de.md", "---\ntitle: X\naddress:\n  street: Markt 1\n  cty: Talbach\n---\n");
    assert_reports(&e, &["content/orte/x.de.md:5:3", "`address.cty` unknown key `cty`", "did you mean `city`?"]);
}

#[test]
fn schema_error_wrong_kind_of_value() {
    let e = broken("content/orte/x.de.md", "---\ntitle: X\naddress: { city: T }\ngeo: { lat: 95, lon: 11 }\nphone: ruf an\n---\n");
    assert_reports(&e, &["content/orte/x.de.md:4:", "`lat` must lie between -90 and 90", "content/orte/x.de.md:5:1", "`phone` must be a phone number"]);
}

#[test]
fn schema_error_bad_opening_hours() {
    let e = broken("content/orte/x.de.md", "---\ntitle: X\naddress: { city: T }\nopening_hours: \"Mi 09:00-12:00\"\n---\n");
    assert_reports(&e, &["content/orte/x.de.md:4:1", "unknown weekday", "We"]);
}

#[test]
fn schema_error_reference_to_a_missing_place() {
    let e = broken("content/termine/x.de.md", "---\ntitle: X\nstart: 2027-01-01 10:00\nplace: \"@/orte/cartias.md\"\n---\n");
    assert_reports(&e, &["content/termine/x.de.md:4:1", "`place` points to a page that does not exist", "did you mean `@/orte/caritas.md`?"]);
}

#[test]
fn schema_error_reference_to_a_page_of_another_type() {
    let e = broken("content/termine/x.de.md", "---\ntitle: X\nstart: 2027-01-01 10:00\nplace: \"@/jobs/kueche.md\"\n---\n");
    assert_reports(&e, &["`place` points to a `job`, not a `place`"]);
}

#[test]
fn schema_error_bad_date_time_and_recurrence() {
    let e = broken("content/termine/x.de.md", "---\ntitle: X\nstart: 3.12.2026 18 Uhr\nrepeat: { freq: daily }\n---\n");
    assert_reports(&e, &["content/termine/x.de.md:3:1", "`start` must be a date and time", "`repeat.freq` must be one of weekly, monthly"]);
}

#[test]
fn schema_error_missing_file_and_missing_key_name() {
    let e = broken("content/materialien/y.de.md", "---\ntitle: Y\nfile: fehlt.pdf\ncategories: [unbekannt]\n---\n");
    assert_reports(&e, &["content/materialien/y.de.md:3:1", "the file `fehlt.pdf` does not exist", "missing UI string `category_names.unbekannt`"]);
}

#[test]
fn schema_error_translation_of_another_type() {
    let e = broken("content/orte/caritas.en.md", "---\ntitle: Caritas\ntype: job\n---\n");
    assert_reports(&e, &["content/orte/caritas.en.md", "this translation is a `job` but content/orte/caritas.de.md is a `place`"]);
}

#[test]
fn facet_pages_per_category_district_and_target_group_with_counts_in_every_language() {
    let f = built();
    let districts = f.read("de/districts/index.html");
    assert!(districts.contains("Talbach-Mitte") && districts.contains("Bergheim"), "{districts}");
    let mitte = f.read("de/districts/talbach-mitte/index.html");
    assert!(mitte.contains("Caritas"), "{mitte}");
    let groups = f.read("ar/target-groups/index.html");
    assert!(groups.contains("(صفحة واحدة)") || groups.contains("صفحة"), "{groups}");
    let cats = f.read("de/categories/index.html");
    assert!(cats.contains(">Beratung<") || cats.contains("Beratung"), "named, not the key: {cats}");
    assert!(!cats.contains(">counselling<"), "{cats}");
    assert!(f.read("de/orte/index.html").contains("/de/districts/"), "the list links its facets");
}

#[test]
fn opening_hours_that_lose_a_rule_build_with_a_warning() {
    let f = fixture();
    f.write_bytes("content/materialien/leitfaden.pdf", b"%PDF");
    f.write("content/orte/x.de.md", "---\ntitle: X\naddress: { city: T }\nopening_hours: \"Tu 14:00-17:00; Mo-Fr 09:00-12:00\"\n---\n");
    let out = f.build();
    assert!(out.ok, "{}", out.stderr);
    assert_reports(&out.stderr, &["warning", "content/orte/x.de.md:4:1", "opening hours:"]);
}

#[test]
fn a_language_with_few_translations_gets_the_filter_pages_its_lists_link_to() {
    // English has no page of its own here: its list pages show the German entries, and link to the
    // district and target-group filters, which must exist and list those entries (named in English).
    let f = built();
    f.write("content/wohnung.de.md", "---\ntitle: Wohnung\ntags: [Wohnen]\n---\nSuchen.\n");
    f.build_ok();
    let list = f.read("en/orte/index.html");
    assert!(list.contains("href=/en/districts/>") && list.contains("href=/en/target-groups/>"), "{list}");
    let districts = f.read("en/districts/index.html");
    assert!(districts.contains("href=/en/districts/bergheim/>"), "{districts}");
    let bergheim = f.read("en/districts/bergheim/index.html");
    assert!(bergheim.contains("Tafel") && bergheim.contains("Kinderwagen abzugeben"), "{bergheim}");
    assert!(f.exists("en/target-groups/refugees/index.html"));
    // Free-text tags stay words of their own language: German tags make no English tag pages.
    assert!(f.exists("de/tags/wohnen/index.html") && !f.exists("en/tags/wohnen/index.html"));
}
