using Dokodemo.Domain.Calendar;

namespace Dokodemo.Domain.Work;

/// <summary>The rate bands of the payroll export (I-1). Default rates in the comments; the town's 給与条例 sets them.</summary>
public enum PayBand
{
    /// <summary>時間外 on a 勤務日: 125/100.</summary>
    WorkdayOvertime = 0,

    /// <summary>時間外 on a 勤務日 in 深夜: 150/100.</summary>
    WorkdayOvertimeNight = 1,

    /// <summary>時間外 on a 週休日 or beyond the assigned hours of a 休日 ("その他の勤務"): 135/100.</summary>
    RestDayOvertime = 2,

    /// <summary>The same in 深夜: 160/100.</summary>
    RestDayOvertimeNight = 3,

    /// <summary>時間外 beyond 60h in the month: 150/100.</summary>
    Beyond60 = 4,

    /// <summary>時間外 beyond 60h in the month, in 深夜: 175/100.</summary>
    Beyond60Night = 5,

    /// <summary>休日勤務 inside a 休日's assigned hours (休日給): 135/100.</summary>
    HolidayWork = 6,

    /// <summary>深夜 inside 正規の勤務時間 or 休日勤務 (深夜勤務手当): +25/100.</summary>
    Night = 7,
}

/// <summary>Rates and rounding of the payroll export (I-1); check each town's 給与条例 and 規則.</summary>
public sealed record PaySettings
{
    public static readonly PaySettings Default = new();

    public decimal WorkdayRate { get; init; } = 1.25m;
    public decimal RestDayRate { get; init; } = 1.35m;
    public decimal NightAddition { get; init; } = 0.25m;
    public decimal Beyond60Rate { get; init; } = 1.50m;
    public decimal Beyond60NightRate { get; init; } = 1.75m;
    public decimal HolidayRate { get; init; } = 1.35m;

    /// <summary>時間外 beyond this many minutes in a month is paid at the 60h rates.</summary>
    public int Beyond60Minutes { get; init; } = 60 * 60;

    /// <summary>Round each band's monthly total: ≥ 30 min → 1h, &lt; 30 min → 0 (白糠町, 本部町). Off: exact hours.</summary>
    public bool RoundMonthlyHalfHour { get; init; } = true;

    /// <summary>The hourly-base formula's week (38h45m) and day (7h45m).</summary>
    public int WeeklyMinutes { get; init; } = 38 * 60 + 45;

    public int DailyMinutes { get; init; } = 7 * 60 + 45;

    public decimal Rate(PayBand band) => band switch
    {
        PayBand.WorkdayOvertime => WorkdayRate,
        PayBand.WorkdayOvertimeNight => WorkdayRate + NightAddition,
        PayBand.RestDayOvertime => RestDayRate,
        PayBand.RestDayOvertimeNight => RestDayRate + NightAddition,
        PayBand.Beyond60 => Beyond60Rate,
        PayBand.Beyond60Night => Beyond60NightRate,
        PayBand.HolidayWork => HolidayRate,
        PayBand.Night => NightAddition,
    };
}

/// <summary>One month's minutes by pay band, and the hours the export reports for each.</summary>
public sealed class MonthPay
{
    private readonly int[] minutes;
    private readonly bool round;

    internal MonthPay(DateOnly month, int[] minutes, bool round)
    {
        Month = month;
        this.minutes = minutes;
        this.round = round;
    }

    public DateOnly Month { get; }

    public static IReadOnlyList<PayBand> Bands { get; } = Enum.GetValues<PayBand>();

    public int Minutes(PayBand band) => minutes[(int)band];

    /// <summary>The band's hours for the export: rounded per band (≥ 30 min up, &lt; 30 min down) or exact.</summary>
    public decimal Hours(PayBand band) => round ? PayBands.RoundHalfHour(minutes[(int)band]) : minutes[(int)band] / 60m;
}

