using Dokodemo.Work.Calendar;

namespace Dokodemo.Work.Places;

/// <summary>
/// Puts a person's work places in their calendar feed: each day with a declared or patterned place (not the silent
/// default of 庁舎), marked 承認済み or 未承認 for 在宅 and abroad.
/// </summary>
public sealed class WorkPlaceFeed(WorkPlaces places) : ICalendarFeedSource
{
    public async Task<IReadOnlyList<FeedEvent>> EventsAsync(string userId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var days = await places.PlacesAsync([userId], from, to, ct);
        var events = new List<FeedEvent>();
        foreach (var d in days)
        {
            if (d.Off || (d.Morning.Source == PlaceSource.Default && d.Afternoon.Source == PlaceSource.Default))
            {
                continue;
            }

            var summary = d.IsSplit ? $"午前 {Name(d.Morning)} / 午後 {Name(d.Afternoon)}" : $"勤務場所: {Name(d.Morning)}";
            var remote = new[] { d.Morning, d.Afternoon }.Where(h => h.Kind is WorkPlaceKind.Home or WorkPlaceKind.Abroad).ToList();
            var description = remote.Count == 0 ? null
                : remote.Any(h => h.Unapproved) ? "テレワーク未承認（申請してください）" : "テレワーク承認済み";
            if (d.Note.Length > 0)
            {
                description = description is null ? d.Note : description + "\n" + d.Note;
            }

            events.Add(new FeedEvent($"place-{d.Date:yyyyMMdd}@dokodemo", d.Date, d.Date.AddDays(1), summary, "勤務場所", description));
        }

        return events;
    }

    private static string Name(HalfPlace h) => h.Kind switch
    {
        WorkPlaceKind.Home => "在宅",
        WorkPlaceKind.Satellite => "サテライトオフィス",
        WorkPlaceKind.Mobile => "出張・モバイル",
        WorkPlaceKind.Abroad => h.Country is { } c ? $"海外（{c}）" : "海外",
        _ => "庁舎",
    };
}

/// <summary>
/// The work place a clock record carries (attendance's seam): the person's effective place of the day, as a short code —
/// "office", "home", "satellite:{siteId}", "mobile", "abroad:{country}"; a split day is "morning/afternoon".
/// </summary>
public sealed class DeclaredWorkPlace(WorkPlaces places) : Attendance.IWorkPlaceOfDay
{
    public async Task<string> PlaceOfAsync(string userId, DateOnly date, CancellationToken ct = default)
    {
        var day = await places.PlaceOfAsync(userId, date, ct);
        return day.IsSplit ? $"{Code(day.Morning)}/{Code(day.Afternoon)}" : Code(day.Morning);
    }

    public static string Code(HalfPlace h) => h.Kind switch
    {
        WorkPlaceKind.Home => "home",
        WorkPlaceKind.Satellite => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"satellite:{h.SiteId}"),
        WorkPlaceKind.Mobile => "mobile",
        WorkPlaceKind.Abroad => $"abroad:{h.Country}",
        _ => Attendance.WorkPlaceKinds.Office,
    };
}

/// <summary>Reads a place code kept on a clock record ("office", "satellite:3", "abroad:FR", "office/home") back as text.</summary>
public static class PlaceCodes
{
    public static string Describe(string? code, IReadOnlyDictionary<int, string> siteNames)
    {
        if (string.IsNullOrEmpty(code))
        {
            return Shared.Text.T("place.Office");
        }

        var halves = code.Split('/');
        return halves.Length == 2
            ? $"{Shared.Text.T("place.morning")} {One(halves[0], siteNames)} / {Shared.Text.T("place.afternoon")} {One(halves[1], siteNames)}"
            : One(code, siteNames);
    }

    private static string One(string code, IReadOnlyDictionary<int, string> siteNames)
    {
        var (kind, arg) = code.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? (code[..i], code[(i + 1)..]) : (code, "");
        return kind switch
        {
            "home" => Shared.Text.T("place.Home"),
            "mobile" => Shared.Text.T("place.Mobile"),
            "satellite" => int.TryParse(arg, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && siteNames.TryGetValue(id, out var name)
                ? $"{Shared.Text.T("place.Satellite")}（{name}）" : Shared.Text.T("place.Satellite"),
            "abroad" => arg.Length > 0 ? $"{Shared.Text.T("place.Abroad")}（{arg}）" : Shared.Text.T("place.Abroad"),
            _ => Shared.Text.T("place.Office"),
        };
    }
}
