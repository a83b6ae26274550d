//! Messages for files and folders a walk could not use (see `crate::walk`), and for output
//! folders that are refused. Kept apart from the big `Problem` match so that area's texts
//! live together.

use super::Lang;

/// Why a file or folder under `content/` or `static/` was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryIssue {
    /// Permissions (or a vanished entry): the folder cannot be listed, the file cannot be opened.
    Unreadable { detail: String, folder: bool },
    /// A symbolic link whose target does not exist.
    BrokenLink { target: String },
    /// A symbolic link that leads outside the site folder; never followed.
    LinkOutside { target: String },
    /// A link to a folder that contains it (or one already being walked).
    LinkLoop { target: String },
    /// A FIFO, socket or device: not a file that can be published.
    Special { kind: &'static str },
    /// The output folder (or what a build keeps beside it) or `.git`, reached through a link
    /// or found in place: never read as a source.
    Fenced { target: String, place: Fenced },
    /// A name that cannot be published portably (a `\`, `:`, control character, a name Windows
    /// reserves…); `rename` is a name that would do.
    BadName { fault: NameFault, rename: String },
}

/// What is wrong with a file or folder name (see `crate::walk`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameFault {
    /// A character Windows, URLs or static hosts cannot take in a file name.
    Char(char),
    /// Bytes that are not UTF-8: the name cannot be written in a URL as it is.
    NotUtf8,
    /// `CON`, `NUL`, `COM1`… (with any extension): reserved on Windows.
    Reserved,
    /// Ends in `.` or a space, which Windows drops.
    Trailing,
}

/// A place inside the site that is never read as a source (see `crate::walk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fenced {
    /// The output folder, its staging folder, the previous output during a swap, the lock file.
    Output,
    /// Git's repository folder.
    Git,
}

impl EntryIssue {
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            EntryIssue::Unreadable { detail, folder } => match (ja, folder) {
                (true, true) => format!("フォルダの中を読み取れません（{detail}）"),
                (true, false) => format!("ファイルを読み取れません（{detail}）"),
                (false, true) => format!("the folder cannot be read ({detail})"),
                (false, false) => format!("the file cannot be read ({detail})"),
            },
            EntryIssue::BrokenLink { target } => {
                if ja {
                    format!("シンボリックリンクの先（{target}）がありません")
                } else {
                    format!("the symbolic link points to {target}, which does not exist")
                }
            }
            EntryIssue::LinkOutside { target } => {
                if ja {
                    format!("シンボリックリンクがサイトのフォルダの外（{target}）を指しています。外のファイルは公開しません")
                } else {
                    format!("the symbolic link points outside the site folder ({target}); files outside the site are never published")
                }
            }
            EntryIssue::LinkLoop { target } => {
                if ja {
                    format!("シンボリックリンクが自分を含むフォルダ（{target}）を指していて、たどると終わりません")
                } else {
                    format!("the symbolic link points to a folder that contains it ({target}), so following it never ends")
                }
            }
            EntryIssue::Special { kind } => {
                if ja {
                    format!("普通のファイルではありません（{kind}）")
                } else {
                    format!("this is not a regular file ({kind})")
                }
            }
            EntryIssue::Fenced { target, place } => fenced_message(target, *place, ja),
            EntryIssue::BadName { fault, .. } => bad_name_message(fault, ja),
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        if let EntryIssue::BadName { rename, .. } = self {
            return if ja {
                format!("「{rename}」のように、英数字・かな・漢字と - _ . で名前を付け直してください。直すまで、これは公開しません")
            } else {
                format!("rename it, e.g. to `{rename}` (letters, digits, - _ .); until then it is left out")
            };
        }
        let fix = match self {
            EntryIssue::Unreadable { .. } if ja => {
                "読み取り権限を確認してください（例: chmod a+r ファイル、フォルダは chmod a+rx）"
            }
            EntryIssue::Unreadable { .. } => {
                "make it readable (e.g. chmod a+r for a file, chmod a+rx for a folder)"
            }
            EntryIssue::BrokenLink { .. } | EntryIssue::LinkOutside { .. } if ja => {
                "リンクをやめて、本物のファイルかフォルダをサイトの中に置いてください（サイトの中を指すリンクはそのまま使えます）"
            }
            EntryIssue::BrokenLink { .. } | EntryIssue::LinkOutside { .. } => {
                "replace the link with the real file or folder inside the site (links to places inside the site are followed)"
            }
            EntryIssue::LinkLoop { .. } if ja => "このリンクを削除してください",
            EntryIssue::LinkLoop { .. } => "remove this link",
            EntryIssue::Special { .. } if ja => {
                "サイトのフォルダから取り除いてください（パイプやデバイスは公開できません）"
            }
            EntryIssue::Special { .. } => {
                "remove it from the site folder (pipes, sockets and devices cannot be published)"
            }
            EntryIssue::Fenced { .. } if ja => {
                "このリンク（またはフォルダ）を取り除いてください。公開したいファイルは本物を content/ か static/ に置いてください"
            }
            EntryIssue::Fenced { .. } => {
                "remove this link (or folder); put the real files you want to publish in content/ or static/"
            }
            EntryIssue::BadName { .. } => "", // answered above, with the new name
        };
        if ja {
            format!("{fix}。直すまで、これは使われません")
        } else {
            format!("{fix}; until then it is left out")
        }
    }
}

