//! The texts of [`super::Problem::Bug`]: a panic inside tsunagari, caught by the dev server.

pub(super) fn bug_message(ja: bool, message: &str, during: &str) -> String {
    match (ja, during.is_empty()) {
        (true, true) => format!("tsunagari の不具合で処理が止まりました: {message}"),
        (true, false) => {
            format!("tsunagari の不具合で処理が止まりました（{during} の処理中）: {message}")
        }
        (false, true) => format!("tsunagari stopped on a bug: {message}"),
        (false, false) => {
            format!("tsunagari stopped on a bug (while processing {during}): {message}")
        }
    }
}

pub(super) fn bug_help(ja: bool) -> &'static str {
    if ja {
        "サイトの内容の誤りではなく tsunagari の不具合です。前回の正しい状態を表示しています。ファイルを直すか元に戻して保存すると作り直します。このメッセージ全体と tsunagari --version の出力、処理中だったファイルを添えて、tsunagari の開発元（GitHub の Issues）に報告してください"
    } else {
        "this is a bug in tsunagari, not a mistake in the site; the last good build is still shown and the next save rebuilds. Please report it to the tsunagari developers (GitHub Issues) with this whole message, the output of tsunagari --version and the file being processed"
    }
}
