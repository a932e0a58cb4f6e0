//! Content images: resized (never upscaled) to WebP and the original format, `<picture>` with
//! `srcset`, `width`/`height`, lazy loading after the first image, alt text required, and a
//! cache that spares a rebuild the encoding.

mod common;
use common::{Fixture, has_attr, page};
use std::collections::BTreeMap;
use std::path::Path;

/// A photo-like JPEG: a gradient with a dark disc.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (x as i64 - width as i64 / 2, y as i64 - height as i64 / 2);
        if dx * dx + dy * dy < (height as i64 / 4).pow(2) { image::Rgb([40, 60, 90]) } else { image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 160]) }
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(width, height, |x, _| image::Rgba([200, (x % 255) as u8, 40, if x < width / 2 { 255 } else { 120 }]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

/// Output files whose name starts with `stem-` and ends with `.ext`: width in the name → path.
fn variants(out: &Path, dir: &str, stem: &str, ext: &str) -> BTreeMap<u32, std::path::PathBuf> {
    let mut found = BTreeMap::new();
    for e in std::fs::read_dir(out.join(dir)).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if let Some(rest) = name.strip_prefix(&format!("{stem}-"))
            && name.ends_with(&format!(".{ext}"))
            && let Some((w, hash_ext)) = rest.split_once("w.")
        {
            assert_eq!(hash_ext.len(), 10 + 1 + ext.len(), "a 10-digit hash in {name}");
            found.insert(w.parse().unwrap(), out.join(dir).join(&name));
        }
    }
    found
}

/// The width in a lossy WebP's VP8 frame header.
fn webp_width(bytes: &[u8]) -> u32 {
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..16], b"WEBPVP8 ", "lossy WebP");
    (u16::from_le_bytes([bytes[26], bytes[27]]) & 0x3fff) as u32
}

fn site() -> Fixture {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Start", "Willkommen.")),
        ("content/ankommen/weg.de.md", &page("Weg", "![Karte: der Weg vom Bahnhof zum Landratsamt](karte.jpg \"Der Weg\")\n\nText.\n\n![Das Logo des Landkreises](logo.png)\n\n![-](linie.png)\n")),
        ("content/ankommen/weg.ar.md", &page("الطريق", "![خريطة: الطريق من المحطة إلى مكتب المقاطعة](karte.jpg)\n")),
    ]);
    f.write_bytes("content/ankommen/karte.jpg", &jpeg(1600, 1000));
    f.write_bytes("content/ankommen/logo.png", &png(500, 300));
    f.write_bytes("content/ankommen/linie.png", &png(200, 10));
    f
}

#[test]
fn resized_variants_picture_and_lazy_loading() {
    let f = site();
    f.build_ok();
    let out = f.out();

    // Never upscaled: 1600 wide → the four standard widths; 500 wide → 320 and its own width.
    let webp = variants(&out, "ankommen", "karte", "webp");
    assert_eq!(webp.keys().copied().collect::<Vec<_>>(), vec![320, 640, 960, 1280]);
    for (w, path) in &webp {
        assert_eq!(webp_width(&std::fs::read(path).unwrap()), *w, "{}", path.display());
    }
    let jpg = variants(&out, "ankommen", "karte", "jpg");
    assert_eq!(jpg.keys().copied().collect::<Vec<_>>(), vec![320, 640, 960, 1280]);
    assert_eq!(image::image_dimensions(&jpg[&640]).unwrap(), (640, 400));
    assert_eq!(variants(&out, "ankommen", "logo", "webp").keys().copied().collect::<Vec<_>>(), vec![320, 500]);
    let png = variants(&out, "ankommen", "logo", "png");
    assert_eq!(image::image_dimensions(&png[&500]).unwrap(), (500, 300));
    assert!(f.exists("ankommen/karte.jpg"), "the original is still there");
    // Smaller than the original at the same width? At least the phone size is small.
    assert!(std::fs::metadata(&webp[&640]).unwrap().len() < 60_000);

    let html = f.read("de/ankommen/weg/index.html");
    let pictures: Vec<&str> = html.split("<picture>").skip(1).map(|p| p.split("</picture>").next().unwrap()).collect();
    assert_eq!(pictures.len(), 3, "{html}");
    let first = pictures[0];
    assert!(first.contains("type=image/webp") || first.contains("type=\"image/webp\""), "{first}");
    for w in [320, 640, 960, 1280] {
        assert!(first.contains(&format!("/ankommen/karte-{w}w.")) && first.contains(&format!(".webp {w}w")), "{w} in {first}");
        assert!(first.contains(&format!(".jpg {w}w")), "{w} in {first}");
    }
    assert!(first.contains("sizes=\"(max-width: 46rem) 100vw, 46rem\""), "{first}");
    // The real size (up to 1280) for the aspect ratio; `src` the smallest, for browsers without srcset.
    assert!(has_attr(first, "width", "1280") && has_attr(first, "height", "800"), "{first}");
    assert!(first.contains("src=/ankommen/karte-320w.") || first.contains("src=\"/ankommen/karte-320w."), "{first}");
    assert!(first.contains("alt=\"Karte: der Weg vom Bahnhof zum Landratsamt\""), "{first}");
    assert!(first.contains("title=\"Der Weg\""), "{first}");
    // The first image is above the fold: no lazy loading. The others are lazy.
    assert!(!first.contains("loading") && !first.contains("decoding"), "{first}");
    let second = pictures[1];
    assert!(has_attr(second, "loading", "lazy") && has_attr(second, "decoding", "async"), "{second}");
    assert!(has_attr(second, "width", "500") && has_attr(second, "height", "300"), "{second}");
    // `![-](…)`: decorative, empty alt.
    assert!(pictures[2].contains("alt=\"\"") || pictures[2].contains("alt>") || pictures[2].contains("alt "), "{}", pictures[2]);

    // The Arabic page uses the same files: each image is encoded once, not once per language.
    let ar = f.read("ar/ankommen/weg/index.html");
    assert!(ar.contains(webp[&640].file_name().unwrap().to_str().unwrap()), "{ar}");
    assert_eq!(std::fs::read_dir(f.path().join(".lotse-cache/images")).unwrap().count(), 8 + 4 + 2);
}

