using System.Globalization;

namespace Dokodemo.Domain.Work;

/// <summary>
/// 在宅勤務等手当 settings (E-1, E-3). Off by default: adoption is not universal, each town turns it on with its own
/// figures.
/// </summary>
public sealed record AllowanceSettings
{
    public static readonly AllowanceSettings Default = new();

    public bool Enabled { get; init; }

    /// <summary>The average must be strictly more than this many days a month (10).</summary>
    public decimal ThresholdDays { get; init; } = 10;

    /// <summary>The shortest 一の期間 in months (人事院規則9-151 第4条: 三箇月).</summary>
    public int MinWindowMonths { get; init; } = 3;

    /// <summary>Amount per month of the period (3,000円).</summary>
    public int MonthlyAmountYen { get; init; } = 3000;
}

/// <summary>
/// One day ordered in advance to be worked at home or an equivalent place. Only a whole day (the whole 正規の勤務時間,
/// leave hours aside) counts: half telework + half office does not. <paramref name="Worked"/> says the day was actually
/// worked so, for the monthly re-test.
/// </summary>
public readonly record struct TeleworkDay(DateOnly Date, bool WholeDay, bool Worked = false);

/// <summary>The 一の期間: whole months <paramref name="From"/>..<paramref name="To"/>, fixed by the order date.</summary>
public sealed record AllowancePeriod(DateOnly OrderDate, DateOnly From, DateOnly To, int Months);

/// <summary>The outcome of the E-1 test: eligible or not, with the figures and, when not, the finding that says why.</summary>
public sealed record AllowanceResult(
    bool Eligible, AllowancePeriod Period, int CountedDays, decimal AverageDays, int MonthlyAmountYen, int TotalYen, Finding? Reason);

/// <summary>How a person commutes, for the E-2 adjustment.</summary>
public enum CommuteMode
{
    /// <summary>Car or bicycle: a distance-based monthly amount.</summary>
    Car = 0,

    /// <summary>Public transport: a fare.</summary>
    PublicTransport = 1,
}

/// <summary>
/// E-2: the commuting allowance while the telework allowance is paid — a figure to show, not to pay: the operative
/// formula must be read from the town's own 通勤手当規則 (<see cref="NeedsTownRule"/> is always true).
/// </summary>
public sealed record CommuteAdjustment(CommuteMode Mode, int MonthlyYen, string NoteJa, string NoteEn)
{
    public bool NeedsTownRule => true;
}

/// <summary>E-1 在宅勤務等手当 and the E-2 commuting adjustment.</summary>
public static class Allowance
{
    /// <summary>
    /// The 一の期間 of an order: it starts in the month after the order date, or in that month when ordered on the 1st,
    /// and runs <paramref name="months"/> whole months. Later changes to the ordered days do not move it.
    /// </summary>
    public static AllowancePeriod Period(DateOnly orderDate, int months)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var first = new DateOnly(orderDate.Year, orderDate.Month, 1);
        var from = orderDate.Day == 1 ? first : first.AddMonths(1);
        return new AllowancePeriod(orderDate, from, from.AddMonths(months).AddDays(-1), months);
    }

    /// <summary>
    /// E-1: whole ordered days in the period ÷ months &gt; threshold (strictly). With <paramref name="retestMonth"/>,
    /// the re-test at the start of that month after the ordered days changed: days before it count when they were
    /// worked whole, days from it on count when they are (now) ordered whole.
    /// </summary>
    public static AllowanceResult Evaluate(AllowancePeriod period, IReadOnlyList<TeleworkDay> days, DateOnly? retestMonth = null, AllowanceSettings? settings = null)
    {
        var s = settings ?? AllowanceSettings.Default;
        if (!s.Enabled)
        {
            return new AllowanceResult(false, period, 0, 0, 0, 0, new Finding("E-1", FindingSeverity.Warning, period.From, period.To,
                "この団体は在宅勤務等手当を採用していません。", "This town has not adopted the telework allowance.", []));
        }

        var cutoff = retestMonth is DateOnly m ? new DateOnly(m.Year, m.Month, 1) : DateOnly.MinValue;
        var counted = 0;
        foreach (var day in days)
        {
            if (day.Date < period.From || day.Date > period.To || !day.WholeDay)
            {
                continue;
            }

            if (day.Date >= cutoff || day.Worked)
            {
                counted++;
            }
        }

        var average = Math.Round((decimal)counted / period.Months, 2);
        if (period.Months < s.MinWindowMonths)
        {
            return new AllowanceResult(false, period, counted, average, 0, 0, new Finding("E-1", FindingSeverity.Violation, period.From, period.To,
                $"一の期間は{s.MinWindowMonths}か月以上でなければなりません（{period.Months}か月）。",
                $"The averaging period must be at least {s.MinWindowMonths} months ({period.Months}).",
                [new("months", period.Months), new("minimumMonths", s.MinWindowMonths)]));
        }

        // Compare exact figures: counted / months > threshold  ⇔  counted > threshold × months.
        if (counted > s.ThresholdDays * period.Months)
        {
            return new AllowanceResult(true, period, counted, average, s.MonthlyAmountYen, s.MonthlyAmountYen * period.Months, null);
        }

        return new AllowanceResult(false, period, counted, average, 0, 0, new Finding("E-1", FindingSeverity.Warning, period.From, period.To,
            $"在宅勤務日は月平均{average.ToString("0.00", CultureInfo.InvariantCulture)}日で、{s.ThresholdDays.ToString("0.##", CultureInfo.InvariantCulture)}日を超えていません（半日は数えません）。",
            $"Telework averages {average.ToString("0.00", CultureInfo.InvariantCulture)} whole days a month, not more than {s.ThresholdDays.ToString("0.##", CultureInfo.InvariantCulture)} (half days do not count).",
            [new("countedDays", counted), new("months", period.Months), new("averageDays", average), new("thresholdDays", s.ThresholdDays)]));
    }

    /// <summary>E-2, car or bicycle: half of the distance-based monthly amount (yen below 1 dropped) [S].</summary>
    public static CommuteAdjustment CommuteByCar(int distanceMonthlyYen) =>
        new(CommuteMode.Car, distanceMonthlyYen / 2,
            "自動車等: 距離区分の月額の2分の1（町の通勤手当規則で確認が必要）。",
            "Car or bicycle: half the distance-based monthly amount (to be confirmed in the town's commuting-allowance rule).");

    /// <summary>E-2, public transport: one-way fare × 2 × planned office days in the month (illustrative) [S/U].</summary>
    public static CommuteAdjustment CommuteByTransit(int oneWayFareYen, int plannedOfficeDays) =>
        new(CommuteMode.PublicTransport, oneWayFareYen * 2 * plannedOfficeDays,
            "公共交通機関: 片道運賃 × 2 × 出勤予定日数（回数乗車券等の基準・上限は町の規則で確認が必要）。",
            "Public transport: one-way fare × 2 × planned office days (trip basis and caps to be confirmed in the town's rule).");
}
