namespace Dokodemo.Domain.Work;

/// <summary>How serious a finding is. 勤務間インターバル (D-3) and forecasts are warnings; a breached cap is a violation.</summary>
public enum FindingSeverity
{
    /// <summary>Something to act on before it becomes a breach, or an effort duty (努力義務) not met.</summary>
    Warning = 0,

    /// <summary>A rule the town must keep was broken.</summary>
    Violation = 1,
}

/// <summary>One figure a finding reports, e.g. ("hours", 45.25) or ("limit", 45). Hours are decimal hours.</summary>
public readonly record struct FindingFigure(string Name, decimal Value);

/// <summary>
/// What the rules engine says about a person's working time: which rule (by its code in work-rules.md: "A-1", "D-3"…),
/// for which period, with which figures, how serious, and in both languages. A finding that a rule WILL be broken at
/// the current pace has <see cref="IsForecast"/> set and is always a warning.
/// </summary>
public sealed record Finding(
    string Rule,
    FindingSeverity Severity,
    DateOnly From,
    DateOnly To,
    string MessageJa,
    string MessageEn,
    IReadOnlyList<FindingFigure> Figures,
    bool IsForecast = false,
    bool Exempt = false)
{
    /// <summary>The value of a named figure, or null.</summary>
    public decimal? Figure(string name)
    {
        foreach (var f in Figures)
        {
            if (f.Name == name)
            {
                return f.Value;
            }
        }

        return null;
    }
}
