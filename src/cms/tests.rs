use super::*;
use crate::content::schema::keys;

fn sample_config() -> Config {
    Config::parse("title: テスト\nbase_url: https://kankei.example.jp/\n").unwrap()
}

#[test]
fn labels_cover_exactly_the_schema_keys() {
    let labels = Labels::load();
    let mut schema_keys: BTreeSet<String> = BTreeSet::new();
    for (_, _, role) in COLLECTIONS {
        schema_keys.extend(keys(role).into_iter().map(String::from));
    }
    let label_keys: BTreeSet<String> = labels.keys("fields").into_iter().collect();
    assert_eq!(schema_keys, label_keys);
    for key in &schema_keys {
        for part in ["label", "hint"] {
            assert!(
                !labels.text(&["fields", key, part]).is_empty(),
                "{key}.{part}"
            );
        }
    }
    for (name, _, _) in COLLECTIONS {
        assert!(
            !labels.text(&["collections", name, "label"]).is_empty(),
            "{name}"
        );
    }
}

/// The written config, read back: every collection has exactly its kind's schema fields (and
/// the body), with the schema's `required` flags.
#[test]
fn config_fields_are_the_schema() {
    let mut known = Known::default();
    known.themes.insert("観光".into());
    let text = config_text(&sample_config(), &known, None);
    let doc: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(doc["backend"]["name"], "github");
    assert_eq!(doc["locale"], "ja");
    assert_eq!(doc["output"]["omit_empty_optional_fields"], true);
    for (name, _, role) in COLLECTIONS {
        let c = doc["collections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap();
        assert_eq!(c["extension"], "md");
        assert_eq!(c["format"], "frontmatter");
        let fields = c["fields"].as_array().unwrap();
        let got: Vec<(&str, bool)> = fields
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap(),
                    f["required"].as_bool().unwrap(),
                )
            })
            .collect();
        let mut want: Vec<(&str, bool)> =
            schema::fields(role).map(|f| (f.key, f.required)).collect();
        want.push(("body", false));
        assert_eq!(got, want, "{name}");
        for f in fields {
            assert!(
                f["label"]
                    .as_str()
                    .is_some_and(|l| l.chars().any(|c| c > '\u{3000}')),
                "{f}"
            );
        }
    }
    let challenge = &doc["collections"][0]["fields"];
    let field = |k: &str| {
        challenge
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(field("prefecture")["options"].as_array().unwrap().len(), 47);
    assert_eq!(field("work_style")["widget"], "select");
    assert_eq!(field("deadline")["widget"], "datetime");
    assert_eq!(field("image")["widget"], "image");
    assert!(field("themes")["hint"].as_str().unwrap().contains("観光"));
}

#[test]
fn regenerating_keeps_the_backend_staff_wrote() {
    let mine = "backend:\n  name: github\n  repo: shiomi/portal # ours\n  base_url: https://auth.example.workers.dev\nlocale: en\n";
    let text = config_text(&sample_config(), &Known::default(), Some(mine));
    assert!(
        text.contains("repo: shiomi/portal # ours\n  base_url: https://auth.example.workers.dev\n")
    );
    assert!(!text.contains("OWNER/REPOSITORY"));
    assert!(!text.contains("locale: en"));
}

#[test]
fn the_admin_page_loads_the_pinned_version_with_integrity() {
    let html = index_html();
    assert!(html.contains(&format!("src=\"{}\"", script_url())));
    assert!(html.contains("integrity=\"sha384-") && html.contains("crossorigin=\"anonymous\""));
    assert!(!html.contains('{'), "every placeholder filled");
}
