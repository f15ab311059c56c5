namespace Dokodemo.Domain.Work;

/// <summary>How the 任命権者 designated the person's unit (課/室/班…) for the overtime caps (A-1 … A-7).</summary>
public enum DepartmentPace
{
    /// <summary>自律部署 — the unit sets its own pace: 45h a month, 360h a year .</summary>
    SelfDirected = 0,

    /// <summary>他律部署 — work dictated by others (窓口, 予算, 国会対応…): under 100h, 720h, 80h averages (A-3 … A-6).</summary>
    OtherDirected = 1,
}

/// <summary>
/// One designation of the person's unit, valid from <see cref="From"/> to <see cref="To"/> (inclusive; null = open).
/// A transfer or a change of designation is a new row from its date; where rows overlap, the one that starts later
/// wins. Days no row covers are 自律部署.
/// </summary>
public sealed record Designation(DateOnly From, DateOnly? To, DepartmentPace Pace, string Unit = "");

/// <summary>
/// A 36協定 (労基法36条) covering the person's workplace from <see cref="From"/> to <see cref="To"/> (inclusive; null =
/// open). Only 別表第一 事業 workplaces and 企業職員 need one (B-1); a month it covers on any day is judged by the B rules
/// instead of the A rules.
/// </summary>
/// <param name="StartMonth">起算日's month: the 対象期間 (1年) runs from the first of this month (B-3).</param>
/// <param name="SpecialClause">特別条項: up to 720h a year and 6 months over 45h (B-4) instead of 45h/360h (B-3).</param>
/// <param name="YearlyVariableHours">1年単位の変形労働時間制 over 3 months (企業職員 only): 42h/320h instead of 45h/360h.</param>
public sealed record LaborAgreement(
    DateOnly From,
    DateOnly? To,
    int StartMonth = 4,
    bool SpecialClause = false,
    bool YearlyVariableHours = false,
    string Workplace = "")
{
    public bool Covers(DateOnly first, DateOnly last) => From <= last && (To is null || To.Value >= first);
}

/// <summary>The 任命権者's 整理・分析・検証 (要因分析) of why 特例業務 needed hours beyond the caps .</summary>
public sealed record CauseAnalysis(string Author, DateOnly Date, string Text);

/// <summary>
/// A month in which the person worked on 特例業務 (大規模災害への対処, 感染症…): the caps do not apply to it or to any
/// window that contains it. <see cref="MonthWork.SpecialDuty"/> marks the same; this row adds the duty and the
/// analysis the town must then record.
/// </summary>
public sealed record SpecialDutyMonth(DateOnly Month, string Duty, CauseAnalysis? Analysis = null);
