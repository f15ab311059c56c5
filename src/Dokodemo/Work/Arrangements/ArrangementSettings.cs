using Dokodemo.Domain.Work;

namespace Dokodemo.Work.Arrangements;

/// <summary>
/// The town's 早出遅出 patterns and how people ask for them and for flex (J-6: every town sets its own). Part of the
/// rule parameters (<see cref="Rules.RuleParameters.Arrangements"/>), versioned and validated with them.
/// </summary>
public sealed record ArrangementSettings
{
    public static readonly ArrangementSettings Default = new();

    /// <summary>People may 申告 a flex plan (D-4).</summary>
    public bool FlexEnabled { get; init; } = true;

    /// <summary>How many days before its first day a person must ask (いの町 1 month, 養父市 1 week, みよし市 2 weeks).</summary>
    public int NoticeDays { get; init; } = 7;

    /// <summary>The town's patterns (養父市 style), each 7h45m with a 60-minute break (D-5, 職職-259).</summary>
    public IReadOnlyList<ShiftPattern> Patterns { get; init; } =
    [
        new("早出A", new(7, 30), new(16, 15), new(12, 0), new(13, 0)),
        new("早出B", new(8, 0), new(16, 45), new(12, 0), new(13, 0)),
        new("遅出A", new(9, 0), new(17, 45), new(12, 0), new(13, 0)),
        new("遅出B", new(9, 30), new(18, 15), new(12, 0), new(13, 0)),
        new("遅出C", new(10, 0), new(18, 45), new(12, 0), new(13, 0)),
    ];

    /// <summary>The first thing wrong, in English for the API's "problem" field, or null.</summary>
    public string? Problem(FlexSettings flex)
    {
        if (NoticeDays is < 0 or > 92)
        {
            return "arrangements.noticeDays must be 0–92";
        }

        if (Patterns.Count > 30)
        {
            return "arrangements.patterns: at most 30";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Patterns)
        {
            if (string.IsNullOrWhiteSpace(p.Name) || p.Name.Length > 50 || !names.Add(p.Name))
            {
                return "arrangements.patterns: each needs a unique name of at most 50 characters";
            }

            if (Domain.Work.Patterns.Validate(p, DateOnly.MinValue) is [var first, ..])
            {
                return $"arrangements.patterns \"{p.Name}\": {first.MessageEn}";
            }
        }

        if (flex.MaxWeeks is < 1 or > 4 || flex.WeeklyMinutes is <= 0 or > 60 * 60 || flex.FixedDayMinutes is <= 0 or > 24 * 60 ||
            flex.MinDailyMinutes is < 0 or > 24 * 60 || flex.SpecialDaysPerPeriod is < 0 or > 5)
        {
            return "flex: maxWeeks 1–4, weeklyMinutes and fixedDayMinutes above 0, specialDaysPerPeriod 0–5";
        }

        if (flex.CoreWindowEnd <= flex.CoreWindowStart || flex.BandEnd <= flex.BandStart || flex.MinCoreMinutes <= 0 ||
            flex.CoreBreakMinutes < 0 || flex.CoreWindowStart < flex.BandStart || flex.CoreWindowEnd > flex.BandEnd)
        {
            return "flex: the core window must lie in the band, each start before its end";
        }

        return null;
    }
}
