//! Messages for what can go wrong between a site's files and the output folder: two files
//! published at one path, files that run script at their URL, an old output folder left behind.

/// A problem with the files a build publishes (see `crate::pipeline::files`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// This file would be published at `output`, where `other` (a file of the site) is
    /// published too, or, when `other` is None, a file tsunagari generates (a page, a feed…).
    Collision {
        output: String,
        other: Option<String>,
    },
    /// A `static/` file published instead of the file tsunagari generates at `output`.
    Replaces { output: String },
    /// An HTML, SVG or XML file with a script, an event handler or a `javascript:` URL.
    RunsScript,
    /// After a successful build, the previous output folder could not be removed.
    OldOutputLeft { detail: String },
}

impl FileProblem {
    pub fn message(&self, ja: bool) -> String {
        match (self, ja) {
            (FileProblem::Collision { output, other: None }, true) => format!(
                "このファイルは /{output} に公開されますが、そこには tsunagari が生成するファイル（ページやフィードなど）があり、上書きしてしまいます"
            ),
            (FileProblem::Collision { output, other: None }, false) => format!(
                "this file would be published at /{output}, where tsunagari generates a file (a page, a feed…), and would replace it"
            ),
            (FileProblem::Collision { output, other: Some(o) }, true) => format!(
                "このファイルと {o} は、どちらも /{output} に公開されます（名前の違いが、文字の書き方（NFC/NFD）など公開時に消える違いだけです）。片方がもう片方を上書きしてしまいます"
            ),
            (FileProblem::Collision { output, other: Some(o) }, false) => format!(
                "this file and {o} would both be published at /{output} (their names differ only in ways publishing removes, such as NFC/NFD spelling); one would replace the other"
            ),
            (FileProblem::Replaces { output }, true) => format!(
                "このファイルは、tsunagari が生成する /{output} の代わりに公開されます"
            ),
            (FileProblem::Replaces { output }, false) => format!(
                "this file is published instead of the /{output} tsunagari generates"
            ),
            (FileProblem::RunsScript, true) => "このファイルは、開くとスクリプトを実行します（<script>、on…= の属性、javascript: のどれかがあります）。サイトの CSP ヘッダーがこれを止めるのは、_headers を読むホストだけです".into(),
            (FileProblem::RunsScript, false) => "this file runs script when opened (it has <script>, an on…= handler or javascript:); the site's CSP header blocks it only where _headers is read".into(),
            (FileProblem::OldOutputLeft { detail }, true) => format!(
                "出力フォルダは新しいビルドに入れ替えましたが、前の出力を入れたこのフォルダを削除できませんでした（{detail}）"
            ),
            (FileProblem::OldOutputLeft { detail }, false) => format!(
                "the output folder was replaced by the new build, but this folder holding the previous output could not be removed ({detail})"
            ),
        }
    }

    pub fn help(&self, ja: bool) -> String {
        match (self, ja) {
            (FileProblem::Collision { other: None, .. }, true) => {
                "ファイル名を変えてください。直すまで、このファイルは公開しません".into()
            }
            (FileProblem::Collision { other: None, .. }, false) => {
                "rename the file; until then it is not published".into()
            }
            (FileProblem::Collision { .. }, true) => {
                "どちらかのファイル名を変えてください。直すまで、このファイルは公開しません".into()
            }
            (FileProblem::Collision { .. }, false) => {
                "rename one of them; until then this file is not published".into()
            }
            (FileProblem::Replaces { .. }, true) => {
                "意図したものならこのままで構いません。生成されたものを使うなら、このファイルを削除してください".into()
            }
            (FileProblem::Replaces { .. }, false) => {
                "fine if intended; delete this file to publish the generated one".into()
            }
            (FileProblem::RunsScript, true) => {
                "信頼できるファイルか確かめてください。画像なら PNG や JPEG に書き出すと安全です".into()
            }
            (FileProblem::RunsScript, false) => {
                "make sure the file is trusted; for an image, exporting it as PNG or JPEG is safe".into()
            }
            (FileProblem::OldOutputLeft { .. }, true) => {
                "書き込み権限を戻してから削除してください（例: chmod -R u+w このフォルダ && rm -rf このフォルダ）。次のビルドも削除を試みます".into()
            }
            (FileProblem::OldOutputLeft { .. }, false) => {
                "make it writable and remove it (e.g. chmod -R u+w FOLDER && rm -rf FOLDER); the next build tries again".into()
            }
        }
    }
}