fn fenced_message(target: &str, place: Fenced, ja: bool) -> String {
    match (place, ja) {
        (Fenced::Output, true) => format!(
            "出力先のフォルダ（またはビルドの作業用のファイル）{target} を指しています。出力先はビルドのたびに作り直されるので、読み込むと前回のビルドが次のビルドにコピーされ、ビルドのたびに大きくなります"
        ),
        (Fenced::Output, false) => format!(
            "this leads to {target}, the output folder (or a build's working files); it is replaced by every build, so reading it would copy the previous build into the next one, growing with every build"
        ),
        (Fenced::Git, true) => format!(
            "Git のリポジトリ（{target}）を指しています。履歴や設定を公開しないよう、読み込みません"
        ),
        (Fenced::Git, false) => format!(
            "this leads to {target}, Git's repository folder; its history and settings are never published"
        ),
    }
}

fn bad_name_message(fault: &NameFault, ja: bool) -> String {
    let why = if ja {
        "Windows や公開先のサーバーで扱えないか、URL で別のものを指してしまう名前は公開しません"
    } else {
        "names that Windows or static hosts cannot store, or that a URL would read differently, are never published"
    };
    let what = match (fault, ja) {
        (NameFault::Char(c), true) if c.is_control() || !c.is_ascii() => {
            format!("名前に使えない制御文字（U+{:04X}）があります", *c as u32)
        }
        (NameFault::Char(c), true) => format!("名前に使えない文字「{c}」があります"),
        (NameFault::Char(c), false) if c.is_control() || !c.is_ascii() => {
            format!(
                "the name contains an invisible control character (U+{:04X})",
                *c as u32
            )
        }
        (NameFault::Char(c), false) => format!("the name contains `{c}`"),
        (NameFault::NotUtf8, true) => "名前が UTF-8 ではありません（文字化けしています）".into(),
        (NameFault::NotUtf8, false) => "the name is not UTF-8".into(),
        (NameFault::Reserved, true) => {
            "CON・NUL・COM1 などは Windows が予約している名前です".into()
        }
        (NameFault::Reserved, false) => {
            "CON, NUL, COM1 and the like are names Windows reserves".into()
        }
        (NameFault::Trailing, true) => {
            "名前が「.」か空白で終わっています（Windows では消えます）".into()
        }
        (NameFault::Trailing, false) => "the name ends in `.` or a space (Windows drops it)".into(),
    };
    if ja {
        format!("{what}。{why}")
    } else {
        format!("{what}; {why}")
    }
}
