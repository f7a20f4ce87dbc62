fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../spec".into());
    match codegen::load_model(std::path::Path::new(&dir), "spec") {
        Ok(m) => println!("ok: {} endpoints, {} enums, {} objects, sha1 {}", m.endpoints.len(), m.enums.len(), m.objects.len(), m.spec_sha1),
        Err(d) => println!("{d}"),
    }
}
