//! Issue 16, output bytes: the default theme's templates start their lines at column 0, so no
//! page carries the templates' indentation (about 2 KB of spaces per list page of cards). Tera
//! comments, and `<pre>` and `<textarea>`, whose whitespace is content, may indent.

use std::path::Path;

/// Lines of `text` (1-based) that are indented outside comments, `<pre>` and `<textarea>`.
fn indented_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut comment, mut pre) = (false, false);
    for (n, line) in text.lines().enumerate() {
        if !comment && !pre && line.starts_with([' ', '\t']) {
            out.push(n + 1);
        }
        if let Some(open) = line.rfind("{#") {
            comment = !line[open..].contains("#}");
        } else if line.contains("#}") {
            comment = false;
        }
        let opens = line.contains("<pre") || line.contains("<textarea");
        let closes = line.contains("</pre>") || line.contains("</textarea>");
        pre = (pre || opens) && !closes;
    }
    out
}

#[test]
fn indentation_is_found_outside_comments_pre_and_textarea_only() {
    let text = "<ul>\n  <li>\n{#- a\n    comment #}\n<pre>\n  code\n</pre>\n\t<p>\n";
    assert_eq!(indented_lines(text), [2, 8]);
}

#[test]
fn default_templates_write_no_indentation_into_pages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut checked = 0;
    for sub in ["", "partials"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                let text = std::fs::read_to_string(&path).unwrap();
                let lines = indented_lines(&text);
                assert!(
                    lines.is_empty(),
                    "{}: indented lines {lines:?}",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "{checked} templates");
}
