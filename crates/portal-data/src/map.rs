//! A static SVG map, drawn at build time.
//!
//! Refugee-help portals are read on cheap phones, on metered data, offline from a saved page and
//! sometimes without JavaScript; a tile server would also send every reader's location to a third
//! party. So the map is a small inline `<svg>`: the region's outline from a GeoJSON file of the site
//! and numbered markers that are real links (keyboard- and screen-reader reachable), matching a
//! numbered list of places on the same page. [`geo_uri`] and [`osm_url`] give each place a link to
//! the reader's own map app or to OpenStreetMap for directions.
//!
//! The output is deterministic (same input, same bytes) so builds stay reproducible and content
//! hashes stable; coordinates are rounded to 0.1 viewBox unit, which keeps the file small.

use serde_json::Value;
use std::fmt::Write as _;

/// A numbered place on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub lat: f64,
    pub lon: f64,
    /// Shown in the circle; short, normally the number of the place in the list beside the map ("1", "2"…).
    pub label: String,
    /// The accessible name of the link (and the tooltip), e.g. the place's name.
    pub title: String,
    /// Where the marker links to, e.g. the place's entry on the page (`#ort-3`). Empty: no link.
    pub href: String,
}

/// A region outline: polygon rings of `[lon, lat]` positions (GeoJSON order), outer rings and holes
/// alike; holes are drawn as holes by the even-odd fill rule, so their winding does not matter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outline {
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// Checks a coordinate the way [`parse_geojson`] does, so a caller validating front matter gives the
/// same message. NaN and infinities are out of range.
pub fn check_point(lat: f64, lon: f64) -> Result<(), String> {
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90…90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180…180"));
    }
    Ok(())
}

/// Reads the outline from a GeoJSON text: a FeatureCollection, a Feature, a GeometryCollection or a
/// bare Polygon / MultiPolygon. Features without geometry are skipped; other geometry types (Point,
/// LineString…) are an error rather than silently left out, because a region file that contains them
/// is probably the wrong file. Errors name the JSON path of the problem, e.g.
/// `features[2].geometry.coordinates[0][5]: latitude 95 is outside -90…90`.
pub fn parse_geojson(text: &str) -> Result<Outline, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let mut outline = Outline::default();
    collect(&value, "", &mut outline)?;
    if outline.rings.is_empty() {
        return Err("no Polygon or MultiPolygon in the file (the outline needs at least one ring)".to_string());
    }
    Ok(outline)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

fn collect(v: &Value, path: &str, out: &mut Outline) -> Result<(), String> {
    let here = if path.is_empty() { "top level" } else { path };
    let Some(obj) = v.as_object() else {
        return Err(format!("{here}: expected a GeoJSON object"));
    };
    let Some(kind) = obj.get("type").and_then(Value::as_str) else {
        return Err(format!("{here}: missing \"type\""));
    };
    let coords = |out: &mut Outline, depth: usize| -> Result<(), String> {
        let p = join(path, "coordinates");
        let c = obj.get("coordinates").ok_or_else(|| format!("{p}: missing"))?;
        if depth == 1 {
            polygon(c, &p, out)
        } else {
            list(c, &p)?.iter().enumerate().try_for_each(|(i, c)| polygon(c, &format!("{p}[{i}]"), out))
        }
    };
    match kind {
        "FeatureCollection" => {
            let p = join(path, "features");
            for (i, f) in list(obj.get("features").unwrap_or(&Value::Null), &p)?.iter().enumerate() {
                collect(f, &format!("{p}[{i}]"), out)?;
            }
            Ok(())
        }
        "Feature" => match obj.get("geometry") {
            None | Some(Value::Null) => Ok(()),
            Some(g) => collect(g, &join(path, "geometry"), out),
        },
        "GeometryCollection" => {
            let p = join(path, "geometries");
            for (i, g) in list(obj.get("geometries").unwrap_or(&Value::Null), &p)?.iter().enumerate() {
                collect(g, &format!("{p}[{i}]"), out)?;
            }
            Ok(())
        }
        "Polygon" => coords(out, 1),
        "MultiPolygon" => coords(out, 2),
        other => {
            Err(format!("{here}: geometry type {other} is not supported (the outline needs Polygon or MultiPolygon)"))
        }
    }
}

