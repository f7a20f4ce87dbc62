//! `cargo xtask import`: reads the vendor SDKs (see `importer/README.md`), compares them with the
//! spec, drafts what the spec lacks (`--write`, never over an existing file), fails on any
//! unexcused difference (`--check`) and writes the merged SDK record (`--record FILE`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use importer::check::{compare, Difference};
use importer::draft::{drafts, SpecIndex};

#[derive(Default)]
struct Options {
    go: Option<PathBuf>,
    java: Option<PathBuf>,
    spec: Option<PathBuf>,
    record: Option<PathBuf>,
    write: bool,
    check: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(PathBuf::from)
                .ok_or(format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--go" => o.go = Some(value("--go")?),
            "--java" => o.java = Some(value("--java")?),
            "--spec" => o.spec = Some(value("--spec")?),
            "--record" => o.record = Some(value("--record")?),
            "--write" => o.write = true,
            "--check" => o.check = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.go.is_none() && o.java.is_none() {
        return Err("give --go DIR, --java DIR or both".into());
    }
    if o.write && o.check {
        return Err("--write and --check do not go together".into());
    }
    Ok(o)
}

pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "import: {e}\nusage: cargo xtask import --go DIR --java DIR [--spec DIR] [--write | --check] [--record FILE]");
            return 2;
        }
    };
    match execute(&options, out) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "import: {e}");
            2
        }
    }
}

fn execute(o: &Options, out: &mut dyn Write) -> Result<i32, String> {
    let started = Instant::now();
    let record = importer::import(o.go.as_deref(), o.java.as_deref())?;
    let read_time = started.elapsed();
    let spec_dir = match &o.spec {
        Some(d) => d.clone(),
        None => crate::find_workspace_root()?.join("spec"),
    };
    let model = codegen::load_model(&spec_dir, "spec")
        .map_err(|d| format!("the spec does not load:\n{d}"))?;
    let spec = SpecIndex::from_model(&model);
    let io = |e: std::io::Error| e.to_string();
    if let Some(path) = &o.record {
        let json = serde_json::to_string_pretty(&record).map_err(|e| e.to_string())?;
        std::fs::write(path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
        writeln!(
            out,
            "record: {} endpoints written to {}",
            record.endpoints.len(),
            path.display()
        )
        .map_err(io)?;
    }
    let differences = compare(&record, &spec);
    let planned = drafts(&record, &spec);
    summary(&record, &planned, &spec, out).map_err(io)?;
    if o.check {
        let counted: Vec<&Difference> = differences.iter().filter(|d| d.counts()).collect();
        for d in &differences {
            writeln!(out, "{d}").map_err(io)?;
        }
        writeln!(
            out,
            "check: {} difference(s), {} excused; read in {:.2?}",
            counted.len(),
            differences.len() - counted.len(),
            read_time
        )
        .map_err(io)?;
        return Ok(if counted.is_empty() { 0 } else { 1 });
    }
    for d in differences
        .iter()
        .filter(|d| !matches!(d, Difference::MissingEndpoint { .. }))
    {
        writeln!(out, "{d}").map_err(io)?;
    }
    let (mut written, mut kept) = (0, 0);
    for draft in &planned {
        let relative = format!("endpoints/{}/{}.yaml", draft.domain, draft.name);
        let path = spec_dir.join(&relative);
        if !o.write {
            writeln!(out, "would draft {relative} ({})", draft.key).map_err(io)?;
            continue;
        }
        if path.exists() {
            writeln!(
                out,
                "kept {relative}: it exists, the importer never overwrites"
            )
            .map_err(io)?;
            kept += 1;
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap_or(&spec_dir)).map_err(io)?;
        std::fs::write(&path, &draft.yaml).map_err(|e| format!("{}: {e}", path.display()))?;
        written += 1;
    }
    if o.write {
        writeln!(
            out,
            "wrote {written} draft(s), kept {kept} existing file(s)"
        )
        .map_err(io)?;
    }
    writeln!(
        out,
        "done in {:.2?} (reading the SDKs: {:.2?})",
        started.elapsed(),
        read_time
    )
    .map_err(io)?;
    Ok(0)
}

fn summary(
    record: &importer::record::Record,
    planned: &[importer::draft::Draft],
    spec: &SpecIndex,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut per_domain: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for e in &record.endpoints {
        *per_domain
            .entry((e.domain.as_str(), e.api.as_str()))
            .or_default() += 1;
    }
    let v1 = record.endpoints.iter().filter(|e| e.api == "v1").count();
    writeln!(
        out,
        "SDK endpoints: {} ({v1} v1, {} v2)",
        record.endpoints.len(),
        record.endpoints.len() - v1
    )?;
    let mut domains: Vec<&str> = per_domain.keys().map(|(d, _)| *d).collect();
    domains.dedup();
    for d in &domains {
        let n1 = per_domain.get(&(d, "v1")).copied().unwrap_or(0);
        let n2 = per_domain.get(&(d, "v2")).copied().unwrap_or(0);
        writeln!(out, "  {d}: {} ({n1} v1, {n2} v2)", n1 + n2)?;
    }
    let mut unknown: Vec<&str> = record
        .endpoints
        .iter()
        .map(|e| e.package.as_str())
        .filter(|p| !importer::domains::domain_of(p).1)
        .collect();
    unknown.sort();
    unknown.dedup();
    if !unknown.is_empty() {
        writeln!(
            out,
            "packages outside the domain table (filed under their own name): {}",
            unknown.join(", ")
        )?;
    }
    let mut missing: Vec<&str> = planned
        .iter()
        .map(|d| d.domain.as_str())
        .filter(|d| !spec.domains.contains(*d))
        .collect();
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        writeln!(
            out,
            "domains the drafts need that api.yaml does not declare: {}",
            missing.join(", ")
        )?;
    }
    for c in &record.unused_constants {
        writeln!(
            out,
            "URL constant no call names: {:?} {}.{} = {}",
            c.sdk, c.package, c.name, c.path
        )?;
    }
    Ok(())
}
