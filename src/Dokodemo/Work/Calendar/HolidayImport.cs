using System.Text;
using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Dokodemo.Shared;

namespace Dokodemo.Work.Calendar;

public sealed record HolidayImportResult(int FirstYear, int LastYear, int Rows, string Encoding);

/// <summary>
/// Imports the Cabinet Office's holiday list (syukujitsu.csv, CP932 as published; UTF-8 is accepted too). The file is
/// checked whole before anything is saved; the newest import then overrides the rules for the years it covers.
/// </summary>
public sealed class HolidayImport(AppDbContext db, CalendarStore store, AuditLog audit, TimeProvider clock)
{
    public const int MaxBytes = 1024 * 1024;

    static HolidayImport() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The text of the file, or why it cannot be read as the Cabinet Office's list.</summary>
    public static Result<(string Text, string Encoding)> Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            return Errors.HolidaysEmpty;
        }

        if (bytes.Length > MaxBytes)
        {
            return Errors.HolidaysTooLarge;
        }

        // UTF-8 first: strict decoding fails on almost every CP932 file with Japanese text in it.
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
            var text = utf8.GetString(bytes).TrimStart('\uFEFF');
            if (StartsWithHeader(text))
            {
                return (text, "utf-8");
            }
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: try CP932 below.
        }

        var cp932 = Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        try
        {
            var text = cp932.GetString(bytes);
            if (StartsWithHeader(text))
            {
                return (text, "cp932");
            }
        }
        catch (DecoderFallbackException)
        {
            return Errors.HolidaysEncoding;
        }

        return Errors.HolidaysEncoding;
    }

    private static bool StartsWithHeader(string text) =>
        text.TrimStart().Replace("\"", "", StringComparison.Ordinal).StartsWith(HolidayTable.Header, StringComparison.Ordinal);

    public async Task<Result<HolidayImportResult>> ImportAsync(byte[] bytes, string fileName, string? actorId, CancellationToken ct)
    {
        var decoded = Decode(bytes);
        if (!decoded.Ok)
        {
            return decoded.Error!;
        }

        var (text, encoding) = decoded.Value;
        HolidayTable table;
        try
        {
            table = HolidayTable.ParseCabinetOfficeCsv(text);
        }
        catch (FormatException ex)
        {
            return Errors.HolidaysInvalid with { Details = new Dictionary<string, object?> { ["problem"] = ex.Message } };
        }

        var years = table.Years.ToList();
        if (years[0] < JapaneseHolidays.FirstYear || years[^1] > JapaneseHolidays.LastYear)
        {
            return Errors.HolidaysInvalid with
            {
                Details = new Dictionary<string, object?> { ["problem"] = $"years {years[0]}–{years[^1]} are outside {JapaneseHolidays.FirstYear}–{JapaneseHolidays.LastYear}" },
            };
        }

        var rows = years.Sum(y => table.For(y).Count);
        var name = Path.GetFileName(fileName);
        db.HolidayLists.Add(new HolidayList
        {
            Text = text,
            FirstYear = years[0],
            LastYear = years[^1],
            Rows = rows,
            FileName = name.Length > 200 ? name[..200] : name,
            Encoding = encoding,
            ImportedAt = clock.GetUtcNow(),
            ImportedById = actorId,
        });
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync("calendar.holidays_imported", AuditOutcome.Success, actorId: actorId, details: new Dictionary<string, string?>
        {
            ["years"] = $"{years[0]}-{years[^1]}",
            ["rows"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["encoding"] = encoding,
            ["file"] = name,
        }, ct: ct);
        await store.RefreshAsync(ct);
        return new HolidayImportResult(years[0], years[^1], rows, encoding);
    }
}
