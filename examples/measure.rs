//! Times newsnote's first frame on a corpus or article, through the real program
//! (`newsnote::headless`), for `scripts/bench-compare.sh`:
//!
//! ```text
//! cargo run --release --example measure -- PATH [WIDTH HEIGHT]
//! ```
//!
//! Opens PATH as `newsnote PATH` does, draws the first frame at WIDTH×HEIGHT (default
//! 200×60) and prints the seconds that took. The process's own start-up is not included;
//! time the whole command from outside to compare it with another program's.

use newsnote::headless::Headless;
use std::time::Instant;

fn main() -> anyhow::Result<std::convert::Infallible> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or_else(|| anyhow::anyhow!("usage: measure PATH [WIDTH HEIGHT]"))?;
    let width = args.get(1).map_or(Ok(200), |w| w.parse())?;
    let height = args.get(2).map_or(Ok(60), |h| h.parse())?;
    let t0 = Instant::now();
    let mut h = Headless::open(std::path::Path::new(path), width, height)?;
    h.draw();
    println!("{:.6}", t0.elapsed().as_secs_f64());
    // The first frame is on screen: leave without tearing the app down, as that is not part
    // of what is measured.
    std::process::exit(0)
}
