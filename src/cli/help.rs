//! `--help` in one language: the one chosen with `--lang` (read from the arguments before clap
//! parses them, since the help is printed while parsing). Every text clap would print in
//! English in a help page — headings, the help and version flags, the about of each command and
//! argument, `[default: …]` and `[possible values: …]` — is replaced by the catalogue's
//! `help-*` texts. What clap still writes itself is syntax (`[OPTIONS]`, `<COMMAND>`) and its
//! error messages for arguments it cannot parse, which clap offers no way to translate.

use super::Cli;
use crate::diagnostics::Lang;
use crate::msg;
use clap::{Arg, ArgAction, Command, CommandFactory};
use std::ffi::OsString;

/// The language `--lang` asks for in `args` (the program's name first); the last one counts.
/// Read the way clap reads it: `--lang en` or `--lang=en`, anywhere before a lone `--`.
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut lang = Lang::Ja;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        let value = match a.as_ref() {
            "--" => break,
            "--lang" => it.next().map(|v| v.into_owned()),
            other => other.strip_prefix("--lang=").map(str::to_string),
        };
        match value.as_deref() {
            Some("en") => lang = Lang::En,
            Some("ja") => lang = Lang::Ja,
            _ => {}
        }
    }
    lang
}

/// clap's command for [`Cli`], with every text of its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let version = Arg::new("version")
        .short('V')
        .long("version")
        .action(ArgAction::Version)
        .help(msg!(lang, "help-version"));
    let cmd = Cli::command()
        .about(msg!(lang, "help-about"))
        .disable_version_flag(true)
        .arg(version)
        .mut_arg("lang", |a| a.help(msg!(lang, "help-lang")))
        .mut_arg("format", |a| a.help(msg!(lang, "help-format")))
        .mut_subcommand("build", |c| {
            site_args(c, lang)
                .about(msg!(lang, "help-build"))
                .mut_arg("drafts", |a| a.help(msg!(lang, "help-drafts")))
                .mut_arg("output", |a| a.help(msg!(lang, "help-output")))
                .mut_arg("base_url", |a| a.help(msg!(lang, "help-base-url")))
                .mut_arg("quiet", |a| a.help(msg!(lang, "help-quiet")))
        })
        .mut_subcommand("check", |c| {
            site_args(c, lang)
                .about(msg!(lang, "help-check"))
                .mut_arg("drafts", |a| a.help(msg!(lang, "help-check-drafts")))
        })
        .mut_subcommand("serve", |c| {
            site_args(c, lang)
                .about(msg!(lang, "help-serve"))
                .mut_arg("no_drafts", |a| a.help(msg!(lang, "help-no-drafts")))
                .mut_arg("port", |a| a.help(msg!(lang, "help-port")))
                .mut_arg("bind", |a| a.help(msg!(lang, "help-bind")))
                .mut_arg("open", |a| a.help(msg!(lang, "help-open")))
        })
        .mut_subcommand("init", |c| {
            c.about(msg!(lang, "help-init"))
                .mut_arg("dir", |a| a.help(msg!(lang, "help-init-dir")))
                .mut_arg("host", |a| a.help(msg!(lang, "help-init-host")))
        })
        .mut_subcommand("new", |c| {
            c.about(msg!(lang, "help-new"))
                .mut_arg("kind", |a| a.help(msg!(lang, "help-new-kind")))
                .mut_arg("slug", |a| a.help(msg!(lang, "help-new-slug")))
                .mut_arg("root", |a| a.help(msg!(lang, "help-new-root")))
        })
        .mut_subcommand("cms", |c| {
            c.about(msg!(lang, "help-cms"))
                .mut_arg("root", |a| a.help(msg!(lang, "help-new-root")))
        });
    let mut cmd = frame(cmd, lang);
    // `help` (the subcommand) exists once clap has built the command.
    cmd.build();
    cmd.mut_subcommand("help", |c| c.about(msg!(lang, "help-help")))
}

/// The arguments every command that reads a site shares (`SiteArgs`).
fn site_args(c: Command, lang: Lang) -> Command {
    c.mut_arg("root", |a| a.help(msg!(lang, "help-root")))
        .mut_arg("now", |a| a.help(msg!(lang, "help-now")))
}

/// Headings, the help flag and no clap-written value lists, on `cmd` and every subcommand.
fn frame(cmd: Command, lang: Lang) -> Command {
    let help = Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help(msg!(lang, "help-help"));
    let template = template(&cmd, lang);
    cmd.disable_help_flag(true)
        .arg(help)
        .help_template(template)
        .mut_args(|a| {
            if a.get_action().takes_values() {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        })
        .mut_subcommands(|c| frame(c, lang))
}

/// clap's default help layout with our headings: its `{all-args}` would print its own.
fn template(cmd: &Command, lang: Lang) -> String {
    let mut t = format!(
        "{{about-with-newline}}\n{} {{usage}}\n",
        msg!(lang, "help-usage")
    );
    if cmd.has_subcommands() {
        let h = msg!(lang, "help-commands");
        t.push_str(&format!("\n{h}\n{{subcommands}}\n"));
    }
    if cmd.get_positionals().next().is_some() {
        let h = msg!(lang, "help-arguments");
        t.push_str(&format!("\n{h}\n{{positionals}}\n"));
    }
    let h = msg!(lang, "help-options");
    t.push_str(&format!("\n{h}\n{{options}}"));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        std::iter::once("tsunagari")
            .chain(a.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_language_is_read_as_clap_reads_it() {
        assert_eq!(lang_of(&args(&["--help"])), Lang::Ja);
        assert_eq!(lang_of(&args(&["build", "--lang", "en", "-h"])), Lang::En);
        assert_eq!(lang_of(&args(&["--lang=en", "new", "--help"])), Lang::En);
        assert_eq!(lang_of(&args(&["--lang", "en", "--lang", "ja"])), Lang::Ja);
        // After `--` it is a value, not the option.
        assert_eq!(
            lang_of(&args(&["new", "case", "--", "--lang", "en"])),
            Lang::Ja
        );
    }

    #[test]
    fn the_localised_command_is_well_formed_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            command(lang).debug_assert();
        }
    }
}
