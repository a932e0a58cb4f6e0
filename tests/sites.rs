//! Several sites in one repository: `sites/NAME/` with its own site.yaml and content/, shared
//! content from `shared/<name>/`, the repository's theme and i18n; `--site NAME` and `--all-sites`.

mod common;
use common::{Fixture, page};
use std::path::Path;
use std::process::Command;

const SITE_YAML: &str = "title: Gemeinde\nbase_url: https://NAME.example.org/\ndefault_language: de\nlanguages:\n  de: { name: Deutsch }\n  en: { name: English }\n  ar: { name: العربية, dir: rtl }\nshared_content: [common]\n";

/// A repository: the root portal (site.yaml, content/), shared/common/ and the sites `bergheim`
/// and `wiesenau`.
fn repository() -> Fixture {
    let f = Fixture::new(&[
        ("content/_index.de.md", &page("Landkreis", "Das Hauptportal.")),
        ("shared/common/notruf.de.md", &page("Notruf", "Wählen Sie 112.")),
        ("shared/common/notruf.ar.md", &page("الطوارئ", "اتصلوا بالرقم 112.")),
        ("shared/common/portal.de.md", &page("Über das Portal", "Der geteilte Text.")),
    ]);
    for name in ["bergheim", "wiesenau"] {
        f.write(&format!("sites/{name}/site.yaml"), &SITE_YAML.replace("NAME", name));
        f.write(&format!("sites/{name}/content/_index.de.md"), &page(&format!("Willkommen in {name}"), "Siehe [Notruf](@/notruf.md)."));
        f.write(&format!("sites/{name}/content/rathaus.de.md"), &page("Rathaus", &format!("Das Rathaus von {name}.")));
    }
    // Bergheim's own page wins over the shared one with the same path.
    f.write("sites/bergheim/content/portal.de.md", &page("Über das Portal", "Der Bergheimer Text."));
    f
}

fn lotse(dir: &Path, args: &[&str]) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run lotse");
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (o.status.success(), stderr)
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_site_builds_its_own_and_the_shared_pages_into_public_name() {
    let f = repository();
    let root = f.path();
    let (ok, e) = lotse(root, &["build", "--site", "bergheim"]);
    assert!(ok, "{e}");
    let out = root.join("public/bergheim");
    assert!(read(&out, "de/rathaus/index.html").contains("Das Rathaus von bergheim."));
    // Shared pages, in every language they have.
    assert!(read(&out, "de/notruf/index.html").contains("Wählen Sie 112."));
    assert!(read(&out, "ar/notruf/index.html").contains("اتصلوا بالرقم 112."));
    // Its own file wins over the shared one.
    let portal = read(&out, "de/portal/index.html");
    assert!(portal.contains("Der Bergheimer Text."), "{portal}");
    assert!(!portal.contains("Der geteilte Text."));
    // The link into shared content resolves; the base URL is the site's own.
    assert!(read(&out, "sitemap.xml").contains("https://bergheim.example.org/de/notruf/"));
    // Nothing of the root portal, and the root portal's output is not touched.
    assert!(!out.join("de/landkreis").exists());
    assert!(!root.join("public/de").exists());
    // The search cache is the site's own.
    assert!(root.join(".lotse-cache/sites/bergheim/search").is_dir());

    // The other site shows the shared page; --output overrides public/NAME.
    let (ok, e) = lotse(root, &["build", "--site", "wiesenau", "--output", "elsewhere"]);
    assert!(ok, "{e}");
    assert!(read(&root.join("elsewhere"), "de/portal/index.html").contains("Der geteilte Text."));
    assert!(!root.join("public/wiesenau").exists());

    // The root portal still builds alone, without the shared pages.
    let (ok, e) = lotse(root, &["build"]);
    assert!(ok, "{e}");
    assert!(root.join("public/de/index.html").exists());
    assert!(!root.join("public/de/notruf").exists());
}

#[test]
fn a_sites_own_i18n_overrides_the_shared_one() {
    let f = repository();
    let de = std::fs::read_to_string("i18n/de.yaml").unwrap();
    // The repository's shared strings, and Bergheim's own German file over them.
    f.write("i18n/de.yaml", &de.replace("\nsearch_button: Suchen\n", "\nsearch_button: Suche im Landkreis\n"));
    f.write("sites/bergheim/i18n/de.yaml", &de.replace("\nsearch_button: Suchen\n", "\nsearch_button: Suche in Bergheim\n"));
    let (ok, e) = lotse(f.path(), &["build", "--all-sites"]);
    assert!(ok, "{e}");
    assert!(read(&f.path().join("public/bergheim"), "de/index.html").contains("Suche in Bergheim"));
    assert!(read(&f.path().join("public/wiesenau"), "de/index.html").contains("Suche im Landkreis"));
    // A broken string names the site's own file.
    f.write("sites/bergheim/i18n/de.yaml", &de.replace("\nsearch_button: Suchen\n", "\nsearch_button: [Suchen\n"));
    let (ok, e) = lotse(f.path(), &["build", "--site", "bergheim"]);
    assert!(!ok);
    assert!(e.contains("sites/bergheim/i18n/de.yaml"), "{e}");
}

