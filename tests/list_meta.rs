//! The article list's metadata, end to end: `newsnote list --outlet/--from/--to/--sort` as a
//! script runs it, and the order key (`o`) in the real binary in a pseudo-terminal, on a
//! corpus of saved news pages larger than the screen, so that the dates an order needs are
//! read off the terminal loop, as in a real corpus.

mod common;

use common::pty::Session;
use std::path::Path;
use std::process::{Command, Output};

/// A saved page with a title, an outlet and a publication time when given.
fn page(title: &str, outlet: Option<&str>, published: Option<&str>) -> String {
    let mut head = format!("<title>{title}</title>");
    if let Some(o) = outlet {
        head.push_str(&format!(r#"<meta property="og:site_name" content="{o}">"#));
    }
    if let Some(p) = published {
        head.push_str(&format!(r#"<meta property="article:published_time" content="{p}">"#));
    }
    format!("<!doctype html><html><head>{head}</head><body><h1>{title}</h1><p>Текст статьи.</p></body></html>")
}

/// 60 pages: `p00`…`p57` from Reuters and Українська правда in November 2026, then `p58`,
/// the newest (新华社, December), and `p59` with no date: both far below the first screen.
fn corpus() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for i in 0..58 {
        let outlet = if i % 2 == 0 { "Reuters" } else { "Українська правда" };
        let day = format!("2026-11-{:02}T09:00:00Z", i % 28 + 1);
        std::fs::write(d.path().join(format!("p{i:02}.html")), page(&format!("Статья {i}"), Some(outlet), Some(&day)))
            .unwrap();
    }
    std::fs::write(d.path().join("p58.html"), page("外交部发言人答记者问", Some("新华社"), Some("2026-12-24")))
        .unwrap();
    std::fs::write(d.path().join("p59.html"), page("Без даты", Some("Reuters"), None)).unwrap();
    d
}

fn newsnote(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .env("XDG_CONFIG_HOME", dir.join("no-config"))
        .output()
        .unwrap()
}

fn ids(o: &Output) -> Vec<String> {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap().lines().map(|l| l.split('\t').next().unwrap().to_owned()).collect()
}

#[test]
fn list_keeps_an_outlet_and_a_day_range_in_date_order_as_the_tui_filter_does() {
    let d = corpus();
    let o = newsnote(
        &["list", ".", "--outlet", "ПРАВДА", "--from", "2026-11-20", "--to", "2026-11-22", "--sort", "date"],
        d.path(),
    );
    // Odd pages are Українська правда; page i is on day i % 28 + 1: days 20–22 are pages
    // 19, 21, 47 and 49; one day's pages stay in id order.
    assert_eq!(ids(&o), ["p21.html", "p49.html", "p19.html", "p47.html"].map(String::from));
    let line = String::from_utf8(o.stdout).unwrap().lines().next().unwrap().to_owned();
    assert!(line.ends_with("\t2026-11-22\tУкраїнська правда\tСтатья 21"), "{line}");
    // Newest first, the undated last; --json gives the same articles in the same order.
    let all = ids(&newsnote(&["list", ".", "--sort", "date"], d.path()));
    assert_eq!((all[0].as_str(), all[59].as_str()), ("p58.html", "p59.html"));
    let json = newsnote(&["list", "--json", ".", "--sort", "date"], d.path());
    let json_ids: Vec<String> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(json_ids, all);
    let by_outlet = ids(&newsnote(&["list", ".", "--sort", "outlet", "--to", "2026"], d.path()));
    assert_eq!(by_outlet.len(), 59, "every dated page is on or before the end of 2026");
    assert_eq!(by_outlet[0], "p26.html", "Reuters first, its newest (27 November) first");
}

#[test]
fn list_refuses_a_day_that_is_not_a_year_month_or_day() {
    let d = corpus();
    for bad in ["2026-1", "30.11.2026", "вчера"] {
        let o = newsnote(&["list", ".", "--from", bad], d.path());
        assert_eq!(o.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("YYYY, YYYY-MM or YYYY-MM-DD"), "{err}");
    }
}

#[test]
fn the_order_key_sorts_the_real_list_newest_first_then_by_outlet_keeping_the_selection() {
    let d = corpus();
    // Under 80 columns the list has the whole width, its title the room to say the order.
    let mut s = Session::start(d.path(), 70, 30);
    s.wait_mode("LIST");
    s.wait_for("Статья 0 ");
    s.send("jj"); // p02
    s.send("o");
    // The list scrolls to keep the selected page in view, wherever the order put it.
    s.wait_until("newest first, page 2 still in view", |s| {
        s.screen_text().contains("· newest first") && s.screen_text().contains("Reuters           Статья 2 ")
    });
    // The newest and the undated pages were never on screen: the order read their dates.
    s.send("g");
    s.wait_until("the newest page on top", |s| s.row(1).contains("2026-12-24") && s.row(1).contains("新华社"));
    s.send("G");
    s.wait_until("the undated page last", |s| s.screen_text().contains("           Reuters           Без даты"));
    s.send("o");
    s.wait_for("· by outlet");
    // Reuters comes first, its newest first: page 26 (27 November).
    s.send("g");
    s.wait_until("Reuters first", |s| s.row(1).contains("Reuters") && s.row(1).contains("Статья 26"));
    s.send("o");
    s.wait_until("back to the id order", |s| !s.screen_text().contains("· by"));
    // The page selected last is still the one Enter opens.
    s.send("\r");
    s.wait_status("p26.html");
    s.quit_with("q");
}
