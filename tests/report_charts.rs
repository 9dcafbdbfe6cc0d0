//! The HTML report's "Project" charts, as a reader's browser gets them: the page written by
//! the real `newsnote export --format html`, each chart's SVG checked as XML by xmllint,
//! then the page opened by headless Chromium with the network shut off (every host name
//! unresolvable, a proxy that does not exist), its DOM read back for the charts' elements
//! and labels.
//!
//! Chromium and xmllint are outside tools: with `CI` set their absence fails the test
//! (`.ci/run` installs both); elsewhere the test says why it skips and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The sample articles with their annotations and registry beside them.
fn annotated_samples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (from, ext) in [("assets/articles", "txt"), ("annotations", "ron")] {
        for e in std::fs::read_dir(root.join(from)).unwrap() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == ext) {
                std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
            }
        }
    }
    dir
}

/// The report of `dir`, written by the binary to `dir/../report.html`; returns its path.
fn report(dir: &Path, out: &Path) -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .arg("export")
        .arg(dir)
        .args(["--format", "html", "-o"])
        .arg(out)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    std::fs::read_to_string(out).unwrap()
}

/// Every `<svg …>…</svg>` of a page, in order.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("every svg is closed") + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// An outside tool, or why there is none: in CI a missing tool is a failure.
fn tool(candidates: &[&str], why: &str) -> Option<PathBuf> {
    let found = candidates.iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()));
    match found {
        Some(c) => Some(PathBuf::from(c)),
        None if std::env::var_os("CI").is_some() => {
            panic!("{} is not installed ({why}); .ci/run installs it", candidates[0])
        }
        None => {
            eprintln!("skipped: {} is not installed ({why})", candidates[0]);
            None
        }
    }
}

#[test]
fn the_reports_project_charts_are_well_formed_svg_with_titles_descriptions_and_printed_values() {
    let dir = annotated_samples();
    let out = tempfile::tempdir().unwrap();
    let html = report(dir.path(), &out.path().join("report.html"));
    let project = &html[html.find("<section class=\"project\"><h2>Project</h2>").expect("a Project section")..];
    let charts = svgs(&project[..project.find("</section>").unwrap()]);
    assert!(charts.len() >= 4, "entities, their type, claims, labels, boilerplate: {}", charts.len());
    for svg in &charts {
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="), "{svg}");
        assert!(!svg.contains("href") && !svg.contains("url("), "nothing to fetch: {svg}");
    }
    assert!(charts[0].contains("Sources by entity") && charts[0].contains(">Dmitry Peskov</text>"), "{}", charts[0]);
    let Some(xmllint) = tool(&["xmllint"], "apt-get install libxml2-utils") else { return };
    for (i, svg) in charts.iter().enumerate() {
        let file = out.path().join(format!("chart-{i}.svg"));
        std::fs::write(&file, svg).unwrap();
        let check = Command::new(&xmllint).arg("--noout").arg(&file).output().unwrap();
        assert!(check.status.success(), "chart {i} is not well-formed XML: {}", String::from_utf8_lossy(&check.stderr));
    }
}

#[test]
fn headless_chromium_renders_the_project_charts_offline() {
    let dir = annotated_samples();
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("report.html");
    let html = report(dir.path(), &page);
    let Some(chromium) =
        tool(&["chromium", "chromium-browser", "google-chrome"], "apt-get install chromium, for the report's charts")
    else {
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let shot = out.path().join("report.png");
    let browse = |extra: &[&std::ffi::OsStr]| {
        Command::new(&chromium)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"])
            // No network: every name fails to resolve, and any request goes to a proxy that is not there.
            .args(["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap()
    };
    let run = browse(&["--dump-dom".as_ref()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let dom = String::from_utf8_lossy(&run.stdout);
    let svg_count = dom.matches("<svg").count();
    assert_eq!(svg_count, svgs(&html).len(), "every chart is in the rendered DOM");
    for needle in
        ["<title id=\"chart-entities-t\">Sources by entity</title>", ">Dmitry Peskov</text>", "Label mix", "<rect"]
    {
        assert!(dom.contains(needle), "{needle:?} is not in Chromium's DOM");
    }
    // And it paints: a screenshot of the page is a PNG.
    let run = browse(&[format!("--screenshot={}", shot.display()).as_ref(), "--window-size=1000,1400".as_ref()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
}
