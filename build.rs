//! Embeds `themes/default/` into the binary so `tsunagari init` and sites without a local
//! theme folder work anywhere. The file list is generated, so it can never drift from disk.
//! Turns the message catalogue (`src/messages/catalogue.yaml`) into a table of Rust string
//! literals, so the library reads it without a YAML parser (and a broken catalogue fails the
//! build, naming the problem).
use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").unwrap();
    let theme = Path::new(&root).join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut out = String::from("/// Files of the default theme: (path inside the theme, bytes).\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n");
    for rel in &files {
        let abs = theme.join(rel);
        out.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("default_theme.rs"),
        out,
    )
    .unwrap();
    catalogue(Path::new(&root));
}

/// `src/messages/catalogue.yaml` (id → {ja, en}) as `CATALOGUE: &[(id, ja, en)]`, sorted by id.
fn catalogue(root: &Path) {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Entry {
        ja: String,
        en: String,
    }
    let path = root.join("src/messages/catalogue.yaml");
    println!("cargo:rerun-if-changed=src/messages/catalogue.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let entries: std::collections::BTreeMap<String, Entry> =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("src/messages/catalogue.yaml: {e}"));
    let mut out = String::from("/// The message catalogue: (id, Japanese, English), sorted by id.\npub static CATALOGUE: &[(&str, &str, &str)] = &[\n");
    for (id, e) in &entries {
        out.push_str(&format!("    ({id:?}, {:?}, {:?}),\n", e.ja, e.en));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("catalogue.rs"),
        out,
    )
    .unwrap();
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if !rel.rsplit('/').next().unwrap_or("").starts_with('.') {
                files.push(rel);
            }
        }
    }
}
