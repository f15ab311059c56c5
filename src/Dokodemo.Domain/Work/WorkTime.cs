namespace Dokodemo.Domain.Work;

/// <summary>
/// A stretch of time in Japan's local time (Asia/Tokyo). The rules are kept in Japan time even for a person working
/// abroad: the app converts the UTC clock records before it asks the engine.
/// </summary>
public readonly record struct LocalInterval(DateTime Start, DateTime End)
{
    public int Minutes => (int)Math.Round((End - Start).TotalMinutes, MidpointRounding.AwayFromZero);

    /// <summary>Minutes this interval shares with <paramref name="other"/>.</summary>
    public int OverlapMinutes(LocalInterval other)
    {
        var start = Start > other.Start ? Start : other.Start;
        var end = End < other.End ? End : other.End;
        return end > start ? (int)Math.Round((end - start).TotalMinutes, MidpointRounding.AwayFromZero) : 0;
    }

    public static LocalInterval On(DateOnly date, int startHour, int startMinute, int endHour, int endMinute) =>
        new(date.ToDateTime(new TimeOnly(startHour, startMinute)),
            endHour == 24 ? date.AddDays(1).ToDateTime(TimeOnly.MinValue) : date.ToDateTime(new TimeOnly(endHour, endMinute)));
}

/// <summary>What kind of day a date is for the person (勤務時間条例), after any 週休日の振替.</summary>
public enum StaffDayKind
{
    /// <summary>勤務日 — hours are assigned.</summary>
    Workday = 0,

    /// <summary>週休日 — no hours assigned (normally Saturday and Sunday); any work is 時間外勤務.</summary>
    WeeklyRest = 1,

    /// <summary>休日 — 祝日法による休日 or 年末年始 (12/29–1/3): hours are assigned but excused; work in them is 休日勤務.</summary>
    Holiday = 2,
}

/// <summary>
/// One day of one person: what was assigned (正規の勤務時間 and its breaks, per 割振り, flex 申告 or 早出遅出 pattern)
/// and what was actually worked (clock records with breaks already taken out).
/// </summary>
public sealed record WorkDay
{
    public required DateOnly Date { get; init; }
    public StaffDayKind Kind { get; init; }

    /// <summary>This 週休日 is the 法定休日 (労基法35条) for 36協定 counting (B-2); by default the town's Sunday.</summary>
    public bool IsLegalRestDay { get; init; }

    /// <summary>正規の勤務時間 as assigned, without breaks (e.g. 8:30–12:00 and 13:00–17:15). Empty on a 週休日.</summary>
    public IReadOnlyList<LocalInterval> Assigned { get; init; } = [];

    /// <summary>The assigned breaks (e.g. 12:00–13:00).</summary>
    public IReadOnlyList<LocalInterval> AssignedBreaks { get; init; } = [];

    /// <summary>What was actually worked, breaks excluded; may run past midnight.</summary>
    public IReadOnlyList<LocalInterval> Worked { get; init; } = [];

    /// <summary>Breaks actually taken.</summary>
    public IReadOnlyList<LocalInterval> Breaks { get; init; } = [];

    /// <summary>Hours of leave (年休 etc.) taken out of the assigned hours on this day.</summary>
    public int LeaveMinutes { get; init; }

    /// <summary>The employee worked on 特例業務 this day.</summary>
    public bool SpecialDuty { get; init; }

    /// <summary>C-2: the objective record of the day (PC log-on/log-off, building entry, app sessions), in Japan time.</summary>
    public IReadOnlyList<LocalInterval> Logged { get; init; } = [];

    /// <summary>C-2: the day was declared telework (在宅), so a day without any log needs a confirmation note.</summary>
    public bool Telework { get; init; }

    /// <summary>C-2: a supervisor recorded a confirmation note (現認・確認記録) for the day's gap; it is not flagged again.</summary>
    public bool RecordsNoted { get; init; }

    public int AssignedMinutes => Sum(Assigned);
    public int WorkedMinutes => Sum(Worked);

    private static int Sum(IReadOnlyList<LocalInterval> intervals)
    {
        var total = 0;
        foreach (var i in intervals)
        {
            total += i.Minutes;
        }

        return total;
    }
}

/// <summary>
/// A month of one person's counted hours, the input of the monthly and yearly caps (A, B, C-1). Minutes, not hours:
/// the rules compare exact figures ("45h00m is within, 45h15m exceeds").
/// </summary>
public sealed record MonthWork
{
    /// <summary>Any day of the month is fine; the first is conventional.</summary>
    public required DateOnly Month { get; init; }

    /// <summary>時間外勤務 under the 条例/規則: outside 正規の勤務時間, 週休日 work included, 休日勤務 excluded.</summary>
    public int OrdinanceOvertimeMinutes { get; init; }

    /// <summary>時間外労働 under 労基法 (B-2): beyond 8h a day or 40h a week.</summary>
    public int LaborOvertimeMinutes { get; init; }

    /// <summary>法定休日労働 under 労基法 (B-2).</summary>
    public int LegalRestDayMinutes { get; init; }

    /// <summary>Every minute worked in the month (C-1).</summary>
    public int TotalWorkedMinutes { get; init; }

    /// <summary>The person worked on 特例業務 during the month.</summary>
    public bool SpecialDuty { get; init; }
}
