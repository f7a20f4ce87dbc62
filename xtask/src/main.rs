fn main() { std::process::exit(xtask::run()) }
