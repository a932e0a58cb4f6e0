//! Content images for a cheap phone: every JPEG and PNG in `content/` is resized at build time to
//! the widths a phone needs (never upscaled) and written as lossy WebP (libwebp through the `webp`
//! crate) and in its own format as the fallback. Markdown images then become a `<picture>` with
//! `srcset`/`sizes`, `width`/`height` and lazy loading (see `markdown.rs`).
//!
//! Each image is decoded once per build at most (not once per page or language), all images in
//! parallel, and only when a variant is missing from the cache: `.lotse-cache/images/` holds every
//! variant under the source's SHA-256, the width and the format, so a rebuild copies instead of
//! re-encoding. Output names carry the width and a hash of the source and the encoder settings
//! (`foto-640w.3f2a9c1b7d.webp`), so they are deterministic and can be cached forever.
//!
//! No AVIF: `ravif` (rav1e) needs nasm to build its fast paths and even then encodes roughly ten
//! times slower than libwebp; every browser a phone runs today shows WebP.

use crate::content::{Asset, Content};
use crate::diagnostic::Diagnostic;
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The widths written (CSS pixels × density of the phones and small laptops that read a portal).
pub const WIDTHS: [u32; 4] = [320, 640, 960, 1280];
/// The `sizes` of a content image: the full viewport up to the text column (`main`, 46rem).
pub const SIZES: &str = "(max-width: 46rem) 100vw, 46rem";
const WEBP_QUALITY: f32 = 75.0;
const JPEG_QUALITY: u8 = 80;
/// Part of every hash: change it when the encoding changes, so old variants are not reused.
const SETTINGS: &str = "lotse-images-1 webp75 jpeg80 lanczos3";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Output path relative to the site root (`ankommen/karte-640w.3f2a9c1b7d.webp`).
    pub rel: String,
}

/// One source image and its variants, smallest first.
#[derive(Debug, Clone)]
pub struct Image {
    pub webp: Vec<Variant>,
    pub fallback: Vec<Variant>,
}

/// Every processed image by its path inside `content/` (`ankommen/karte.png`).
#[derive(Debug, Default)]
pub struct Images(pub BTreeMap<String, Image>);

impl Images {
    pub fn get(&self, rel: &str) -> Option<&Image> {
        self.0.get(rel)
    }
}

fn format_of(rel: &str) -> Option<Format> {
    let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(Format::Jpeg),
        "png" => Some(Format::Png),
        _ => None,
    }
}

/// The widths written for an image `width` wide: the standard ones below it, and its own width
/// when it is not wider than the largest (never upscaled).
pub fn widths_for(width: u32) -> Vec<u32> {
    let max = *WIDTHS.last().unwrap_or(&1280);
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    if width <= max {
        out.push(width);
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Resizes and encodes every JPEG/PNG of `content` (in parallel, from the cache when it can),
/// records them in `content.images` and adds the variants to `content.assets`, so they are
/// copied to the output like any other file. An image that cannot be read is a warning: it is
/// still copied and shown as it is.
pub fn prepare(source: &Path, content: &mut Content) -> Vec<Diagnostic> {
    // Keyed by the image's content: one cache for every site of a repository (see `sites`).
    let cache = crate::sites::Layout::of(source).shared_cache_dir().join("images");
    let jobs: Vec<(&Asset, Format)> = content.assets.iter().filter_map(|a| format_of(&a.rel).map(|f| (a, f))).collect();
    if jobs.is_empty() {
        return Vec::new();
    }
    if let Err(e) = std::fs::create_dir_all(&cache) {
        return vec![Diagnostic::warning(".lotse-cache/images", format!("cannot create the image cache: {e}; images are shown unresized"))
            .hint("check that the site folder is writable")];
    }
    let results: Vec<Result<Prepared, Diagnostic>> =
        jobs.par_iter().map(|(asset, format)| process(asset, *format, &cache)).collect();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok((rel, image, assets)) => {
                content.images.0.insert(rel, image);
                content.assets.extend(assets);
            }
            Err(d) => problems.push(d),
        }
    }
    problems
}

/// An image's path in content/, its variants, and the variant files to copy.
type Prepared = (String, Image, Vec<Asset>);

