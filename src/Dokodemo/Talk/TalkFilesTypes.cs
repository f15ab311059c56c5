using System.IO.Compression;
using System.Text;

namespace Dokodemo.Talk;

/// <summary>A kind of file Talk accepts: its stored content type, the extensions and the declared types that go with it.</summary>
public sealed record TalkFileKind(string Key, string Label, string ContentType, IReadOnlyList<string> Extensions, IReadOnlyList<string> DeclaredTypes);

/// <summary>
/// What a file really is, from its bytes, compared with what its name and the browser say. A file is accepted only when
/// all three agree and its kind is allowed (<c>Dokodemo:Talk:Files:Allowed</c>); executables and HTML/SVG/XML (script
/// carriers) are always refused, whatever they are called.
/// </summary>
public static class TalkFileTypes
{
    private const string Ooxml = "application/vnd.openxmlformats-officedocument.";

    public static readonly IReadOnlyList<TalkFileKind> Kinds =
    [
        new("pdf", "PDF", "application/pdf", [".pdf"], ["application/pdf", "application/x-pdf"]),
        new("png", "PNG", "image/png", [".png"], ["image/png"]),
        new("jpeg", "JPEG", "image/jpeg", [".jpg", ".jpeg", ".jpe"], ["image/jpeg", "image/pjpeg"]),
        new("gif", "GIF", "image/gif", [".gif"], ["image/gif"]),
        new("webp", "WebP", "image/webp", [".webp"], ["image/webp"]),
        new("text", "テキスト", "text/plain", [".txt"], ["text/plain"]),
        // Windows browsers declare CSV as Excel's type.
        new("csv", "CSV", "text/csv", [".csv"], ["text/csv", "text/plain", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel"]),
        new("docx", "Word", Ooxml + "wordprocessingml.document", [".docx"], [Ooxml + "wordprocessingml.document"]),
        new("xlsx", "Excel", Ooxml + "spreadsheetml.sheet", [".xlsx"], [Ooxml + "spreadsheetml.sheet"]),
        new("pptx", "PowerPoint", Ooxml + "presentationml.presentation", [".pptx"], [Ooxml + "presentationml.presentation"]),
        new("zip", "ZIP", "application/zip", [".zip"], ["application/zip", "application/x-zip-compressed", "application/x-zip"]),
    ];

    /// <summary>What a browser says when it does not know: no claim, so only the name and the bytes decide.</summary>
    private static readonly HashSet<string> Unknown = new(StringComparer.OrdinalIgnoreCase) { "", "application/octet-stream", "binary/octet-stream" };

    /// <summary>Programs, scripts, shortcuts and documents that run scripts in a browser: refused by name.</summary>
    private static readonly HashSet<string> RefusedExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".exe", ".dll", ".com", ".scr", ".msi", ".msp", ".bat", ".cmd", ".ps1", ".psm1", ".vbs", ".vbe", ".js", ".mjs", ".jse", ".wsf", ".wsh",
        ".hta", ".cpl", ".jar", ".sh", ".bash", ".app", ".lnk", ".url", ".reg", ".iso", ".img", ".apk", ".elf", ".bin", ".so", ".dylib",
        ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".php", ".asp", ".aspx",
        ".docm", ".xlsm", ".pptm",
    };

    private static readonly HashSet<string> RefusedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript", "application/javascript",
        "application/x-msdownload", "application/x-msdos-program", "application/x-executable", "application/x-sh", "application/java-archive",
        "application/vnd.microsoft.portable-executable", "application/hta",
    };

    /// <summary>The start of a text that a browser would treat as a page or an image with scripts.</summary>
    private static readonly string[] MarkupStarts = ["<!doctype", "<html", "<svg", "<?xml", "<script", "<head", "<body", "<iframe", "<object", "<embed", "<xml"];

    public enum Verdict
    {
        Accepted,
        Mismatch,
        Refused,
    }