#[test]
fn errors_name_the_file_in_the_repository() {
    let f = repository();
    f.write("sites/bergheim/content/kaputt.de.md", "---\ntitle: Kaputt: ja\n---\nText\n");
    f.write("shared/common/auch-kaputt.de.md", "---\ndate: 2024-01-01\n---\nText\n");
    f.write("public/bergheim/marker.txt", "previous");
    let (ok, e) = lotse(f.path(), &["build", "--site", "bergheim"]);
    assert!(!ok);
    assert!(e.contains("sites/bergheim/content/kaputt.de.md:2:"), "{e}");
    assert!(e.contains("shared/common/auch-kaputt.de.md"), "{e}");
    assert_eq!(read(&f.path().join("public/bergheim"), "marker.txt"), "previous");

    // A problem in the site's site.yaml names it; an unknown shared folder gets a did-you-mean.
    f.write("sites/wiesenau/site.yaml", &SITE_YAML.replace("NAME", "wiesenau").replace("[common]", "[comon]"));
    let (ok, e) = lotse(f.path(), &["build", "--site", "wiesenau"]);
    assert!(!ok);
    assert!(e.contains("sites/wiesenau/site.yaml:8:"), "{e}");
    assert!(e.contains("did you mean `common`?"), "{e}");
}

#[test]
fn image_warnings_name_the_image_in_the_repository() {
    let f = repository();
    // not a PNG: copied as it is, with a warning naming where the editor finds it
    f.write("sites/bergheim/content/karte.png", "no image");
    f.write("shared/common/plan.png", "no image either");
    let (ok, e) = lotse(f.path(), &["build", "--site", "bergheim"]);
    assert!(ok, "{e}");
    assert!(e.contains("sites/bergheim/content/karte.png") && e.contains("cannot read this image"), "{e}");
    assert!(e.contains("shared/common/plan.png"), "{e}");
    assert!(!e.contains(" content/karte.png"), "{e}");
    assert_eq!(read(&f.path().join("public/bergheim"), "karte.png"), "no image");
}

#[test]
fn all_sites_build_in_parallel_and_one_broken_site_fails_alone() {
    let f = repository();
    let root = f.path();
    let (ok, e) = lotse(root, &["build", "--all-sites"]);
    assert!(ok, "{e}");
    assert!(root.join("public/bergheim/de/rathaus/index.html").exists());
    assert!(root.join("public/wiesenau/de/rathaus/index.html").exists());
    assert!(e.contains("2 of 2 sites built"), "{e}");

    // Break wiesenau: bergheim is still built, wiesenau keeps its previous output, exit 1.
    let before = read(&root.join("public/wiesenau"), "de/rathaus/index.html");
    f.write("sites/wiesenau/content/kaputt.de.md", "---\ntitle: Kaputt: ja\n---\nText\n");
    f.write("sites/bergheim/content/neu.de.md", &page("Neu", "Eine neue Seite."));
    let (ok, e) = lotse(root, &["build", "--all-sites"]);
    assert!(!ok, "{e}");
    assert!(e.contains("sites/wiesenau/content/kaputt.de.md:2:"), "{e}");
    assert!(e.contains("1 of 2 sites built") && e.contains("failed: wiesenau"), "{e}");
    assert!(root.join("public/bergheim/de/neu/index.html").exists());
    assert_eq!(read(&root.join("public/wiesenau"), "de/rathaus/index.html"), before);
}

#[test]
fn an_unknown_site_lists_the_sites() {
    let f = repository();
    let (ok, e) = lotse(f.path(), &["build", "--site", "bergheym"]);
    assert!(!ok);
    assert!(e.contains("there is no site `bergheym`"), "{e}");
    assert!(e.contains("did you mean `bergheim`?"), "{e}");
    assert!(e.contains("bergheim, wiesenau"), "{e}");
    let (ok, e) = lotse(f.path(), &["check", "--offline", "--site", "nord"]);
    assert!(!ok);
    assert!(e.contains("bergheim, wiesenau"), "{e}");
}

#[test]
fn check_takes_a_site() {
    let f = repository();
    let (ok, e) = lotse(f.path(), &["check", "--offline", "--site", "bergheim"]);
    assert!(ok, "{e}");
}