fn process(asset: &Asset, format: Format, cache: &Path) -> Result<Prepared, Diagnostic> {
    let file = asset.shown.as_str();
    let unreadable = |e: String| {
        Diagnostic::warning(file, format!("cannot read this image, it is copied but not resized: {e}"))
            .hint("open it in an image editor and save it again as JPEG or PNG")
    };
    let bytes = std::fs::read(&asset.path).map_err(|e| unreadable(e.to_string()))?;
    let source_hash = hex(&Sha256::digest(&bytes));
    let name_hash = hex(&Sha256::digest(format!("{source_hash} {SETTINGS}").as_bytes()))[..10].to_string();
    let decoder = ImageReader::new(Cursor::new(&bytes[..]))
        .with_guessed_format()
        .map_err(|e| unreadable(e.to_string()))?
        .into_decoder()
        .map_err(|e| unreadable(e.to_string()))?;
    let (w, h) = decoder.dimensions();
    let mut decoder = decoder;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let swapped = matches!(
        orientation,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    let (width, height) = if swapped { (h, w) } else { (w, h) };
    if width == 0 || height == 0 {
        return Err(unreadable("it has no pixels".into()));
    }

    let (dir, stem) = match asset.rel.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n.rsplit_once('.').map(|(s, _)| s).unwrap_or(n).to_string()),
        None => (String::new(), asset.rel.rsplit_once('.').map(|(s, _)| s).unwrap_or(&asset.rel).to_string()),
    };
    let fallback_format = format;
    // (width, height, format, cache file, output rel)
    let mut planned = Vec::new();
    for vw in widths_for(width) {
        let vh = ((height as u64 * vw as u64 + width as u64 / 2) / width as u64).max(1) as u32;
        for f in [Format::Webp, fallback_format] {
            let cache_file = cache.join(format!("{source_hash}-{vw}.{}", f.ext()));
            let rel = format!("{dir}{stem}-{vw}w.{name_hash}.{}", f.ext());
            planned.push((vw, vh, f, cache_file, rel));
        }
    }
    let missing: Vec<&(u32, u32, Format, PathBuf, String)> = planned.iter().filter(|p| !p.3.is_file()).collect();
    if !missing.is_empty() {
        let mut img = DynamicImage::from_decoder(decoder).map_err(|e| unreadable(e.to_string()))?;
        img.apply_orientation(orientation);
        let alpha = img.color().has_alpha() && fallback_format == Format::Png;
        // The largest variant from the original, the smaller ones from it (much faster for
        // a photo straight from a phone, and no visible difference at these sizes).
        let largest = missing.iter().map(|p| (p.0, p.1)).max().unwrap_or((width, height));
        let base = if largest.0 == width { img } else { img.resize_exact(largest.0, largest.1, image::imageops::FilterType::Lanczos3) };
        let base = if alpha { DynamicImage::ImageRgba8(base.to_rgba8()) } else { DynamicImage::ImageRgb8(base.to_rgb8()) };
        let encoded: Vec<Result<(), String>> = missing
            .par_iter()
            .map(|(vw, vh, f, cache_file, _)| {
                let scaled;
                let img = if *vw == base.width() {
                    &base
                } else {
                    scaled = base.resize_exact(*vw, *vh, image::imageops::FilterType::Lanczos3);
                    &scaled
                };
                let data = encode(img, *f)?;
                // Written under a temporary name and renamed: a build cut short leaves no half file.
                let tmp = cache_file.with_extension(format!("{}.tmp{}", f.ext(), std::process::id()));
                std::fs::write(&tmp, &data).and_then(|_| std::fs::rename(&tmp, cache_file)).map_err(|e| e.to_string())
            })
            .collect();
        if let Some(Err(e)) = encoded.into_iter().find(Result::is_err) {
            return Err(Diagnostic::warning(file, format!("cannot write the resized image to the cache: {e}"))
                .hint("check that .lotse-cache/ is writable and the disk is not full"));
        }
    }

    let mut image = Image { webp: Vec::new(), fallback: Vec::new() };
    let mut assets = Vec::new();
    for (vw, vh, f, cache_file, rel) in planned {
        let v = Variant { width: vw, height: vh, rel: rel.clone() };
        if f == Format::Webp {
            image.webp.push(v);
        } else {
            image.fallback.push(v);
        }
        assets.push(Asset { rel, path: cache_file, shown: asset.shown.clone() });
    }
    Ok((asset.rel.clone(), image, assets))
}

