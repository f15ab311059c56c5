using System.Globalization;
using System.Text;
using Dokodemo.Data;
using Dokodemo.Domain.Accounts;
using Dokodemo.Domain.Work;
using Dokodemo.Work.Attendance;
using Dokodemo.Work.Rules;
using Microsoft.EntityFrameworkCore;

namespace Dokodemo.Work.Payroll;

/// <summary>Hours of one month in each pay band (I-1), as the export reports them (rounded per <see cref="PaySettings"/>).</summary>
public sealed record PayBandHours(
    decimal WorkdayOvertime,
    decimal WorkdayOvertimeNight,
    decimal RestDayOvertime,
    decimal RestDayOvertimeNight,
    decimal Beyond60,
    decimal Beyond60Night,
    decimal HolidayWork,
    decimal Night);

/// <summary>
/// One person's line of the monthly payroll export. The employee id is the account's email (what the town's payroll
/// system keys staff by when it has no staff number here), else the account id. Totals are exact hours (2 decimals);
/// the bands are rounded per the town's setting.
/// </summary>
public sealed record PayrollRow(
    string UserId,
    string EmployeeId,
    string Name,
    string Department,
    PayBandHours Bands,
    decimal OvertimeHours,
    decimal NightHours,
    decimal HolidayWorkHours,
    decimal WorkedHours,
    int TeleworkDays,
    int AllowanceYen,
    AllowanceDto Allowance,
    MonthStatus MonthStatus,
    bool Locked);

public sealed record PayrollPreview(string Month, bool AllowanceEnabled, bool RoundedBands, int Rows, int Locked, IReadOnlyList<PayrollRow> People);

/// <summary>
/// The monthly payroll export (給与連携): for each staff member (職員 and 会計年度任用職員, active accounts), the month's
/// hours by pay band from <see cref="PayBands.Month"/>, 深夜, 休日勤務, total worked, telework days, the allowance, and
/// whether HR has locked the month. Loads the whole town's month in batches (attendance in one query per month,
/// telework orders in one), so a thousand staff export in about a second.
/// </summary>
public sealed class PayrollExport(AppDbContext db, AttendanceDays attendance, TeleworkAllowances allowances, WorkRules rules)
{
    private static readonly AccountKind[] Payroll = [AccountKind.Staff, AccountKind.PartTimeStaff];

