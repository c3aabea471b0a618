fn main() { eprintln!("usage: cargo xtask <refresh|diff>"); std::process::exit(2); }