fn encode(img: &DynamicImage, format: Format) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        Format::Webp => {
            let encoder = match img {
                DynamicImage::ImageRgba8(rgba) => webp::Encoder::from_rgba(rgba.as_raw(), rgba.width(), rgba.height()),
                DynamicImage::ImageRgb8(rgb) => webp::Encoder::from_rgb(rgb.as_raw(), rgb.width(), rgb.height()),
                other => return encode(&DynamicImage::ImageRgb8(other.to_rgb8()), format),
            };
            out.extend_from_slice(&encoder.encode(WEBP_QUALITY));
        }
        Format::Jpeg => {
            let rgb = img.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&rgb).map_err(|e| e.to_string())?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            img.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

/// Attribute values: the same escaping as search results (`&`, `<`, `>`, quotes).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    search_core::engine::escape_html(s, &mut out);
    out
}

/// The attributes every content image gets: `alt`, `title`, and lazy loading unless it is the
/// first image of the page (likely above the fold, so it should not wait).
fn common_attrs(alt: &str, title: &str, first: bool) -> String {
    let mut s = format!(" alt=\"{}\"", escape(alt));
    if !title.is_empty() {
        s.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    if !first {
        s.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    s
}

impl Image {
    /// `<picture>`: a WebP `<source>` and an `<img>` in the original format, both with `srcset`.
    /// `base` is the site's base path (`/portal/`).
    pub fn html(&self, base: &str, alt: &str, title: &str, first: bool) -> String {
        let srcset = |vs: &[Variant]| vs.iter().map(|v| format!("{}{} {}w", escape(base), escape(&v.rel), v.width)).collect::<Vec<_>>().join(", ");
        // `src` is for browsers without srcset (old phones): the smallest variant. `width` and
        // `height` are the largest's, the image's real size up to 1280 pixels: they give the
        // browser the aspect ratio before the image arrives, and the CSS scales it to the column.
        let (Some(src), Some(largest)) = (self.fallback.first(), self.fallback.last()) else { return String::new() };
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\"><img src=\"{}{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\"{}></picture>",
            srcset(&self.webp),
            escape(base),
            escape(&src.rel),
            srcset(&self.fallback),
            largest.width,
            largest.height,
            common_attrs(alt, title, first)
        )
    }
}

/// An image Lotse did not resize (an external URL, SVG, GIF): an `<img>` with the same attributes.
pub fn plain_html(src: &str, alt: &str, title: &str, first: bool) -> String {
    format!("<img src=\"{}\"{}>", escape(src), common_attrs(alt, title, first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_upscaled() {
        assert_eq!(widths_for(200), vec![200]);
        assert_eq!(widths_for(640), vec![320, 640]);
        assert_eq!(widths_for(800), vec![320, 640, 800]);
        assert_eq!(widths_for(4000), vec![320, 640, 960, 1280]);
    }

    #[test]
    fn picture_markup() {
        let v = |w, ext| Variant { width: w, height: w / 2, rel: format!("a/x-{w}w.h.{ext}") };
        let img = Image { webp: vec![v(320, "webp"), v(1000, "webp")], fallback: vec![v(320, "jpg"), v(1000, "jpg")] };
        let html = img.html("/p/", "Ein \"Bild\"", "", false);
        assert!(html.contains("srcset=\"/p/a/x-320w.h.webp 320w, /p/a/x-1000w.h.webp 1000w\""), "{html}");
        assert!(html.contains("src=\"/p/a/x-320w.h.jpg\" "), "{html}");
        assert!(html.contains("width=\"1000\" height=\"500\""));
        assert!(html.contains("alt=\"Ein &quot;Bild&quot;\" loading=\"lazy\" decoding=\"async\""));
        assert!(!img.html("/", "a", "", true).contains("lazy"));
    }
}