    public async Task<PayrollPreview> BuildAsync(DateOnly month, bool english, CancellationToken ct = default)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        var people = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && Payroll.Contains(u.Kind))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.DisplayNameKana, u.DepartmentId, Department = u.Department!.Name, DepartmentEn = u.Department.NameEn, Sort = u.Department.SortOrder })
            .ToListAsync(ct);
        people = [.. people.OrderBy(p => p.Sort).ThenBy(p => p.DepartmentId).ThenBy(p => p.DisplayNameKana, StringComparer.Ordinal).ThenBy(p => p.DisplayName, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal)];
        var days = await attendance.ForDepartmentAsync(null, first, ct);
        var parameters = await rules.ParametersAsync(ct);
        var counting = parameters.Counting;
        var pay = parameters.Pay;
        var ids = people.Select(p => p.Id).ToList();
        var allowance = await allowances.ForMonthAsync(ids, first, english, ct);
        var states = await db.AttendanceMonths.AsNoTracking().Where(m => m.Month == first).Select(m => new { m.UserId, m.Status }).ToListAsync(ct);
        var stateOf = states.GroupBy(s => s.UserId).ToDictionary(g => g.Key, g => g.First().Status);

        var rows = new List<PayrollRow>(people.Count);
        foreach (var p in people)
        {
            var mine = days.GetValueOrDefault(p.Id) ?? [];
            var bands = PayBands.Month(first, mine, pay, counting);
            int overtime = 0, night = 0, holiday = 0, worked = 0;
            foreach (var d in mine)
            {
                var c = Counting.Day(d, counting);
                overtime += c.OrdinanceOvertimeMinutes;
                night += c.NightMinutes;
                holiday += c.HolidayWorkMinutes;
                worked += c.WorkedMinutes;
            }

            var a = allowance[p.Id];
            var status = stateOf.GetValueOrDefault(p.Id, MonthStatus.Open);
            rows.Add(new PayrollRow(p.Id, string.IsNullOrEmpty(p.Email) ? p.Id : p.Email, p.DisplayName, english ? p.DepartmentEn : p.Department,
                new PayBandHours(bands.Hours(PayBand.WorkdayOvertime), bands.Hours(PayBand.WorkdayOvertimeNight), bands.Hours(PayBand.RestDayOvertime),
                    bands.Hours(PayBand.RestDayOvertimeNight), bands.Hours(PayBand.Beyond60), bands.Hours(PayBand.Beyond60Night),
                    bands.Hours(PayBand.HolidayWork), bands.Hours(PayBand.Night)),
                Hours(overtime), Hours(night), Hours(holiday), Hours(worked), a.TeleworkDaysInMonth, a.AmountYen, a, status, status == MonthStatus.Locked));
        }

        return new PayrollPreview(JapanTime.MonthText(first), allowance.Values.FirstOrDefault()?.Enabled ?? false, pay.RoundMonthlyHalfHour,
            rows.Count, rows.Count(r => r.Locked), rows);
    }

    /// <summary>Exact hours with two decimals (62h20m → 62.33).</summary>
    public static decimal Hours(int minutes) => Math.Round(minutes / 60m, 2, MidpointRounding.AwayFromZero);

    /// <summary>The header line: Japanese, as the town's payroll tools read it; the rates in the names are the defaults' meaning.</summary>
    public static readonly string[] Header =
    [
        "職員ID", "氏名", "所属",
        "時間外（勤務日）125", "時間外（勤務日・深夜）150", "時間外（週休日等）135", "時間外（週休日等・深夜）160",
        "時間外（60時間超）150", "時間外（60時間超・深夜）175", "休日勤務 135", "深夜勤務 25",
        "時間外 計", "深夜 計", "休日勤務 計", "勤務時間 計", "在宅勤務日数", "在宅勤務等手当（円）", "月の確定",
    ];

    /// <summary>The CSV (RFC 4180: every field quoted, CRLF line ends), formula-safe, in UTF-8 with a BOM or in Shift_JIS (CP932).</summary>
    public static byte[] Csv(PayrollPreview preview, bool shiftJis)
    {
        var text = new StringBuilder();
        Line(text, Header);
        foreach (var r in preview.People)
        {
            var b = r.Bands;
            Line(text,
            [
                r.EmployeeId, r.Name, r.Department,
                N(b.WorkdayOvertime), N(b.WorkdayOvertimeNight), N(b.RestDayOvertime), N(b.RestDayOvertimeNight),
                N(b.Beyond60), N(b.Beyond60Night), N(b.HolidayWork), N(b.Night),
                N(r.OvertimeHours), N(r.NightHours), N(r.HolidayWorkHours), N(r.WorkedHours),
                r.TeleworkDays.ToString(CultureInfo.InvariantCulture), r.AllowanceYen.ToString(CultureInfo.InvariantCulture),
                r.Locked ? "確定" : "未確定",
            ]);
        }

        if (shiftJis)
        {
            return ShiftJis.GetBytes(text.ToString());
        }

        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. utf8.GetPreamble(), .. utf8.GetBytes(text.ToString())];
    }

    /// <summary>CP932 (Windows' Shift_JIS, what Excel and payroll tools in Japan read). Characters it lacks become "?".</summary>
    public static Encoding ShiftJis
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(932, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        }
    }

    /// <summary>
    /// A cell a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return that some tools
    /// strip first) gets a leading apostrophe (CSV injection, OWASP).
    /// </summary>
    public static string Safe(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string N(decimal hours) => hours.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>One RFC 4180 line: every field quoted, formula-safe, CRLF.</summary>
    public static void Line(StringBuilder text, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append('"').Append(Safe(cells[i]).Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        text.Append("\r\n");
    }
}
