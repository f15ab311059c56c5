using Dokodemo.Domain.Work;

namespace Dokodemo.Domain.Tests.Work;

/// <summary>Builders for the caps tests: hours as doubles (InlineData cannot hold decimals), months by year and month.</summary>
internal static class CapsBuilder
{
    public static int H(double hours) => (int)Math.Round(hours * 60, MidpointRounding.AwayFromZero);

    public static DateOnly D(int y, int m, int d) => new(y, m, d);

    public static MonthWork Month(int y, int m, double overtime, double labor = 0, double rest = 0, double total = 0, bool special = false) =>
        new()
        {
            Month = new DateOnly(y, m, 1),
            OrdinanceOvertimeMinutes = H(overtime),
            LaborOvertimeMinutes = H(labor),
            LegalRestDayMinutes = H(rest),
            TotalWorkedMinutes = H(total),
            SpecialDuty = special,
        };

    /// <summary>Consecutive months of 条例 時間外 from (y, m).</summary>
    public static List<MonthWork> Overtime(int y, int m, params double[] hours)
    {
        var list = new List<MonthWork>(hours.Length);
        var first = new DateOnly(y, m, 1);
        for (var k = 0; k < hours.Length; k++)
        {
            var d = first.AddMonths(k);
            list.Add(Month(d.Year, d.Month, hours[k]));
        }

        return list;
    }

    /// <summary>Consecutive months of 36協定 counting (時間外労働, 法定休日労働) from (y, m).</summary>
    public static List<MonthWork> Labor(int y, int m, params (double Overtime, double RestDay)[] hours)
    {
        var list = new List<MonthWork>(hours.Length);
        var first = new DateOnly(y, m, 1);
        for (var k = 0; k < hours.Length; k++)
        {
            var d = first.AddMonths(k);
            list.Add(Month(d.Year, d.Month, 0, hours[k].Overtime, hours[k].RestDay));
        }

        return list;
    }

    public static double[] Repeat(double hours, int count) => Enumerable.Repeat(hours, count).ToArray();

    public static Designation OtherDirected(DateOnly from, DateOnly? to = null) => new(from, to, DepartmentPace.OtherDirected, "財政課");

    public static Designation SelfDirected(DateOnly from, DateOnly? to = null) => new(from, to, DepartmentPace.SelfDirected, "総務課");

    public static CapsInput Input(IEnumerable<MonthWork> months, params Designation[] designations) =>
        new() { Months = months.ToList(), Designations = designations };

    public static Finding Single(IEnumerable<Finding> findings, string rule) => Assert.Single(findings, f => f.Rule == rule);

    public static void AssertFinding(Finding f, string rule, FindingSeverity severity, DateOnly from, DateOnly to, params (string Name, double Value)[] figures)
    {
        Assert.Equal(rule, f.Rule);
        Assert.Equal(severity, f.Severity);
        Assert.Equal(from, f.From);
        Assert.Equal(to, f.To);
        foreach (var (name, value) in figures)
        {
            Assert.Equal((decimal)value, f.Figure(name));
        }

        Assert.False(string.IsNullOrWhiteSpace(f.MessageJa));
        Assert.False(string.IsNullOrWhiteSpace(f.MessageEn));
    }
}