/// <summary>
/// I-1: a month's work split into pay bands for the payroll export, and the hourly base. The 60h is counted in time
/// order through the month: the minutes that take 時間外 past 60h and every later one go to the 60h bands, whatever the
/// day kind. 深夜 minutes inside regular hours and 休日勤務 get the +25/100 addition only.
/// </summary>
public static class PayBands
{
    /// <summary>The bands of <paramref name="month"/>, from <paramref name="days"/> in date order (days of other months are ignored).</summary>
    public static MonthPay Month(DateOnly month, IReadOnlyList<WorkDay> days, PaySettings? settings = null, CountingSettings? counting = null)
    {
        var s = settings ?? PaySettings.Default;
        var c = counting ?? CountingSettings.Default;
        var sink = new BandSink { Bands = new int[MonthPay.Bands.Count], Threshold = s.Beyond60Minutes };
        foreach (var day in days)
        {
            if (day.Date.Year != month.Year || day.Date.Month != month.Month)
            {
                continue;
            }

            sink.Kind = day.Kind;
            Counting.Walk(day, c, ref sink);
        }

        return new MonthPay(new DateOnly(month.Year, month.Month, 1), sink.Bands, s.RoundMonthlyHalfHour);
    }

    /// <summary>A month's total for a band, rounded: whole hours, plus one when the rest is 30 minutes or more.</summary>
    public static int RoundHalfHour(int minutes) => minutes / 60 + (minutes % 60 >= 30 ? 1 : 0);

    /// <summary>
    /// The hourly base (三重県 formula): (給料月額 + 地域手当等) × 12 ÷ (38h45m × 52 − 7h45m × weekday 休日等), unrounded:
    /// the town's yen-rounding rule applies to the amount.
    /// </summary>
    public static decimal HourlyBase(decimal monthlyPay, int closedWeekdays, PaySettings? settings = null)
    {
        var s = settings ?? PaySettings.Default;
        return monthlyPay * 12 / AnnualHours(closedWeekdays, s);
    }

    /// <summary>The formula's annual hours: 2,015 − 7.75 × closed weekdays (1,860 for 2025's 20).</summary>
    public static decimal AnnualHours(int closedWeekdays, PaySettings? settings = null)
    {
        var s = settings ?? PaySettings.Default;
        return (s.WeeklyMinutes * 52 - s.DailyMinutes * closedWeekdays) / 60m;
    }

    /// <summary>Weekday 休日等 in a calendar year (G-2: 2025 = 20).</summary>
    public static int ClosedWeekdaysInYear(TownCalendar calendar, int year) =>
        calendar.ClosedWeekdays(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    /// <summary>Weekday 休日等 in a 年度 (G-2: FY2025 = 19).</summary>
    public static int ClosedWeekdaysInFiscalYear(TownCalendar calendar, int fiscalYear) =>
        calendar.ClosedWeekdays(new DateOnly(fiscalYear, 4, 1), new DateOnly(fiscalYear + 1, 3, 31));

    /// <summary>The amount for hours in a band, unrounded (the town rounds by its own rule).</summary>
    public static decimal Amount(decimal hourlyBase, PayBand band, decimal hours, PaySettings? settings = null) =>
        hourlyBase * (settings ?? PaySettings.Default).Rate(band) * hours;

    private struct BandSink : Counting.IPieceSink
    {
        public int[] Bands;
        public int Threshold;
        public int Overtime;
        public StaffDayKind Kind;

        public void Piece(DateTime start, int minutes, bool insideAssigned, bool night)
        {
            if (insideAssigned)
            {
                if (Kind == StaffDayKind.Holiday)
                {
                    Bands[(int)PayBand.HolidayWork] += minutes;
                }

                if (night)
                {
                    Bands[(int)PayBand.Night] += minutes;
                }

                return;
            }

            var under = Math.Clamp(Threshold - Overtime, 0, minutes);
            var beyond = minutes - under;
            Overtime += minutes;
            var workday = Kind == StaffDayKind.Workday;
            var band = (workday, night) switch
            {
                (true, false) => PayBand.WorkdayOvertime,
                (true, true) => PayBand.WorkdayOvertimeNight,
                (false, false) => PayBand.RestDayOvertime,
                (false, true) => PayBand.RestDayOvertimeNight,
            };
            Bands[(int)band] += under;
            Bands[(int)(night ? PayBand.Beyond60Night : PayBand.Beyond60)] += beyond;
        }
    }
}
