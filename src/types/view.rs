//! What templates see of a typed page, in the reader's language: names for keys, localized dates,
//! opening-hours rows, `tel:`/`mailto:` links, the event's next dates, whether it is still listed,
//! the exchange's matches, and schema.org JSON-LD. Also the iCalendar files.

use super::Typed;
use crate::date::Date;
use crate::i18n::I18n;
use crate::site::Site;
use portal_data::calendar::{self, Event, LocalDateTime};
use portal_data::hours;
use serde_json::{Value as Json, json};

/// "Now" in the site's time zone: `SOURCE_DATE_EPOCH` when set (reproducible builds, tests), else the
/// clock — expiry and upcoming events depend on the day of the build, as in any site generator.
pub fn now(tz: &str) -> LocalDateTime {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0));
    calendar::local_now(tz, secs)
}

fn today(site: &Site) -> Date {
    Date { year: site.now.year, month: site.now.month, day: site.now.day }
}

fn date_of(t: &Typed, field: &str) -> Option<Date> {
    t.str(field).and_then(Date::parse)
}

/// The event of a typed page (None for other types, or an event whose times do not parse).
pub fn event(site: &Site, idx: usize) -> Option<Event> {
    let p = &site.pages[idx];
    let t = p.typed.as_ref().filter(|t| t.kind == "event")?;
    let (start, all_day) = calendar::parse_local(t.str("start")?).ok()?;
    let end = t.str("end").and_then(|e| calendar::parse_local(e).ok()).map(|e| e.0).unwrap_or(start);
    let recurrence = t.fields.get("repeat").and_then(|r| {
        let except: Vec<String> = r.get("except").and_then(Json::as_array).map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default();
        calendar::parse_recurrence(
            r.get("freq")?.as_str()?,
            r.get("interval").and_then(Json::as_u64).map(|n| n as u32),
            r.get("until").and_then(Json::as_str),
            r.get("count").and_then(Json::as_u64).map(|n| n as u32),
            &except,
        )
        .ok()
    });
    let stamp = p.fm.updated.or(p.fm.date).map(|d| LocalDateTime::new(d.year, d.month, d.day, 0, 0)).unwrap_or(start);
    Some(Event {
        uid: format!("{}@{}", p.key.replace('/', "-"), site.config.base_url.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/')),
        title: p.fm.title.clone(),
        description: p.fm.description.clone().unwrap_or_default(),
        location: location_text(site, t),
        url: encode(&format!("{}{}", site.config.base_url, site.url_of(&p.key, &p.lang).unwrap_or_default())),
        start,
        end,
        all_day,
        tz: t.str("timezone").unwrap_or(&site.config.timezone).to_string(),
        recurrence,
        stamp,
        categories: p.fm.categories.clone(),
    })
}

fn encode(s: &str) -> String {
    crate::render::encode_uri(s)
}

/// Is the entry still shown in listings? Past events, expired jobs and offers, closed or expired
/// exchange entries keep their page but leave the lists.
pub fn listed(site: &Site, idx: usize) -> bool {
    let p = &site.pages[idx];
    let today = today(site);
    if p.fm.expires.is_some_and(|e| e < today) {
        return false;
    }
    let Some(t) = &p.typed else { return true };
    match t.kind.as_str() {
        "event" => event(site, idx).is_some_and(|e| calendar::next_occurrence(&e, site.now).is_some()),
        "job" => date_of(t, "valid_through").is_none_or(|d| d >= today),
        "exchange" => t.str("status") != Some("closed"),
        _ => true,
    }
}

/// Sort key within a typed list: the next date for events, else none (the list's own order).
pub fn sort_key(site: &Site, idx: usize) -> String {
    event(site, idx).and_then(|e| calendar::next_occurrence(&e, site.now)).map(|(s, _)| s.to_string()).unwrap_or_default()
}

fn location_text(site: &Site, t: &Typed) -> String {
    if let Some(place) = t.str("place").and_then(|k| site.shown_page(k, &site.config.default_language)) {
        let pt = site.pages[place].typed.as_ref();
        let addr = pt.and_then(|pt| pt.fields.get("address")).map(address_line).unwrap_or_default();
        return format!("{}, {addr}", site.pages[place].fm.title);
    }
    t.fields.get("address").map(address_line).or_else(|| t.str("online").map(String::from)).unwrap_or_default()
}

fn address_line(a: &Json) -> String {
    let get = |k: &str| a.get(k).and_then(Json::as_str).unwrap_or("");
    let city = format!("{} {}", get("postal_code"), get("city")).trim().to_string();
    [get("street"), city.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ")
}

fn name(i18n: &I18n, code: &str, map: &str, key: &str) -> String {
    i18n.t(code, &format!("{map}.{key}")).unwrap_or_else(|_| key.to_string())
}

fn named(i18n: &I18n, code: &str, map: &str, keys: Vec<&str>) -> Json {
    Json::Array(keys.into_iter().map(|k| json!({ "key": k, "name": name(i18n, code, map, k) })).collect())
}

fn time(i18n: &I18n, code: &str, t: &LocalDateTime, all_day: bool) -> String {
    let date = i18n.format_date(code, &Date { year: t.year, month: t.month, day: t.day });
    if all_day { date } else { format!("{date}, {}", i18n.digits(code, &format!("{:02}:{:02}", t.hour, t.minute))) }
}

fn tel(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// Human file size: `1.2 MB`, `340 KB`, in the reader's digits.
pub fn file_size(i18n: &I18n, code: &str, bytes: u64) -> String {
    let (key, size) = if bytes >= 1_000_000 {
        ("file_size_mb", format!("{:.1}", bytes as f64 / 1_000_000.0))
    } else {
        ("file_size_kb", format!("{}", bytes.div_ceil(1000).max(1)))
    };
    let text = i18n.t(code, key).unwrap_or_else(|_| "{size}".into()).replace("{size}", &size);
    i18n.digits(code, &text)
}

/// The template data of a typed page for a reader of language `code`.
pub fn data(site: &Site, i18n: &I18n, idx: usize, code: &str) -> Option<Json> {
    let p = &site.pages[idx];
    let t = p.typed.as_ref()?;
    let href = |k: &str| site.url_of(k, code).map(|u| encode(&format!("{}{u}", site.config.base_path)));
    let mut d = serde_json::Map::new();
    d.insert("type".into(), json!(t.kind));
    d.insert("type_name".into(), json!(name(i18n, code, "type_names", &t.kind)));
    d.insert("listed".into(), json!(listed(site, idx)));
    d.insert("categories".into(), named(i18n, code, "category_names", p.fm.categories.iter().map(String::as_str).collect()));
    d.insert("target_groups".into(), named(i18n, code, "target_group_names", t.strs("target_groups")));
    d.insert("languages".into(), named(i18n, code, "language_names", t.strs("languages")));
    for f in ["provider", "employer", "cost", "registration", "organiser", "accessibility", "apply", "salary", "contact", "status", "language_level"] {
        if let Some(v) = t.str(f) {
            d.insert(f.into(), json!(v));
        }
    }
    if let Some(v) = t.str("duration") {
        d.insert("duration".into(), json!(i18n.digits(code, v)));
    }
    if let Some(v) = t.fields.get("step_free") {
        d.insert("step_free".into(), v.clone());
    }
    if let Some(w) = t.str("website").or(t.str("url")).or(t.str("online")) {
        d.insert("website".into(), json!(w));
    }
    if let Some(ph) = t.str("phone") {
        d.insert("phone".into(), json!({ "text": ph, "href": tel(ph) }));
    }
    if let Some(e) = t.str("email") {
        d.insert("email".into(), json!({ "text": e, "href": format!("mailto:{e}") }));
    }
    let contacts: Vec<Json> = t.fields.get("contacts").and_then(Json::as_array).into_iter().flatten().map(|c| {
        let mut c = c.clone();
        if let Some(ph) = c.get("phone").and_then(Json::as_str).map(String::from) {
            c["phone"] = json!({ "text": ph, "href": tel(&ph) });
        }
        if let Some(e) = c.get("email").and_then(Json::as_str).map(String::from) {
            c["email"] = json!({ "text": e, "href": format!("mailto:{e}") });
        }
        c
    }).collect();
    d.insert("contacts".into(), Json::Array(contacts));

    // Where: a place page, or the entry's own address and point.
    let place_idx = t.str("place").and_then(|k| site.shown_page(k, code));
    let (address, geo) = match place_idx.and_then(|i| site.pages[i].typed.as_ref()) {
        Some(pt) => (pt.fields.get("address").cloned(), pt.fields.get("geo").cloned()),
        None => (t.fields.get("address").cloned(), t.fields.get("geo").cloned()),
    };
    if let (Some(i), Some(k)) = (place_idx, t.str("place")) {
        d.insert("place".into(), json!({ "title": site.pages[i].fm.title, "url": href(k) }));
    }
    if let Some(mut a) = address {
        if let Some(dist) = a.get("district").and_then(Json::as_str).map(String::from) {
            a["district_name"] = json!(name(i18n, code, "district_names", &dist));
        }
        a["line"] = json!(address_line(&a));
        d.insert("address".into(), a);
    }
    if let Some(g) = geo {
        let (lat, lon) = (g["lat"].as_f64().unwrap_or(0.0), g["lon"].as_f64().unwrap_or(0.0));
        d.insert("geo".into(), json!({ "lat": lat, "lon": lon, "geo_uri": portal_data::map::geo_uri(lat, lon), "osm_url": portal_data::map::osm_url(lat, lon) }));
    }
    if let Some(oh) = t.str("opening_hours").and_then(|s| hours::parse(s).ok()) {
        let day = |i: usize| i18n.t(code, &format!("weekdays_short.{i}")).unwrap_or_default();
        let rows: Vec<Json> = oh.rows().iter().map(|r| {
            let days = if r.first_day == r.last_day { day(r.first_day) } else { format!("{}–{}", day(r.first_day), day(r.last_day)) };
            let spans: Vec<String> = r.spans.iter().map(|s| i18n.digits(code, &format!("{}–{}", hours::format_time(s.from), hours::format_time(s.to)))).collect();
            json!({ "days": days, "times": spans.join(", ") })
        }).collect();
        d.insert("hours".into(), json!({ "rows": rows, "normalized": oh.normalized(), "always_open": oh.always_open }));
    }
    match t.kind.as_str() {
        "event" => {
            if let Some(ev) = event(site, idx) {
                d.insert("when".into(), json!(when_text(i18n, code, &ev)));
                let next: Vec<String> = calendar::occurrences(&ev, site.now, LocalDateTime::new(site.now.year + 1, site.now.month, site.now.day, 0, 0))
                    .iter().take(5).map(|(s, _)| time(i18n, code, s, ev.all_day)).collect();
                d.insert("next_dates".into(), json!(next));
                d.insert("past".into(), json!(calendar::next_occurrence(&ev, site.now).is_none()));
                d.insert("repeat".into(), json!(repeat_text(i18n, code, &ev)));
                let rel = site.url_of(&p.key, code).unwrap_or_default();
                d.insert("ics_url".into(), json!(encode(&format!("{}{rel}event.ics", site.config.base_path))));
                d.insert("start_iso".into(), json!(iso(&ev.start, ev.all_day)));
            }
        }
        "job" => {
            if let Some(e) = t.str("employment") {
                d.insert("employment".into(), json!(name(i18n, code, "employment_names", e)));
            }
            if let Some(v) = date_of(t, "valid_through") {
                d.insert("valid_through".into(), json!(i18n.format_date(code, &v)));
            }
        }
        "exchange" => {
            for (f, map) in [("kind", "exchange_kind_names"), ("what", "exchange_what_names"), ("district", "district_names")] {
                if let Some(v) = t.str(f) {
                    d.insert(f.into(), json!({ "key": v, "name": name(i18n, code, map, v) }));
                }
            }
            let matches: Vec<Json> = matches(site, idx).into_iter().filter_map(|j| {
                let q = &site.pages[j];
                Some(json!({ "title": site.pages[site.shown_page(&q.key, code)?].fm.title, "url": href(&q.key)? }))
            }).collect();
            d.insert("matches".into(), Json::Array(matches));
        }
        "material" => {
            if let Some(f) = t.fields.get("file") {
                let size = f["size"].as_u64().unwrap_or(0);
                let format = f["format"].as_str().unwrap_or("");
                d.insert("file".into(), json!({
                    "url": encode(&format!("{}{}", site.config.base_path, f["path"].as_str().unwrap_or(""))),
                    "format": format,
                    "size": file_size(i18n, code, size),
                    "video": matches!(format, "MP4" | "WEBM"),
                }));
            }
        }
        _ => {}
    }
    if let Some(ld) = json_ld(site, idx, code, &d) {
        d.insert("json_ld".into(), json!(ld));
    }
    Some(Json::Object(d))
}

fn iso(t: &LocalDateTime, all_day: bool) -> String {
    if all_day { format!("{:04}-{:02}-{:02}", t.year, t.month, t.day) } else { format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year, t.month, t.day, t.hour, t.minute) }
}

fn when_text(i18n: &I18n, code: &str, ev: &Event) -> String {
    let start = time(i18n, code, &ev.start, ev.all_day);
    if ev.end <= ev.start || ev.all_day && ev.end.date() == ev.start.date() {
        return start;
    }
    if ev.end.date() == ev.start.date() {
        return format!("{start}–{}", i18n.digits(code, &format!("{:02}:{:02}", ev.end.hour, ev.end.minute)));
    }
    format!("{start} – {}", time(i18n, code, &ev.end, ev.all_day))
}

fn repeat_text(i18n: &I18n, code: &str, ev: &Event) -> Option<String> {
    let r = ev.recurrence.as_ref()?;
    let n = r.interval;
    let key = match (r.freq, n) {
        (calendar::Freq::Weekly, 1) => "repeats_weekly",
        (calendar::Freq::Weekly, _) => "repeats_every_weeks",
        (calendar::Freq::Monthly, 1) => "repeats_monthly",
        (calendar::Freq::Monthly, _) => "repeats_every_months",
    };
    let mut text = i18n.t(code, key).ok()?.replace("{n}", &i18n.digits(code, &n.to_string()));
    if let Some(u) = r.until {
        let until = i18n.t(code, "repeats_until").ok()?.replace("{date}", &i18n.format_date(code, &Date { year: u.year, month: u.month, day: u.day }));
        text = format!("{text}, {until}");
    }
    Some(text)
}

/// The words of an entry's facts that people search for (provider, employer, street, city…), added
/// to its indexed text.
pub fn search_text(t: &Typed) -> String {
    let mut words: Vec<&str> = ["provider", "employer", "organiser", "cost", "registration", "apply", "salary", "accessibility"]
        .iter()
        .filter_map(|f| t.str(f))
        .collect();
    if let Some(a) = t.fields.get("address") {
        words.extend(["street", "city"].iter().filter_map(|k| a.get(*k).and_then(Json::as_str)));
    }
    words.join("\n")
}

/// Exchange matching: a need and an offer match when both are listed, of the same `what`, share a
/// category, and their districts are the same or neighbours.
pub fn matches(site: &Site, idx: usize) -> Vec<usize> {
    let p = &site.pages[idx];
    let Some(t) = p.typed.as_ref().filter(|t| t.kind == "exchange") else { return Vec::new() };
    if !listed(site, idx) {
        return Vec::new();
    }
    let default = &site.config.default_language;
    let district = t.str("district").unwrap_or("");
    let near = site.config.districts.get(district);
    let mut out: Vec<usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(j, q)| *j != idx && q.lang == *default && q.key != p.key)
        .filter(|(j, q)| {
            let Some(u) = q.typed.as_ref().filter(|u| u.kind == "exchange") else { return false };
            u.str("kind") != t.str("kind")
                && u.str("what") == t.str("what")
                && q.fm.categories.iter().any(|c| p.fm.categories.contains(c))
                && u.str("district").is_some_and(|d| d == district || near.is_some_and(|n| n.iter().any(|x| x == d)))
                && listed(site, *j)
        })
        .map(|(j, _)| j)
        .collect();
    out.sort_by(|a, b| site.pages[*a].key.cmp(&site.pages[*b].key));
    out
}

/// schema.org data for places, events and jobs, as JSON safe to put inside `<script>`.
fn json_ld(site: &Site, idx: usize, code: &str, d: &serde_json::Map<String, Json>) -> Option<String> {
    let p = &site.pages[idx];
    let t = p.typed.as_ref()?;
    let url = encode(&format!("{}{}", site.config.base_url, site.url_of(&p.key, code).unwrap_or_default()));
    let address = d.get("address").map(|a| json!({
        "@type": "PostalAddress",
        "streetAddress": a.get("street"),
        "postalCode": a.get("postal_code"),
        "addressLocality": a.get("city"),
        "addressCountry": "DE",
    }));
    let geo = d.get("geo").map(|g| json!({ "@type": "GeoCoordinates", "latitude": g["lat"], "longitude": g["lon"] }));
    let mut ld = match t.kind.as_str() {
        "place" => json!({
            "@context": "https://schema.org", "@type": "Place", "name": p.fm.title, "url": url,
            "address": address, "geo": geo, "telephone": t.str("phone"), "email": t.str("email"),
            "openingHours": d.get("hours").map(|h| h["normalized"].clone()),
        }),
        "event" => {
            let ev = event(site, idx)?;
            let (start, end) = calendar::next_occurrence(&ev, site.now).unwrap_or((ev.start, ev.end));
            let location = match (d.get("place"), t.str("online")) {
                (_, Some(online)) => json!({ "@type": "VirtualLocation", "url": online }),
                (Some(pl), _) => json!({ "@type": "Place", "name": pl["title"], "address": address, "geo": geo }),
                _ => json!({ "@type": "Place", "address": address }),
            };
            json!({
                "@context": "https://schema.org", "@type": "Event", "name": p.fm.title, "url": url,
                "startDate": iso(&start, ev.all_day), "endDate": iso(&end, ev.all_day),
                "eventAttendanceMode": if t.str("online").is_some() { "https://schema.org/OnlineEventAttendanceMode" } else { "https://schema.org/OfflineEventAttendanceMode" },
                "location": location, "description": p.fm.description,
                "organizer": t.str("organiser").map(|o| json!({ "@type": "Organization", "name": o })),
            })
        }
        "job" => json!({
            "@context": "https://schema.org", "@type": "JobPosting", "title": p.fm.title, "url": url,
            "description": p.fm.description.clone().unwrap_or_else(|| p.fm.title.clone()),
            "datePosted": p.fm.date.map(|x| x.to_string()),
            "validThrough": t.str("valid_through"),
            "employmentType": t.str("employment").map(|e| match e {
                "full_time" => "FULL_TIME", "part_time" => "PART_TIME", "internship" => "INTERN", "mini_job" => "PART_TIME", _ => "OTHER",
            }),
            "hiringOrganization": { "@type": "Organization", "name": t.str("employer") },
            "jobLocation": { "@type": "Place", "address": address },
        }),
        _ => return None,
    };
    strip_nulls(&mut ld);
    // `</script>` or `<!--` in a title must not end the script element.
    Some(serde_json::to_string(&ld).ok()?.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"))
}

fn strip_nulls(v: &mut Json) {
    match v {
        Json::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Json::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// The `.ics` of every event page (`<page>/event.ics`) and a feed of all events per language
/// (`<lang>/calendar.ics`), from the pages shown in that language.
pub fn ics_files(site: &Site) -> Vec<crate::render::OutFile> {
    let mut out = Vec::new();
    for l in &site.config.languages {
        let mut all = Vec::new();
        for key in site.keys() {
            let Some(idx) = site.shown_page(key, &l.code) else { continue };
            let Some(mut ev) = event(site, idx) else { continue };
            ev.url = encode(&format!("{}{}", site.config.base_url, site.url_of(key, &l.code).unwrap_or_default()));
            let rel = site.url_of(key, &l.code).unwrap_or_default();
            out.push(crate::render::OutFile { path: format!("{rel}event.ics"), bytes: calendar::ics(&ev.title, std::slice::from_ref(&ev)).into_bytes() });
            all.push(ev);
        }
        if !all.is_empty() {
            let name = site.config.title.get(&l.code).cloned().unwrap_or_default();
            out.push(crate::render::OutFile { path: format!("{}/calendar.ics", l.code), bytes: calendar::ics(&name, &all).into_bytes() });
        }
    }
    out
}
