using System.Globalization;
using Dokodemo.Domain.Calendar;

namespace Dokodemo.Domain.Work;

/// <summary>
/// A finding's message in two languages, built from a subject ("5月の時間外勤務"), a limit ("45時間") and a value
/// ("45時間15分"), so the same rule reads as a breach ("…を超えました") or as a forecast ("このペースでは…見込みです").
/// </summary>
internal readonly record struct CapPhrase(
    string SubjectJa,
    string SubjectEn,
    string LimitJa,
    string LimitEn,
    string ValueJa,
    string ValueEn,
    bool Reaching = false,
    string NoteJa = "",
    string NoteEn = "")
{
    public (string Ja, string En) Breach(bool exempt)
    {
        var ja = Reaching
            ? $"{SubjectJa}が{LimitJa}以上になりました（{ValueJa}）。{NoteJa}"
            : $"{SubjectJa}が{LimitJa}を超えました（{ValueJa}）。{NoteJa}";
        var en = Reaching
            ? $"{SubjectEn} reached {LimitEn} or more ({ValueEn})."
            : $"{SubjectEn} exceeded {LimitEn} ({ValueEn}).";
        en = Join(en, NoteEn);
        if (exempt)
        {
            ja += CapsText.ExemptJa;
            en = Join(en, CapsText.ExemptEn);
        }

        return (ja, en);
    }

    public (string Ja, string En) Forecast(string nowJa, string nowEn)
    {
        var partJa = nowJa.Length > 0 ? $"、現在{nowJa}" : "";
        var partEn = nowEn.Length > 0 ? $"; {nowEn} so far" : "";
        var ja = Reaching
            ? $"このままのペースでは{SubjectJa}が{LimitJa}以上になる見込みです（見込み{ValueJa}{partJa}）。{NoteJa}"
            : $"このままのペースでは{SubjectJa}が{LimitJa}を超える見込みです（見込み{ValueJa}{partJa}）。{NoteJa}";
        var en = Reaching
            ? $"At the current pace, {Lower(SubjectEn)} will reach {LimitEn} or more (projected {ValueEn}{partEn})."
            : $"At the current pace, {Lower(SubjectEn)} will exceed {LimitEn} (projected {ValueEn}{partEn}).";
        return (ja, Join(en, NoteEn));
    }

    private static string Join(string sentence, string more) => more.Length > 0 ? sentence + " " + more : sentence;

    private static string Lower(string s) => s.Length > 0 ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}

/// <summary>Hours, months and years as a manager reads them in Japanese and English.</summary>
internal static class CapsText
{
    public const string ExemptJa = "特例業務に従事した期間のため、上限は適用されません（A-8）。";
    public const string ExemptEn = "Exempt: the person worked on special duty (特例業務, A-8) in this period.";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>"45時間15分", "45時間".</summary>
    public static string HoursJa(int minutes)
    {
        var sign = minutes < 0 ? "-" : "";
        minutes = Math.Abs(minutes);
        return minutes % 60 == 0
            ? string.Create(Inv, $"{sign}{minutes / 60}時間")
            : string.Create(Inv, $"{sign}{minutes / 60}時間{minutes % 60}分");
    }

    /// <summary>"45h15m", "45h".</summary>
    public static string HoursEn(int minutes)
    {
        var sign = minutes < 0 ? "-" : "";
        minutes = Math.Abs(minutes);
        return minutes % 60 == 0
            ? string.Create(Inv, $"{sign}{minutes / 60}h")
            : string.Create(Inv, $"{sign}{minutes / 60}h{minutes % 60:00}m");
    }

    /// <summary>"81.67時間" for averages and other fractional hours.</summary>
    public static string DecimalJa(decimal hours) => string.Create(Inv, $"{hours:0.##}時間");

    public static string DecimalEn(decimal hours) => string.Create(Inv, $"{hours:0.##}h");

    public static string MonthJa(int index) => string.Create(Inv, $"{CapsMath.FirstOf(index).Month}月");

    public static string MonthEn(int index) => CapsMath.FirstOf(index).ToString("MMM yyyy", Inv);

    /// <summary>"6月〜8月" (with years when the window crosses a calendar year: "2025年12月〜2026年2月").</summary>
    public static string SpanJa(int from, int to)
    {
        var a = CapsMath.FirstOf(from);
        var b = CapsMath.FirstOf(to);
        return a.Year == b.Year
            ? string.Create(Inv, $"{a.Month}月〜{b.Month}月")
            : string.Create(Inv, $"{a.Year}年{a.Month}月〜{b.Year}年{b.Month}月");
    }

    public static string SpanEn(int from, int to) => $"{MonthEn(from)}–{MonthEn(to)}";

    /// <summary>"令和7年度" for an April year, else "2025年7月〜2026年6月の1年".</summary>
    public static string YearJa(int start)
    {
        var first = CapsMath.FirstOf(start);
        return first.Month == 4
            ? JapaneseDates.WarekiFiscalYear(first)
            : SpanJa(start, start + 11) + "の1年";
    }

    public static string YearEn(int start)
    {
        var first = CapsMath.FirstOf(start);
        return first.Month == 4
            ? string.Create(Inv, $"fiscal year {first.Year}")
            : $"the year {SpanEn(start, start + 11)}";
    }

    /// <summary>"2025年10月〜2026年9月の対象期間".</summary>
    public static string AgreementPeriodJa(int start) => SpanJa(start, start + 11) + "の対象期間";

    public static string AgreementPeriodEn(int start) => $"the agreement year {SpanEn(start, start + 11)}";
}
