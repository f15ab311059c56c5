using System.Globalization;
using System.Text;
using System.Xml;
using Dokodemo.Shared;

namespace Dokodemo.Seats;

/// <summary>A plan as stored: the sanitised SVG and, when its viewBox says so, its size in plan units.</summary>
public sealed record SanitizedPlan(string Svg, int? Width, int? Height);

/// <summary>
/// An uploaded floor plan is someone's SVG, shown to everyone: anything that could run or fetch is refused
/// (<c>seat.plan_unsafe</c>) — a script, an event attribute, <c>javascript:</c>, a reference outside the document
/// (<c>href</c>, <c>xlink:href</c> or <c>url(</c> to anything but a <c>#fragment</c>), <c>foreignObject</c>, a DTD —
/// and of the rest only a whitelist of shape elements and presentation attributes is kept. The plan is also served
/// as an image (never inline), so a browser would not run a script even if one got through.
/// </summary>
public static class PlanSanitizer
{
    public const int MaxBytes = 512 * 1024;
    private const string SvgNs = "http://www.w3.org/2000/svg";

    private static readonly HashSet<string> Elements = new(StringComparer.Ordinal)
    {
        "svg", "g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan", "title", "desc",
    };

    private static readonly HashSet<string> Attributes = new(StringComparer.Ordinal)
    {
        "id", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d", "points", "viewBox",
        "preserveAspectRatio", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
        "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "opacity", "font-size", "font-family", "font-weight",
        "text-anchor", "dominant-baseline",
    };

    /// <summary>Elements refused outright (not merely dropped): they exist to run code or embed other documents.</summary>
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "foreignObject", "iframe", "embed", "object", "handler", "listener",
    };

    public static Result<SanitizedPlan> Sanitize(string? svg)
    {
        if (string.IsNullOrWhiteSpace(svg))
        {
            return SeatErrors.PlanInvalid;
        }

        if (Encoding.UTF8.GetByteCount(svg) > MaxBytes)
        {
            return SeatErrors.PlanTooLarge;
        }

        if (svg.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) || svg.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase))
        {
            return SeatErrors.PlanUnsafe;
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = MaxBytes,
        };
        var output = new StringBuilder();
        int? width = null, height = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(svg), settings);
            using var writer = XmlWriter.Create(output, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false });
            var depth = 0;
            var rootSeen = false;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var name = reader.LocalName;
                        if (Refused.Contains(name))
                        {
                            return SeatErrors.PlanUnsafe;
                        }

                        if (!rootSeen)
                        {
                            if (name != "svg" || reader.NamespaceURI is not ("" or SvgNs))
                            {
                                return SeatErrors.PlanInvalid;
                            }

                            rootSeen = true;
                        }

                        var unsafeAttribute = CheckAttributes(reader);
                        if (unsafeAttribute)
                        {
                            return SeatErrors.PlanUnsafe;
                        }

                        if (!Elements.Contains(name) || reader.NamespaceURI is not ("" or SvgNs))
                        {
                            // Not a shape (metadata, an editor's own elements, images, styles …): dropped with everything inside,
                            // but what is inside is still checked, so a script hidden in it is refused rather than silently kept out.
                            if (!reader.IsEmptyElement)
                            {
                                using var inner = reader.ReadSubtree();
                                while (inner.Read())
                                {
                                    if (inner.NodeType == XmlNodeType.Element && (Refused.Contains(inner.LocalName) || CheckAttributes(inner)))
                                    {
                                        return SeatErrors.PlanUnsafe;
                                    }

                                    if (inner.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && HasExternalUrl(inner.Value))
                                    {
                                        return SeatErrors.PlanUnsafe;
                                    }
                                }
                            }

                            continue;
                        }

                        writer.WriteStartElement(name, SvgNs);
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                if (reader.NamespaceURI.Length == 0 && Attributes.Contains(reader.LocalName))
                                {
                                    writer.WriteAttributeString(reader.LocalName, reader.Value);
                                    if (depth == 0 && reader.LocalName == "viewBox")
                                    {
                                        (width, height) = ViewBoxSize(reader.Value);
                                    }
                                }
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }

                        if (reader.IsEmptyElement)
                        {
                            writer.WriteEndElement();
                        }
                        else
                        {
                            depth++;
                        }

                        break;
                    case XmlNodeType.EndElement:
                        depth--;
                        writer.WriteEndElement();
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                        if (depth > 0)
                        {
                            writer.WriteString(reader.Value);
                        }

                        break;
                    case XmlNodeType.DocumentType:
                    case XmlNodeType.EntityReference:
                        return SeatErrors.PlanUnsafe;
                    default:
                        break;
                }
            }

            if (!rootSeen)
            {
                return SeatErrors.PlanInvalid;
            }
        }
        catch (XmlException)
        {
            return SeatErrors.PlanInvalid;
        }

        return new SanitizedPlan(output.ToString(), width, height);
    }

    /// <summary>True when an attribute of the element at the reader could run code or fetch something.</summary>
    private static bool CheckAttributes(XmlReader reader)
    {
        var bad = false;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                var local = reader.LocalName;
                var value = reader.Value;
                if (reader.Prefix == "xmlns" || local == "xmlns")
                {
                    continue;
                }

                var compact = new string([.. value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c))]);
                if (local.StartsWith("on", StringComparison.OrdinalIgnoreCase)
                    || compact.Contains("javascript:", StringComparison.OrdinalIgnoreCase)
                    || compact.Contains("vbscript:", StringComparison.OrdinalIgnoreCase)
                    || (local.Equals("href", StringComparison.OrdinalIgnoreCase) && !compact.StartsWith('#'))
                    || HasExternalUrl(value))
                {
                    bad = true;
                    break;
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        return bad;
    }

    /// <summary>A CSS <c>url(…)</c> (or <c>@import</c>) pointing anywhere but a fragment of this document.</summary>
    private static bool HasExternalUrl(string value)
    {
        var compact = new string([.. value.Where(c => !char.IsWhiteSpace(c))]).ToLowerInvariant();
        if (compact.Contains("@import", StringComparison.Ordinal))
        {
            return true;
        }

        var at = 0;
        while ((at = compact.IndexOf("url(", at, StringComparison.Ordinal)) >= 0)
        {
            var target = compact[(at + 4)..].TrimStart('\'', '"');
            if (!target.StartsWith('#'))
            {
                return true;
            }

            at += 4;
        }

        return false;
    }

    private static (int?, int?) ViewBoxSize(string viewBox)
    {
        var parts = viewBox.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 4
            && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var w)
            && double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var h)
            && w is >= 1 and <= 100_000 && h is >= 1 and <= 100_000
            ? ((int)Math.Round(w), (int)Math.Round(h))
            : (null, null);
    }
}