fn list<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>, String> {
    v.as_array().ok_or_else(|| format!("{path}: expected an array"))
}

fn polygon(v: &Value, path: &str, out: &mut Outline) -> Result<(), String> {
    for (r, ring) in list(v, path)?.iter().enumerate() {
        let rp = format!("{path}[{r}]");
        let positions = list(ring, &rp)?;
        let mut points = Vec::with_capacity(positions.len());
        for (i, pos) in positions.iter().enumerate() {
            let pp = format!("{rp}[{i}]");
            let pair = list(pos, &pp)?;
            let (Some(lon), Some(lat)) = (pair.first().and_then(Value::as_f64), pair.get(1).and_then(Value::as_f64))
            else {
                return Err(format!("{pp}: expected [longitude, latitude] numbers"));
            };
            check_point(lat, lon).map_err(|e| format!("{pp}: {e}"))?;
            points.push([lon, lat]);
        }
        if points.len() < 3 {
            return Err(format!("{rp}: a ring needs at least 3 positions, found {}", points.len()));
        }
        out.rings.push(points);
    }
    Ok(())
}

/// `geo:52.520008,13.404954` — opens the reader's own map app on phones (RFC 5870).
pub fn geo_uri(lat: f64, lon: f64) -> String {
    format!("geo:{},{}", deg(lat), deg(lon))
}

/// `https://www.openstreetmap.org/?mlat=…&mlon=…#map=17/…/…` — a marker on OpenStreetMap at street
/// zoom, for readers without a map app (and the `&` must be escaped when put into HTML, as usual).
pub fn osm_url(lat: f64, lon: f64) -> String {
    let (la, lo) = (deg(lat), deg(lon));
    format!("https://www.openstreetmap.org/?mlat={la}&mlon={lo}#map=17/{la}/{lo}")
}

/// Six decimals (about 0.1 m), never `-0.000000`, so equal places give equal links.
fn deg(v: f64) -> String {
    let s = format!("{v:.6}");
    if s == "-0.000000" { "0.000000".to_string() } else { s }
}

/// Longest side of the drawing in viewBox units (margins come on top). 1000 units rounded to 0.1
/// gives 1:10 000 precision, more than a page-sized map can show.
const SIZE: f64 = 1000.0;
/// Marker circle radius and the padding around everything, in viewBox units.
const RADIUS: f64 = 18.0;
const PAD: f64 = 8.0;
/// The closest two marker centres may be: the circles plus a small gap, so their white rims do not
/// merge into one blob.
const SPACING: f64 = 2.0 * RADIUS + 4.0;
/// The smallest region shown, in degrees, so one marker alone is not magnified to a dot.
const MIN_EXTENT: f64 = 0.01;

/// Dark blue: white bold text on it has a contrast ratio above 8:1 (WCAG AAA), and it stands out
/// from the light outline fill.
const MARKER_FILL: &str = "#1a4f8b";
const OUTLINE_FILL: &str = "#e8eef5";
const OUTLINE_STROKE: &str = "#2b3a4a";

