//! Hostile short inputs never panic: comments cut short (`<!-->`), dashes and `>` in every
//! order, and Japanese text around them (multi-byte characters next to every byte-index rule).

use super::rewrite::{is_comment, parse_attrs, safe_iframe};
use super::*;

fn render_plain(md: &str) -> Rendered {
    render(md, &Options::default(), &|_| LinkTarget::Missing)
}

#[test]
fn abrupt_comments_do_not_panic() {
    for md in [
        "<!-->",
        "<!--->",
        "<!-->\n",
        "<!--->\n\n本文",
        "本文 <!--> と <!---> です",
        "あ<!-->あ",
        "<!--あ-->",
        "<!---->",
        "<!--",
        "<!-",
        "- <!-->",
        "> <!--->",
        "## <!--> 見出し",
    ] {
        let out = render_plain(md);
        assert!(!out.html.contains("<!--"), "{md:?}: {}", out.html);
    }
}

#[test]
fn is_comment_on_short_and_japanese_strings() {
    assert!(is_comment("<!-->"));
    assert!(is_comment("<!--->"));
    assert!(is_comment("<!---->"));
    assert!(is_comment("<!-- メモ -->"));
    assert!(!is_comment("<!--"));
    assert!(!is_comment("<!-"));
    assert!(!is_comment("-->"));
    assert!(!is_comment("<!-- a --> <b> <!-- c -->"));
    assert!(!is_comment("あ<!-->"));
}

/// Every string of up to four pieces drawn from comment fragments, `>`, ASCII and Japanese
/// letters, rendered alone, inline after text, in a heading and in a list: no panic, and no
/// raw tag or comment opener reaches the HTML.
#[test]
fn generated_short_strings_never_panic() {
    const PIECES: [&str; 9] = ["<!-", "-", ">", "a", "あ", "<", "!", " ", "\n"];
    let mut inputs = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..4 {
        frontier = frontier
            .iter()
            .flat_map(|s| PIECES.iter().map(move |p| format!("{s}{p}")))
            .collect();
        inputs.extend(frontier.iter().cloned());
    }
    assert_eq!(inputs.len(), 1 + 9 + 81 + 729 + 6561);
    for s in &inputs {
        for md in [
            s.clone(),
            format!("本文{s}"),
            format!("## {s} {{#{s}}}\n"),
            format!("- {s}"),
        ] {
            let out = render_plain(&md);
            assert!(!out.html.contains("<!"), "{md:?}: {}", out.html);
            for f in &out.found {
                assert!(md.is_char_boundary(f.offset), "{md:?}: {f:?}");
                assert!(md.is_char_boundary(f.offset + f.len), "{md:?}: {f:?}");
            }
        }
        let _ = is_comment(s);
        let _ = slugify(s);
        let _ = parse_attrs(s);
        let _ = safe_iframe(
            &format!("<iframe{s}></iframe>"),
            &["example.jp".to_string()],
            s,
        );
    }
}
