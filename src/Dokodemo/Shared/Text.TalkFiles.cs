namespace Dokodemo.Shared;

/// <summary>Talk: files attached to messages, and their refusals ({limit} and {name} are filled in by TalkFiles.Describe).</summary>
public static partial class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> TalkFilesCatalog = new(StringComparer.Ordinal)
    {
        ["talk.files"] = ("ファイルを添付（任意・5件まで）", "Attach files (optional, up to 5)"),
        ["talk.files_hint"] = ("PDF・画像（PNG/JPEG/GIF/WebP）・テキスト/CSV・Word/Excel/PowerPoint・ZIP。1ファイル {0} まで。",
            "PDF, images (PNG/JPEG/GIF/WebP), text/CSV, Word/Excel/PowerPoint, ZIP. Up to {0} per file."),
        ["talk.file_download"] = ("{0} をダウンロード", "Download {0}"),
        ["talk.attachments"] = ("添付ファイル", "Attachments"),
        ["error.talk.file_too_large"] = ("ファイルが大きすぎます。1ファイルの大きさは {limit} までです。", "The file is too large: each file may be at most {limit}."),
        ["error.talk.files_too_large"] = ("添付ファイルの合計が大きすぎます。1件のメッセージにつき合計 {limit} までです。",
            "The files are too large together: at most {limit} per message."),
        ["error.talk.too_many_files"] = ("添付できるファイルは1件のメッセージにつき {limit} 件までです。", "At most {limit} files per message."),
        ["error.talk.file_empty"] = ("空のファイルは添付できません（{name}）。", "An empty file cannot be attached ({name})."),
        ["error.talk.file_type_mismatch"] = ("ファイルの中身が、名前（拡張子）や種類と一致しません（{name}）。正しい形式で保存し直してください。",
            "The file's content does not match its name (extension) or type ({name}). Save it again in the right format."),
        ["error.talk.file_type_refused"] = ("この種類のファイルは添付できません（{name}）。PDF・画像・テキスト/CSV・Office文書・ZIP が使えます。",
            "This kind of file cannot be attached ({name}). PDF, images, text/CSV, Office documents and ZIP are accepted."),
        ["error.talk.file_not_found"] = ("ファイルが見つかりません。", "The file was not found."),
        ["error.talk.upload_invalid"] = ("ファイルは multipart/form-data で送ってください。", "Send files as multipart/form-data."),
    };
}