    /// <summary>Decides on a staged file: accepted (with its kind), a mismatch between name/type and content, or refused.</summary>
    public static (Verdict Verdict, TalkFileKind? Kind) Check(string name, string? declaredType, string path, IReadOnlyCollection<string> allowed)
    {
        var extension = Path.GetExtension(name).ToLowerInvariant();
        var declared = (declaredType ?? "").Split(';')[0].Trim();
        if (RefusedExtensions.Contains(extension) || RefusedTypes.Contains(declared))
        {
            return (Verdict.Refused, null);
        }

        var head = new byte[4096];
        int read;
        using (var f = File.OpenRead(path))
        {
            read = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var bytes = head.AsSpan(0, read);
        if (IsExecutable(bytes) || IsMarkup(bytes))
        {
            return (Verdict.Refused, null);
        }

        var named = Kinds.FirstOrDefault(k => k.Extensions.Contains(extension));
        if (named is null || !allowed.Contains(named.Key))
        {
            return (Verdict.Refused, null);
        }

        var content = Detect(bytes, path);
        var agrees = content == named.Key
            || (content == "text" && named.Key == "csv")
            || (named.Key == "zip" && content is "docx" or "xlsx" or "pptx");
        if (!agrees || !(Unknown.Contains(declared) || named.DeclaredTypes.Contains(declared, StringComparer.OrdinalIgnoreCase)))
        {
            return (Verdict.Mismatch, null);
        }

        return (Verdict.Accepted, named);
    }

    /// <summary>The kind the bytes show (null: none of ours).</summary>
    public static string? Detect(ReadOnlySpan<byte> head, string path)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return "pdf";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "png";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "jpeg";
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "gif";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "webp";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]) || head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x05, 0x06]))
        {
            return Office(path) ?? "zip";
        }

        return IsText(path) ? "text" : null;
    }

    private static bool IsExecutable(ReadOnlySpan<byte> b) =>
        b.StartsWith("MZ"u8) // Windows programs and libraries
        || b.StartsWith((ReadOnlySpan<byte>)[0x7F, 0x45, 0x4C, 0x46]) // Linux
        || b.StartsWith("#!"u8) // scripts
        || b.StartsWith((ReadOnlySpan<byte>)[0xCA, 0xFE, 0xBA, 0xBE]) // Mach-O universal, Java classes
        || b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xED, 0xFA, 0xCE]) || b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xED, 0xFA, 0xCF])
        || b.StartsWith((ReadOnlySpan<byte>)[0xCE, 0xFA, 0xED, 0xFE]) || b.StartsWith((ReadOnlySpan<byte>)[0xCF, 0xFA, 0xED, 0xFE]);

    /// <summary>HTML, SVG or XML at the start (after a BOM and white space), in UTF-8, UTF-16 or an ASCII-compatible encoding.</summary>
    private static bool IsMarkup(ReadOnlySpan<byte> b)
    {
        string text;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            text = Encoding.Unicode.GetString(b[2..]);
        }
        else if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            text = Encoding.BigEndianUnicode.GetString(b[2..]);
        }
        else
        {
            text = Encoding.Latin1.GetString(b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? b[3..] : b);
        }

        var start = text.TrimStart().ToLowerInvariant();
        return MarkupStarts.Any(m => start.StartsWith(m, StringComparison.Ordinal));
    }

    /// <summary>An Office Open XML document: a ZIP whose [Content_Types].xml names the main part of Word, Excel or PowerPoint.</summary>
    private static string? Office(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry("[Content_Types].xml");
            if (entry is null || entry.Length > 1024 * 1024)
            {
                return null;
            }

            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            var types = reader.ReadToEnd();
            return types.Contains("\"" + Ooxml + "wordprocessingml.document.main+xml\"", StringComparison.Ordinal) ? "docx"
                : types.Contains("\"" + Ooxml + "spreadsheetml.sheet.main+xml\"", StringComparison.Ordinal) ? "xlsx"
                : types.Contains("\"" + Ooxml + "presentationml.presentation.main+xml\"", StringComparison.Ordinal) ? "pptx"
                : null;
        }
        catch (InvalidDataException)
        {
            return "broken-zip";
        }
    }

    /// <summary>Valid UTF-8 or Shift_JIS (CP932) throughout, with no control characters other than tab, line ends and form feed.</summary>
    private static bool IsText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            try
            {
                text = ShiftJis.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        return !text.Any(c => c is < ' ' and not ('\t' or '\n' or '\r' or '\f') or '\x7F');
    }

    private static readonly Encoding ShiftJis = LoadShiftJis();

    private static Encoding LoadShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>A person's file name made safe to show and to send back: the last path segment, no control or direction characters, NFC, at most 200 characters.</summary>
    public static string CleanName(string? name)
    {
        var last = (name ?? "").Replace('\\', '/').Split('/').Last().Normalize(NormalizationForm.FormC);
        var clean = new string([.. last.Where(c => !char.IsControl(c) && c is not ('\u200E' or '\u200F' or >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '"'))])
            .Trim().TrimEnd('.', ' ');
        if (clean.Length > 200)
        {
            var extension = Path.GetExtension(clean);
            clean = extension.Length is > 0 and <= 10 ? clean[..(200 - extension.Length)] + extension : clean[..200];
        }

        return clean.Length == 0 || clean.All(c => c == '.') ? "file" : clean;
    }
}