#[test]
fn rebuild_takes_the_variants_from_the_cache() {
    let f = site();
    f.build_ok();
    let cache = f.path().join(".lotse-cache/images");
    let mtimes = |dir: &Path| -> BTreeMap<String, std::time::SystemTime> {
        std::fs::read_dir(dir).unwrap().map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().to_string(), e.metadata().unwrap().modified().unwrap())
        }).collect()
    };
    let before = mtimes(&cache);
    let html_before = f.read("de/ankommen/weg/index.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    f.build_ok();
    assert_eq!(mtimes(&cache), before, "nothing re-encoded");
    assert_eq!(f.read("de/ankommen/weg/index.html"), html_before, "same names: deterministic");

    // A changed image gets new variants under a new hash.
    f.write_bytes("content/ankommen/karte.jpg", &jpeg(1000, 800));
    f.build_ok();
    let after = mtimes(&cache);
    assert_eq!(after.len(), before.len() + 8, "320, 640, 960 and 1000 wide, WebP and JPEG");
    let html = f.read("de/ankommen/weg/index.html");
    assert_ne!(html, html_before);
    assert!(html.contains(".webp 1000w") && !html.contains(".webp 1280w"), "{html}");
}

#[test]
fn image_without_alt_is_an_error() {
    let f = site();
    f.write("content/ankommen/weg.de.md", &page("Weg", "Text.\n\nSo kommen Sie hin: ![](karte.jpg)\n"));
    let out = f.build();
    assert!(!out.ok, "{}", out.stderr);
    for needle in [
        "error: the image `karte.jpg` has no alt text",
        "content/ankommen/weg.de.md:7:20",
        "hint: write what the image shows between the brackets",
        "for a purely decorative image write `![-](karte.jpg)`",
    ] {
        assert!(out.stderr.contains(needle), "expected `{needle}` in:\n{}", out.stderr);
    }
}

#[test]
fn external_images_get_alt_and_lazy_loading_too() {
    let f = Fixture::new(&[("content/_index.de.md", &page("Start", "![Plan](https://example.org/plan.svg)\n\n![Foto](https://example.org/foto.jpg)\n"))]);
    f.build_ok();
    let html = f.read("de/index.html");
    let imgs: Vec<&str> = html.split("<img ").skip(1).map(|i| i.split('>').next().unwrap()).collect();
    assert_eq!(imgs.len(), 2, "{html}");
    assert!(has_attr(&format!("{} ", imgs[0]), "alt", "Plan") && imgs[0].contains("src=https://example.org/plan.svg") && !imgs[0].contains("lazy"), "{}", imgs[0]);
    assert!(has_attr(&format!("{} ", imgs[1]), "alt", "Foto") && has_attr(&format!("{} ", imgs[1]), "loading", "lazy"), "{}", imgs[1]);
}
