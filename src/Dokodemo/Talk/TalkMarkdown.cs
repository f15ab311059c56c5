using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Dokodemo.Talk;

/// <summary>
/// Markdown to safe HTML, at read time (the stored body stays exactly what was written, so a later fix to the rules
/// applies to every old message, and edits and exports see the source). Markdig with:
/// raw HTML off (shown as text); links only http, https and mailto (others become their text), each with
/// rel="noopener noreferrer nofollow" and target="_blank"; images never loaded (shown as a link to their address if it
/// is http(s), else as their text); autolinks for bare URLs; line breaks kept (chat writing).
/// </summary>
public static class TalkMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseTaskLists()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    public static string ToHtml(string markdown) =>
        IsPlainText(markdown) ? "<p>" + markdown.Replace("\n", "<br />\n", StringComparison.Ordinal) + "</p>\n" : Render(markdown ?? "");

    /// <summary>
    /// Whether <paramref name="text"/> is plain writing that Markdown leaves as it is: lines (none empty) with no ASCII
    /// character that Markdown, its extensions or HTML give a meaning to — only letters, digits, single inner spaces and
    /// <c>, ? % : /</c> without <c>://</c> — and no other control or space character. Most chat messages in Japanese are;
    /// they become one paragraph with a line break per new line, without parsing (P4: the post's answer carries the HTML,
    /// and so does every message of a page). A test holds this to Markdig's own output.
    /// </summary>
    public static bool IsPlainText(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        var previous = '\n';
        foreach (var c in text)
        {
            var plain = c >= 0x80
                ? !char.IsControl(c) && !char.IsWhiteSpace(c)
                : char.IsAsciiLetterOrDigit(c) || c is ',' or '?' or '%' or ':' or '/'
                    || (c == ' ' && previous is not (' ' or '\n')) || (c == '\n' && previous is not (' ' or '\n'));
            if (!plain)
            {
                return false;
            }

            previous = c;
        }

        return previous is not (' ' or '\n');
    }

    /// <summary>The whole Markdown path (Markdig and the link rules); <see cref="ToHtml"/> skips it for plain text.</summary>
    public static string Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            Secure(link);
        }

        foreach (var auto in document.Descendants<AutolinkInline>().ToList())
        {
            if (!auto.IsEmail && !IsAllowed(auto.Url))
            {
                auto.ReplaceBy(new LiteralInline(auto.Url));
                continue;
            }

            var a = auto.GetAttributes();
            a.AddPropertyIfNotExist("rel", "noopener noreferrer nofollow");
            a.AddPropertyIfNotExist("target", "_blank");
        }

        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    private static void Secure(LinkInline link)
    {
        if (link.IsImage)
        {
            // No image from anywhere is loaded in a message: it becomes a link to its address (or plain text).
            link.IsImage = false;
        }

        if (!IsAllowed(link.Url))
        {
            // The link's own text stays, without the link; an empty text shows nothing dangerous either.
            var container = new ContainerInline();
            var text = link.FirstChild is null ? link.Url ?? "" : null;
            if (text is not null)
            {
                link.ReplaceBy(new LiteralInline(text));
                return;
            }

            while (link.FirstChild is { } child)
            {
                child.Remove();
                container.AppendChild(child);
            }

            link.ReplaceBy(container);
            return;
        }

        var attributes = link.GetAttributes();
        attributes.AddPropertyIfNotExist("rel", "noopener noreferrer nofollow");
        attributes.AddPropertyIfNotExist("target", "_blank");
    }

    /// <summary>http, https and mailto only; anything else (javascript:, data:, vbscript:, relative paths) is refused.</summary>
    public static bool IsAllowed(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var u = url.Trim();
        return u.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);
    }
}