/// The map as an `<svg>` element to inline into a page.
///
/// * viewBox fitted to the outline and all markers (the box grows for markers outside the outline),
///   no fixed width/height: the theme's CSS sizes it, `preserveAspectRatio` keeps the shape;
/// * equirectangular projection with x scaled by cos(mid latitude), so a region is not squashed;
/// * markers that would overlap are nudged apart along a fixed spiral, in input order, with a thin
///   line back to the true place, so every number stays readable;
/// * colours are presentation attributes and elements carry `class` (`map`, `map-outline`,
///   `map-marker`, `map-leader`), so a theme's CSS overrides them without `!important`;
/// * accessibility: the `<title>` carries `caption` and names the svg via `aria-labelledby`; each
///   marker is an `<a href>` with its own `<title>`. The root has `role="img"` only when there is no
///   link in it: `img` makes its children presentational, which would hide the marker links from
///   screen readers while they stay in the tab order; with links it is `role="group"`;
/// * markers with coordinates out of range or NaN are left out (they cannot be placed; the caller
///   validates with [`check_point`] and reports them), never a panic.
pub fn svg(outline: Option<&Outline>, markers: &[Marker], caption: &str) -> String {
    let rings: &[Vec<[f64; 2]>] = outline.map(|o| o.rings.as_slice()).unwrap_or(&[]);
    let ok = |lat: f64, lon: f64| check_point(lat, lon).is_ok();
    let markers: Vec<&Marker> = markers.iter().filter(|m| ok(m.lat, m.lon)).collect();
    let geo_points = rings
        .iter()
        .flatten()
        .map(|p| (p[1], p[0]))
        .filter(|&(lat, lon)| ok(lat, lon))
        .chain(markers.iter().map(|m| (m.lat, m.lon)));

    // Geographic box.
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for (lat, lon) in geo_points {
        lat0 = lat0.min(lat);
        lat1 = lat1.max(lat);
        lon0 = lon0.min(lon);
        lon1 = lon1.max(lon);
    }
    let has_links = markers.iter().any(|m| !m.href.is_empty());
    let id = format!("map-title-{:016x}", fnv(&[caption.as_bytes(), format!("{rings:?}{markers:?}").as_bytes()]));
    let mut body = String::new();
    let (width, height);
    if lat0 > lat1 {
        // Nothing to draw: a small, valid, still labelled svg.
        width = 100.0;
        height = 100.0;
    } else {
        let k = ((lat0 + lat1) / 2.0).to_radians().cos().max(0.01);
        // Grow a too-small box around its centre.
        let grow = |a: f64, b: f64, min: f64| {
            let c = (a + b) / 2.0;
            let half = ((b - a) / 2.0).max(min / 2.0);
            (c - half, c + half)
        };
        let (lat0, lat1) = grow(lat0, lat1, MIN_EXTENT);
        let (lon0, lon1) = grow(lon0, lon1, MIN_EXTENT / k);
        let scale = SIZE / ((lon1 - lon0) * k).max(lat1 - lat0);
        let project = |lat: f64, lon: f64| ((lon - lon0) * k * scale, (lat1 - lat) * scale);

        // Marker positions: true place, then nudged out of the way of earlier markers.
        let mut placed: Vec<(Point, Point)> = Vec::with_capacity(markers.len());
        for m in &markers {
            let at = project(m.lat, m.lon);
            let clear = |p: Point, placed: &[(Point, Point)]| {
                placed.iter().all(|(_, q)| (p.0 - q.0).hypot(p.1 - q.1) >= SPACING)
            };
            let mut pos = at;
            let mut step = 0;
            while !clear(pos, &placed) && step < 200 {
                step += 1;
                // A spiral: six directions per turn, a step further out each turn.
                let angle = (step as f64) * std::f64::consts::PI / 3.0 + (step / 6) as f64 * 0.5;
                let dist = SPACING * (1.0 + (step / 6) as f64 * 0.5);
                pos = (at.0 + dist * angle.cos(), at.1 + dist * angle.sin());
            }
            placed.push((at, pos));
        }

        // The drawing's box in projected units: outline points and marker circles.
        let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        let mut include = |x: f64, y: f64, r: f64| {
            x0 = x0.min(x - r);
            y0 = y0.min(y - r);
            x1 = x1.max(x + r);
            y1 = y1.max(y + r);
        };
        for p in rings.iter().flatten() {
            let (x, y) = project(p[1], p[0]);
            include(x, y, 0.0);
        }
        for (at, pos) in &placed {
            include(at.0, at.1, 0.0);
            include(pos.0, pos.1, RADIUS + 2.0);
        }
        // For a lone marker keep the minimum extent visible around it.
        let (mx0, _) = project(lat0, lon0);
        let (mx1, _) = project(lat0, lon1);
        let (_, my0) = project(lat1, lon0);
        let (_, my1) = project(lat0, lon0);
        include(mx0, my0, 0.0);
        include(mx1, my1, 0.0);
        let (dx, dy) = (PAD - x0, PAD - y0);
        width = round1(x1 - x0 + 2.0 * PAD);
        height = round1(y1 - y0 + 2.0 * PAD);
        let pt = |x: f64, y: f64| (round1(x + dx), round1(y + dy));

        if !rings.is_empty() {
            let mut d = String::new();
            for ring in rings {
                let mut last: Option<(f64, f64)> = None;
                for p in ring.iter().filter(|p| ok(p[1], p[0])) {
                    let q = pt(project(p[1], p[0]).0, project(p[1], p[0]).1);
                    if last == Some(q) {
                        continue;
                    }
                    d.push(if last.is_none() { 'M' } else { 'L' });
                    let _ = write!(d, "{},{}", num(q.0), num(q.1));
                    last = Some(q);
                }
                if last.is_some() {
                    d.push('Z');
                }
            }
            let _ = write!(
                body,
                r#"<path class="map-outline" d="{d}" fill="{OUTLINE_FILL}" fill-rule="evenodd" stroke="{OUTLINE_STROKE}" stroke-width="1.5" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>"#
            );
        }

        // Leaders first, in their own hidden group, so every marker circle is drawn over them (a
        // leader starts under the circle of the marker that kept the true place).
        let mut leaders = String::new();
        for (at, pos) in &placed {
            let (ax, ay) = pt(at.0, at.1);
            let (cx, cy) = pt(pos.0, pos.1);
            if (ax, ay) != (cx, cy) {
                let _ = write!(
                    leaders,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/><circle cx="{}" cy="{}" r="3"/>"#,
                    num(ax),
                    num(ay),
                    num(cx),
                    num(cy),
                    num(ax),
                    num(ay)
                );
            }
        }
        if !leaders.is_empty() {
            let _ = write!(
                body,
                r#"<g class="map-leader" aria-hidden="true" stroke="{MARKER_FILL}" stroke-width="2" fill="{MARKER_FILL}">{leaders}</g>"#
            );
        }
        for (m, (_, pos)) in markers.iter().zip(&placed) {
            let (cx, cy) = pt(pos.0, pos.1);
            let (open, close) = if m.href.is_empty() {
                (r#"<g class="map-marker">"#.to_string(), "</g>")
            } else {
                (format!(r#"<a class="map-marker" href="{}">"#, escape(&m.href)), "</a>")
            };
            body.push_str(&open);
            let _ = write!(body, "<title>{}</title>", escape(&m.title));
            let font = if m.label.chars().count() <= 2 { 20 } else { 14 };
            let _ = write!(
                body,
                r##"<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{MARKER_FILL}" stroke="#fff" stroke-width="2"/><text x="{x}" y="{y}" dy="0.35em" text-anchor="middle" font-family="sans-serif" font-size="{font}" font-weight="bold" fill="#fff">{}</text>"##,
                escape(&m.label),
                x = num(cx),
                y = num(cy),
            );
            body.push_str(close);
        }
    }
    let role = if has_links { "group" } else { "img" };
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {} {}" preserveAspectRatio="xMidYMid meet" role="{role}" aria-labelledby="{id}"><title id="{id}">{}</title>{body}</svg>"#,
        num(width),
        num(height),
        escape(caption),
    )
}

/// A projected position in viewBox units (before the final shift by the margin).
type Point = (f64, f64);

fn round1(v: f64) -> f64 {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// Shortest form of a number already rounded to one decimal: `12`, `12.5`, never `-0`.
fn num(v: f64) -> String {
    let r = round1(v);
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// XML escaping for text and attribute values; characters XML 1.0 forbids (most C0 controls) are
/// dropped, so a stray control character in a title cannot make the page's SVG invalid.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// FNV-1a: a stable id for the `<title>` (unique enough for several maps on one page, and the same on
/// every build, unlike a random or counter-based id).
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.iter() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100000001b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(n: usize, lat: f64, lon: f64) -> Marker {
        Marker { lat, lon, label: n.to_string(), title: format!("Beratungsstelle {n}"), href: format!("#ort-{n}") }
    }

    const POLYGON: &str = r#"{"type":"Feature","properties":{"name":"Mitte"},"geometry":{"type":"Polygon",
        "coordinates":[[[13.35,52.50],[13.45,52.50],[13.45,52.55],[13.35,52.55],[13.35,52.50]]]}}"#;

    const MULTI: &str = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[
            [[[13.0,52.0],[13.1,52.0],[13.1,52.1],[13.0,52.0]],[[13.02,52.01],[13.05,52.01],[13.05,52.03],[13.02,52.01]]],
            [[[13.2,52.2],[13.3,52.2],[13.3,52.3],[13.2,52.2]]]]}},
        {"type":"Feature","properties":{},"geometry":null}]}"#;

    fn view_box(svg: &str) -> [f64; 4] {
        let start = svg.find("viewBox=\"").unwrap() + 9;
        let end = start + svg[start..].find('"').unwrap();
        let v: Vec<f64> = svg[start..end].split(' ').map(|n| n.parse().unwrap()).collect();
        [v[0], v[1], v[2], v[3]]
    }

    /// (cx, cy) of every marker circle (those with r="18").
    fn circles(svg: &str) -> Vec<(f64, f64)> {
        svg.split("<circle ")
            .skip(1)
            .filter(|c| c.contains(&format!("r=\"{RADIUS}\"")))
            .map(|c| {
                let attr = |name: &str| {
                    let s = c.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                    c[s..s + c[s..].find('"').unwrap()].parse::<f64>().unwrap()
                };
                (attr("cx"), attr("cy"))
            })
            .collect()
    }

    #[test]
    fn polygon_and_multipolygon() {
        let o = parse_geojson(POLYGON).unwrap();
        assert_eq!(o.rings.len(), 1);
        assert_eq!(o.rings[0][1], [13.45, 52.50]);
        let o = parse_geojson(MULTI).unwrap();
        assert_eq!(o.rings.len(), 3, "outer ring, hole, second polygon");
        // A bare geometry works too.
        let bare = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#;
        assert_eq!(parse_geojson(bare).unwrap().rings.len(), 1);
        let svg = svg(Some(&o), &[], "Karte");
        assert_eq!(svg.matches("<path ").count(), 1);
        assert_eq!(svg.matches('Z').count(), 3);
        assert!(svg.contains(r#"fill-rule="evenodd""#));
    }

    #[test]
    fn broken_geojson_errors() {
        assert!(parse_geojson("{\"type\": \"Polygon\", ").unwrap_err().starts_with("not valid JSON"));
        assert!(parse_geojson("").unwrap_err().starts_with("not valid JSON"));
        assert_eq!(parse_geojson("[]").unwrap_err(), "top level: expected a GeoJSON object");
        assert_eq!(
            parse_geojson(r#"{"type":"FeatureCollection","features":[]}"#).unwrap_err(),
            "no Polygon or MultiPolygon in the file (the outline needs at least one ring)"
        );
        let bad_lat = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":
            {"type":"Polygon","coordinates":[[[0,0],[1,95],[1,1],[0,0]]]}}]}"#;
        assert_eq!(
            parse_geojson(bad_lat).unwrap_err(),
            "features[0].geometry.coordinates[0][1]: latitude 95 is outside -90…90"
        );
        let bad_lon = r#"{"type":"Polygon","coordinates":[[[0,0],[181,0],[1,1],[0,0]]]}"#;
        assert_eq!(parse_geojson(bad_lon).unwrap_err(), "coordinates[0][1]: longitude 181 is outside -180…180");
        let point = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[13,52]}}"#;
        assert!(parse_geojson(point).unwrap_err().contains("geometry type Point is not supported"));
        let short = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}"#;
        assert!(parse_geojson(short).unwrap_err().contains("at least 3 positions"));
        let strings = r#"{"type":"Polygon","coordinates":[[["a","b"],[1,1],[0,1]]]}"#;
        assert_eq!(parse_geojson(strings).unwrap_err(), "coordinates[0][0]: expected [longitude, latitude] numbers");
        assert_eq!(parse_geojson(r#"{"type":"Polygon"}"#).unwrap_err(), "coordinates: missing");
    }

    #[test]
    fn one_marker_per_input_and_all_inside_view_box() {
        let o = parse_geojson(POLYGON).unwrap();
        let ms = vec![
            marker(1, 52.52, 13.40),
            marker(2, 52.51, 13.38),
            marker(3, 52.60, 13.50), // outside the outline: the box grows
            marker(4, 52.49, 13.30),
        ];
        let s = svg(Some(&o), &ms, "Beratungsstellen in Mitte");
        assert_eq!(s.matches(r#"class="map-marker""#).count(), ms.len());
        assert_eq!(s.matches("<a ").count(), ms.len());
        let [x, y, w, h] = view_box(&s);
        let cs = circles(&s);
        assert_eq!(cs.len(), ms.len());
        for (cx, cy) in cs {
            assert!(cx - RADIUS >= x && cx + RADIUS <= x + w, "{cx} in {x} {w}");
            assert!(cy - RADIUS >= y && cy + RADIUS <= y + h, "{cy} in {y} {h}");
        }
        // Marker 3 is north-east of everything: top right.
        let cs = circles(&s);
        assert!(cs[2].1 < cs[0].1 && cs[2].0 > cs[0].0);
        let root = &s[..s.find('>').unwrap()];
        assert!(!root.contains(" width=") && !root.contains(" height="), "CSS sizes the map");
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(s.contains(r#"preserveAspectRatio="xMidYMid meet""#));
    }

    #[test]
    fn not_squashed() {
        // A square of 0.1° × 0.1° at 60° N is twice as tall as wide on the ground.
        let sq = r#"{"type":"Polygon","coordinates":[[[10,60],[10.1,60],[10.1,60.1],[10,60.1],[10,60]]]}"#;
        let s = svg(Some(&parse_geojson(sq).unwrap()), &[], "x");
        let [_, _, w, h] = view_box(&s);
        let ratio = (h - 2.0 * PAD) / (w - 2.0 * PAD);
        assert!((ratio - 2.0).abs() < 0.02, "{ratio}");
    }

    #[test]
    fn escapes_text() {
        let m = Marker {
            lat: 52.5,
            lon: 13.4,
            label: "<1>".into(),
            title: "<script>alert('x')</script> & \"co\"\u{0}".into(),
            href: "/de/?a=1&b=\"2\"".into(),
        };
        let s = svg(None, &[m], "Map <b>&</b>");
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;</title>"));
        assert!(s.contains(r#"href="/de/?a=1&amp;b=&quot;2&quot;""#));
        assert!(s.contains("&lt;1&gt;</text>"));
        assert!(s.contains(">Map &lt;b&gt;&amp;&lt;/b&gt;</title>"));
        assert!(!s.contains('\u{0}'));
    }

    #[test]
    fn accessible_structure() {
        let s = svg(None, &[marker(1, 48.0, 11.0)], "Orte in München");
        let id_at = s.find("aria-labelledby=\"").unwrap() + 17;
        let id = &s[id_at..id_at + s[id_at..].find('"').unwrap()];
        assert!(s.contains(&format!("<title id=\"{id}\">Orte in München</title>")));
        assert!(s.contains(r#"role="group""#), "links inside: not role=img");
        assert!(s.contains(r##"<a class="map-marker" href="#ort-1"><title>Beratungsstelle 1</title>"##));
        let plain = svg(None, &[Marker { href: String::new(), ..marker(1, 48.0, 11.0) }], "x");
        assert!(plain.contains(r#"role="img""#) && !plain.contains("<a "));
        assert!(plain.contains(r#"<g class="map-marker">"#));
    }

    #[test]
    fn deterministic_and_rounded() {
        let o = parse_geojson(MULTI).unwrap();
        let ms: Vec<Marker> = (1..=5).map(|n| marker(n, 52.0 + n as f64 * 0.04, 13.0 + n as f64 * 0.05)).collect();
        let a = svg(Some(&o), &ms, "Karte");
        let b = svg(Some(&o.clone()), &ms.clone(), "Karte");
        assert_eq!(a, b);
        // At most one decimal in any number.
        for n in a.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter(|n| n.contains('.')) {
            assert!(n.split('.').nth(1).unwrap().len() <= 1 || n.contains("0.35"), "{n}");
        }
        // Different captions give different title ids (several maps on one page).
        assert_ne!(view_id(&a), view_id(&svg(Some(&o), &ms, "Andere Karte")));
    }

    fn view_id(s: &str) -> String {
        let at = s.find("aria-labelledby=\"").unwrap() + 17;
        s[at..at + s[at..].find('"').unwrap()].to_string()
    }

    #[test]
    fn overlapping_markers_are_nudged() {
        let ms =
            vec![marker(1, 52.5, 13.4), marker(2, 52.5, 13.4), marker(3, 52.50001, 13.40001), marker(4, 52.6, 13.6)];
        let s = svg(None, &ms, "x");
        let cs = circles(&s);
        assert_eq!(cs.len(), 4);
        for i in 0..cs.len() {
            for j in i + 1..cs.len() {
                let d = (cs[i].0 - cs[j].0).hypot(cs[i].1 - cs[j].1);
                assert!(d >= SPACING - 0.2, "{i} {j} {d}");
            }
        }
        assert_eq!(s.matches("<line ").count(), 2);
        // Leaders come before (under) every marker.
        assert!(s.find(r#"class="map-leader""#).unwrap() < s.find(r#"class="map-marker""#).unwrap());
        let [x, y, w, h] = view_box(&s);
        for (cx, cy) in cs {
            assert!(cx - RADIUS >= x && cx + RADIUS <= x + w && cy - RADIUS >= y && cy + RADIUS <= y + h);
        }
    }

    #[test]
    fn empty_and_invalid_input_never_panics() {
        let s = svg(None, &[], "Leer");
        assert!(s.starts_with("<svg ") && s.ends_with("</svg>"));
        assert!(s.contains(r#"viewBox="0 0 100 100""#) && s.contains(">Leer</title>"));
        let bad = vec![marker(1, f64::NAN, 13.0), marker(2, 91.0, 0.0), marker(3, 0.0, f64::INFINITY)];
        let s = svg(None, &bad, "x");
        assert!(s.contains(r#"viewBox="0 0 100 100""#) && !s.contains("NaN") && !s.contains("inf"));
        // One marker alone: a sensible box, not a degenerate one.
        let s = svg(None, &[marker(1, 0.0, 0.0)], "x");
        let [_, _, w, h] = view_box(&s);
        assert!(w > 2.0 * RADIUS && h > 2.0 * RADIUS && w.is_finite() && h.is_finite());
        // An outline given in code with a NaN point is skipped, not drawn.
        let o = Outline { rings: vec![vec![[0.0, 0.0], [f64::NAN, 1.0], [1.0, 1.0]]] };
        assert!(!svg(Some(&o), &[], "x").contains("NaN"));
        // Near the pole the cosine is clamped.
        let s = svg(None, &[marker(1, 90.0, 0.0), marker(2, 89.9, 180.0)], "x");
        assert!(!s.contains("NaN") && !s.contains("inf"));
    }

    #[test]
    fn links() {
        assert_eq!(geo_uri(52.520008, 13.404954), "geo:52.520008,13.404954");
        assert_eq!(geo_uri(-0.0000001, 0.0), "geo:0.000000,0.000000");
        assert_eq!(
            osm_url(52.520008, 13.404954),
            "https://www.openstreetmap.org/?mlat=52.520008&mlon=13.404954#map=17/52.520008/13.404954"
        );
        assert_eq!(check_point(f64::NAN, 0.0).unwrap_err(), "latitude NaN is outside -90…90");
        assert!(check_point(90.0, -180.0).is_ok());
    }
}
