using static Dokodemo.Domain.Work.CapsMath;
using static Dokodemo.Domain.Work.CapsText;

namespace Dokodemo.Domain.Work;

/// <summary>
/// One evaluation of the caps over a range of months. It lays the person's months out in one small array (the range,
/// the 11 months before it for year totals and windows, and the rest of the last year for its designations) and
/// walks it; nothing else is allocated unless a rule fires.
/// </summary>
internal sealed class CapsEngine
{
    private struct Month
    {
        public int Ordinance;
        public int Labor;
        public int Rest;
        public int Total;
        public bool Known;
        public bool Special;

        /// <summary>他律部署 on some day of the month, or the 特定期間 of a 他律 → 自律 transition .</summary>
        public bool Other;

        /// <summary>The month of a 他律 → 自律 transition: the 特定期間 runs from the transfer to its end .</summary>
        public bool ToSelf;

        /// <summary>Index of the 36協定 in <see cref="CapsInput.Agreements"/> covering the month, or −1.</summary>
        public int Agreement;

        public readonly bool Ordinance36 => Agreement < 0;
    }

    private enum Measure
    {
        Ordinance,
        Labor,
        LaborAndRest,
    }

    private readonly CapsInput input;
    private readonly CapSettings s;
    private readonly int lo;
    private readonly int first;
    private readonly int last;
    private readonly int earliest;
    private readonly Month[] months;
    private readonly MonthWork? toDate;
    private List<Finding>? found;
    private List<int>? exemptedMonths;

    /// <param name="projected">Forecast: the last month as projected to its end (replaces any row for it).</param>
    /// <param name="toDate">Forecast: the last month as it stands.</param>
    public CapsEngine(CapsInput input, int first, int last, MonthWork? projected = null, MonthWork? toDate = null)
    {
        this.input = input;
        s = input.Settings;
        this.first = first;
        this.last = last;
        this.toDate = projected is null ? null : toDate;
        lo = first - 11;
        var hi = Math.Max(last, StartOfYear(last, s.YearStartMonth) + 11);
        months = new Month[hi - lo + 1];

        earliest = first;
        for (var k = 0; k < input.Months.Count; k++)
        {
            var w = input.Months[k];
            var i = Index(w.Month);
            earliest = Math.Min(earliest, i);
            if (i < lo || i > hi || (projected is not null && i == last))
            {
                continue;
            }

            Add(ref months[i - lo], w);
        }

        if (projected is not null)
        {
            Add(ref months[last - lo], projected);
        }

        for (var k = 0; k < input.SpecialDuty.Count; k++)
        {
            var d = input.SpecialDuty[k];
            var i = Index(d.Month);
            if (i >= lo && i <= hi)
            {
                months[i - lo].Special = true;
            }
        }

        for (var i = lo; i <= hi; i++)
        {
            ref var m = ref months[i - lo];
            m.Known = i >= earliest;
            m.Agreement = AgreementFor(i);
            Designate(ref m, i);
        }
    }

    private bool Forecasting => toDate is not null;

    public IReadOnlyList<Finding> Run()
    {
        for (var i = first; i <= last; i++)
        {
            if (At(i).Ordinance36)
            {
                OrdinanceCaps(i);
            }
            else
            {
                AgreementCaps(i);
            }

            if (Forecasting)
            {
                Margin(i);
                YearPace(i);
            }
            else
            {
                Health(i);
            }
        }

        if (!Forecasting)
        {
            AnalysisWarnings();
        }

        return found is null ? [] : found;
    }

    private ref Month At(int i) => ref months[i - lo];

    private static void Add(ref Month m, MonthWork w)
    {
        m.Ordinance += w.OrdinanceOvertimeMinutes;
        m.Labor += w.LaborOvertimeMinutes;
        m.Rest += w.LegalRestDayMinutes;
        m.Total += w.TotalWorkedMinutes;
        m.Special |= w.SpecialDuty;
    }

    private int AgreementFor(int i)
    {
        var start = FirstOf(i);
        var end = LastOf(i);
        var best = -1;
        for (var k = 0; k < input.Agreements.Count; k++)
        {
            var a = input.Agreements[k];
            if (a.Covers(start, end) && (best < 0 || a.From >= input.Agreements[best].From))
            {
                best = k;
            }
        }

        return best;
    }

    private DepartmentPace PaceOn(DateOnly day)
    {
        Designation? best = null;
        for (var k = 0; k < input.Designations.Count; k++)
        {
            var d = input.Designations[k];
            if (d.From <= day && (d.To is null || day <= d.To.Value) && (best is null || d.From >= best.From))
            {
                best = d;
            }
        }

        return best?.Pace ?? DepartmentPace.SelfDirected;
    }

    /// <summary>Looks at the pace on the first of the month and on every day in it where a designation starts or ends.</summary>
    private void Designate(ref Month m, int i)
    {
        if (input.Designations.Count == 0)
        {
            return;
        }

        var start = FirstOf(i);
        var end = LastOf(i);
        Mark(ref m, start);
        for (var k = 0; k < input.Designations.Count; k++)
        {
            var d = input.Designations[k];
            if (d.From > start && d.From <= end)
            {
                Mark(ref m, d.From);
            }

            if (d.To is { } to && to >= start && to < end)
            {
                Mark(ref m, to.AddDays(1));
            }
        }
    }

    private void Mark(ref Month m, DateOnly day)
    {
        if (PaceOn(day) == DepartmentPace.OtherDirected)
        {
            m.Other = true;
        }
        else if (PaceOn(day.AddDays(-1)) == DepartmentPace.OtherDirected)
        {
            m.Other = true;
            m.ToSelf = true;
        }
    }

    // ---- A: the 条例/規則 caps -------------------------------------------------------------------------------

    private void OrdinanceCaps(int i)
    {
        var m = At(i);
        var ys = StartOfYear(i, s.YearStartMonth);
        var otherYear = false;
        for (var j = ys; j <= ys + 11; j++)
        {
            otherYear |= At(j).Other && At(j).Ordinance36;
        }

        if (m.Other)
        {
            A3(i, m);
            Averages(i, ys, Measure.Ordinance);
            A6(i, ys, m);
        }
        else
        {
            A1(i, m);
            A7(i, ys);
        }

        YearTotal(i, ys, otherYear);
    }

    private void A1(int i, Month m)
    {
        if (m.Ordinance <= s.MonthlyMinutes)
        {
            return;
        }

        Report("A-1", i, i, exemptable: true, Now(Measure.Ordinance, m.Ordinance),
            new CapPhrase($"{MonthJa(i)}の時間外勤務", $"Overtime in {MonthEn(i)}",
                HoursJa(s.MonthlyMinutes), HoursEn(s.MonthlyMinutes), HoursJa(m.Ordinance), HoursEn(m.Ordinance),
                NoteJa: "自律部署の上限を超えています。", NoteEn: "This is over the self-directed department's cap."),
            new("hours", Hours(m.Ordinance)), new("limit", Hours(s.MonthlyMinutes)));
    }

    private void A3(int i, Month m)
    {
        if (m.Ordinance < s.OtherDirectedMonthlyMinutes)
        {
            return;
        }

        Report("A-3", i, i, exemptable: true, Now(Measure.Ordinance, m.Ordinance),
            new CapPhrase($"{MonthJa(i)}の時間外勤務", $"Overtime in {MonthEn(i)}",
                HoursJa(s.OtherDirectedMonthlyMinutes), HoursEn(s.OtherDirectedMonthlyMinutes), HoursJa(m.Ordinance), HoursEn(m.Ordinance),
                Reaching: true,
                NoteJa: $"他律部署でも{HoursJa(s.OtherDirectedMonthlyMinutes)}未満でなければなりません。",
                NoteEn: $"Other-directed departments must stay under {HoursEn(s.OtherDirectedMonthlyMinutes)}."),
            new("hours", Hours(m.Ordinance)), new("limit", Hours(s.OtherDirectedMonthlyMinutes)));
    }

    /// <summary>A-5 (条例) and B-5 (36協定): the month with the 1 … 5 months before it, each average ≤ 80h.</summary>
    private void Averages(int i, int ys, Measure measure)
    {
        var ordinance = measure == Measure.Ordinance;
        long sum = Value(At(i), measure);
        for (var n = 2; n <= s.AverageWindowMonths; n++)
        {
            var w = i - n + 1;
            if (w < lo || !At(w).Known || (ordinance && !s.AveragesCrossYearStart && w < ys)
                || (ordinance && !s.AveragesIncludeMonthsBeforeDesignation && !At(w).Other))
            {
                return;
            }

            sum += Value(At(w), measure);
            if (sum <= (long)s.AverageMinutes * n)
            {
                continue;
            }

            var average = Average(sum, n);
            var rule = ordinance ? "A-5" : "B-5";
            var what = ordinance ? ("時間外勤務", "overtime") : ("時間外労働と休日労働", "overtime and rest-day work");
            Report(rule, w, i, exemptable: ordinance, now: null,
                new CapPhrase($"{SpanJa(w, i)}の{n}か月平均の{what.Item1}", $"The {n}-month average of {what.Item2} over {SpanEn(w, i)}",
                    HoursJa(s.AverageMinutes), HoursEn(s.AverageMinutes), "平均" + DecimalJa(average), "average " + DecimalEn(average)),
                new("average", average), new("limit", Hours(s.AverageMinutes)), new("months", n), new("total", Hours(sum)));
        }
    }

    private void A6(int i, int ys, Month m)
    {
        if (m.Ordinance <= s.MonthlyMinutes)
        {
            return;
        }

        var count = 0;
        for (var j = Math.Max(ys, lo); j <= i; j++)
        {
            if (At(j).Ordinance36 && At(j).Ordinance > s.MonthlyMinutes)
            {
                count++;
            }
        }

        if (count <= s.MonthsOverMonthlyMax)
        {
            return;
        }

        Report("A-6", ys, i, exemptable: true, Now(Measure.Ordinance, m.Ordinance),
            new CapPhrase($"{YearJa(ys)}に時間外勤務が{HoursJa(s.MonthlyMinutes)}を超えた月数",
                $"The number of months in {YearEn(ys)} with more than {HoursEn(s.MonthlyMinutes)} overtime",
                $"{s.MonthsOverMonthlyMax}か月", $"{s.MonthsOverMonthlyMax}", $"{MonthJa(i)}で{count}か月目", $"{MonthEn(i)} makes {count}"),
            new("months", count), new("limit", s.MonthsOverMonthlyMax), new("hours", Hours(m.Ordinance)));
    }

    /// <summary>A-7: after a 他律 → 自律 特定期間, the rest of the year may total 30h × its months.</summary>
    private void A7(int i, int ys)
    {
        var t = -1;
        for (var j = i - 1; j >= Math.Max(ys, lo); j--)
        {
            if (At(j).Other)
            {
                t = At(j).ToSelf ? j : -1;
                break;
            }
        }

        if (t < 0)
        {
            return;
        }

        var remaining = 0;
        for (var j = t + 1; j <= ys + 11 && !At(j).Other; j++)
        {
            remaining++;
        }

        var limit = remaining * s.TransitionRemainderMinutesPerMonth;
        var sum = 0;
        for (var j = t + 1; j <= i; j++)
        {
            sum += At(j).Ordinance36 ? At(j).Ordinance : 0;
        }

        var ordinance = At(i).Ordinance;
        if (sum - ordinance > limit || sum <= limit)
        {
            return;
        }

        Report("A-7", t + 1, i, exemptable: true, Now(Measure.Ordinance, sum),
            new CapPhrase($"特定期間後（{SpanJa(t + 1, i)}）の時間外勤務の合計", $"Overtime after the transition month ({SpanEn(t + 1, i)})",
                $"{HoursJa(limit)}（{HoursJa(s.TransitionRemainderMinutesPerMonth)}×{remaining}か月）",
                $"{HoursEn(limit)} ({HoursEn(s.TransitionRemainderMinutesPerMonth)} × {remaining} months)",
                HoursJa(sum), HoursEn(sum)),
            new("hours", Hours(sum)), new("limit", Hours(limit)), new("months", remaining));
    }

    /// <summary>A-2 (360h) in a year with only 自律 months; A-4 (720h, every month counted) once any month is 他律.</summary>
    private void YearTotal(int i, int ys, bool otherYear)
    {
        var cap = otherYear ? s.OtherDirectedAnnualMinutes : s.AnnualMinutes;
        var sum = 0;
        for (var j = Math.Max(ys, lo); j <= i; j++)
        {
            sum += At(j).Ordinance36 ? At(j).Ordinance : 0;
        }

        if (sum - At(i).Ordinance > cap || sum <= cap)
        {
            return;
        }

        Report(otherYear ? "A-4" : "A-2", ys, i, exemptable: true, Now(Measure.Ordinance, sum),
            new CapPhrase($"{YearJa(ys)}の時間外勤務の合計", $"Overtime in {YearEn(ys)}",
                HoursJa(cap), HoursEn(cap), $"{MonthJa(i)}までに{HoursJa(sum)}", $"{HoursEn(sum)} by {MonthEn(i)}"),
            new("hours", Hours(sum)), new("limit", Hours(cap)));
    }

    // ---- B: 36協定 -----------------------------------------------------------------------------------------

    private void AgreementCaps(int i)
    {
        var m = At(i);
        var a = input.Agreements[m.Agreement];
        var ps = StartOfYear(i, a.StartMonth);
        var monthly = a.YearlyVariableHours ? s.AgreementVariableMonthlyMinutes : s.AgreementMonthlyMinutes;
        var annual = a.SpecialClause ? s.AgreementSpecialAnnualMinutes
            : a.YearlyVariableHours ? s.AgreementVariableAnnualMinutes : s.AgreementAnnualMinutes;
        var sum = 0;
        var over = 0;
        for (var j = Math.Max(ps, lo); j <= i; j++)
        {
            if (At(j).Agreement == m.Agreement)
            {
                sum += At(j).Labor;
                over += At(j).Labor > monthly ? 1 : 0;
            }
        }

        var rule = a.SpecialClause ? "B-4" : "B-3";
        if (!a.SpecialClause && m.Labor > monthly)
        {
            Report("B-3", i, i, exemptable: false, Now(Measure.Labor, m.Labor),
                new CapPhrase($"{MonthJa(i)}の時間外労働（36協定）", $"Overtime (36 agreement) in {MonthEn(i)}",
                    HoursJa(monthly), HoursEn(monthly), HoursJa(m.Labor), HoursEn(m.Labor),
                    NoteJa: "特別条項のない協定の限度時間です。", NoteEn: "The agreement has no special clause."),
                new("hours", Hours(m.Labor)), new("limit", Hours(monthly)));
        }

        if (a.SpecialClause && m.Labor > monthly && over > s.MonthsOverMonthlyMax)
        {
            Report("B-4", ps, i, exemptable: false, Now(Measure.Labor, m.Labor),
                new CapPhrase($"{AgreementPeriodJa(ps)}に時間外労働が{HoursJa(monthly)}を超えた月数",
                    $"The number of months in {AgreementPeriodEn(ps)} with more than {HoursEn(monthly)} overtime",
                    $"{s.MonthsOverMonthlyMax}か月", $"{s.MonthsOverMonthlyMax}", $"{MonthJa(i)}で{over}か月目", $"{MonthEn(i)} makes {over}"),
                new("months", over), new("limit", s.MonthsOverMonthlyMax), new("hours", Hours(m.Labor)));
        }

        if (sum - m.Labor <= annual && sum > annual)
        {
            Report(rule, ps, i, exemptable: false, Now(Measure.Labor, sum),
                new CapPhrase($"{AgreementPeriodJa(ps)}の時間外労働の合計", $"Overtime in {AgreementPeriodEn(ps)}",
                    HoursJa(annual), HoursEn(annual), $"{MonthJa(i)}までに{HoursJa(sum)}", $"{HoursEn(sum)} by {MonthEn(i)}"),
                new("hours", Hours(sum)), new("limit", Hours(annual)));
        }

        var both = m.Labor + m.Rest;
        if (both >= s.AgreementMonthlyCeilingMinutes)
        {
            Report("B-5", i, i, exemptable: false, Now(Measure.LaborAndRest, both),
                new CapPhrase($"{MonthJa(i)}の時間外労働と休日労働の合計", $"Overtime and rest-day work in {MonthEn(i)}",
                    HoursJa(s.AgreementMonthlyCeilingMinutes), HoursEn(s.AgreementMonthlyCeilingMinutes), HoursJa(both), HoursEn(both),
                    Reaching: true,
                    NoteJa: $"特別条項があっても{HoursJa(s.AgreementMonthlyCeilingMinutes)}未満でなければなりません。",
                    NoteEn: $"It must stay under {HoursEn(s.AgreementMonthlyCeilingMinutes)} even with a special clause."),
                new("hours", Hours(both)), new("limit", Hours(s.AgreementMonthlyCeilingMinutes)),
                new("overtime", Hours(m.Labor)), new("restDay", Hours(m.Rest)));
        }

        // B-5 windows reach across the 協定's start whatever the town's A-5 setting (MHLW).
        Averages(i, ps, Measure.LaborAndRest);
    }

    // ---- A-9, C-1: health -----------------------------------------------------------------------------------

    private void Health(int i)
    {
        var m = At(i);
        if (m.Ordinance >= s.InterviewWithoutRequestMinutes)
        {
            Warn("A-9", i, i,
                $"{MonthJa(i)}の時間外勤務が{HoursJa(s.InterviewWithoutRequestMinutes)}以上です（{HoursJa(m.Ordinance)}）。本人の申出がなくても医師による面接指導を行ってください。",
                $"Overtime in {MonthEn(i)} was {HoursEn(s.InterviewWithoutRequestMinutes)} or more ({HoursEn(m.Ordinance)}). Arrange a doctor's interview without waiting for a request.",
                new("hours", Hours(m.Ordinance)), new("limit", Hours(s.InterviewWithoutRequestMinutes)));
        }

        // 安衛法: total worked − days ÷ 7 × 40h, in sevenths of a minute so the comparison stays exact.
        var days = DateTime.DaysInMonth(FirstOf(i).Year, FirstOf(i).Month);
        var excessSevenths = (long)m.Total * 7 - (long)days * 40 * 60;
        if (excessSevenths > (long)s.HealthExcessMinutes * 7)
        {
            var hours = Math.Round(excessSevenths / 420m, 2, MidpointRounding.AwayFromZero);
            Warn("C-1", i, i,
                $"{MonthJa(i)}の時間外・休日労働（安衛法による算定）が{HoursJa(s.HealthExcessMinutes)}を超えました（{DecimalJa(hours)}）。本人に通知し、申出があれば医師による面接指導を行ってください。",
                $"Work beyond 40 hours a week in {MonthEn(i)} (Industrial Safety and Health Act count) exceeded {HoursEn(s.HealthExcessMinutes)} ({DecimalEn(hours)}). Tell the employee, and arrange a doctor's interview if they ask.",
                new("hours", hours), new("limit", Hours(s.HealthExcessMinutes)), new("worked", Hours(m.Total)),
                new("days", days));
        }
    }

    // ---- 特例業務 --------------------------------------------------------------------------------------

    private bool AnySpecial(int from, int to)
    {
        for (var j = Math.Max(from, lo); j <= to; j++)
        {
            if (At(j).Special)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One warning per 特例業務 month that an exemption relied on and that has no 要因分析 yet.</summary>
    private void AnalysisWarnings()
    {
        if (exemptedMonths is null)
        {
            return;
        }

        exemptedMonths.Sort();
        var previous = int.MinValue;
        foreach (var i in exemptedMonths)
        {
            if (i == previous || HasAnalysis(i))
            {
                previous = i;
                continue;
            }

            previous = i;
            Warn("A-8", i, i,
                $"{MonthJa(i)}は特例業務に従事したため上限を適用していませんが、要因の整理・分析・検証の記録がありません。",
                $"{MonthEn(i)} is exempt from the caps because of special duty (特例業務), but no analysis of its causes has been recorded.",
                new FindingFigure("hours", Hours(At(i).Ordinance)));
        }
    }

    private bool HasAnalysis(int i)
    {
        for (var k = 0; k < input.SpecialDuty.Count; k++)
        {
            var d = input.SpecialDuty[k];
            if (Index(d.Month) == i && d.Analysis is not null)
            {
                return true;
            }
        }

        return false;
    }

    // ---- forecasts ------------------------------------------------------------------------------------------

    /// <summary>The month to date has reached the margin (80 % by default) of its monthly cap, and no forecast fired for it.</summary>
    private void Margin(int i)
    {
        var m = At(i);
        string rule;
        int cap;
        Measure measure;
        if (m.Ordinance36)
        {
            if (m.Special)
            {
                return;
            }

            (rule, cap, measure) = m.Other
                ? ("A-3", s.OtherDirectedMonthlyMinutes, Measure.Ordinance)
                : ("A-1", s.MonthlyMinutes, Measure.Ordinance);
        }
        else
        {
            var a = input.Agreements[m.Agreement];
            (rule, cap, measure) = a.SpecialClause
                ? ("B-5", s.AgreementMonthlyCeilingMinutes, Measure.LaborAndRest)
                : ("B-3", a.YearlyVariableHours ? s.AgreementVariableMonthlyMinutes : s.AgreementMonthlyMinutes, Measure.Labor);
        }

        if (found is not null && found.Exists(f => f.Rule == rule && f.From == FirstOf(i) && f.To == LastOf(i)))
        {
            return;
        }

        var now = Now(measure, Value(m, measure))!.Value;
        if ((long)now * 100 < (long)cap * s.ForecastMarginPercent)
        {
            return;
        }

        var (whatJa, whatEn) = measure switch
        {
            Measure.Ordinance => ("時間外勤務", "Overtime"),
            Measure.Labor => ("時間外労働（36協定）", "Overtime (36 agreement)"),
            Measure.LaborAndRest => ("時間外労働と休日労働の合計", "Overtime and rest-day work"),
        };
        (found ??= []).Add(new Finding(rule, FindingSeverity.Warning, FirstOf(i), LastOf(i),
            $"{MonthJa(i)}の{whatJa}が上限{HoursJa(cap)}の{s.ForecastMarginPercent}%に達しています（現在{HoursJa(now)}）。",
            $"{whatEn} in {MonthEn(i)} has reached {s.ForecastMarginPercent}% of the {HoursEn(cap)} limit ({HoursEn(now)} so far).",
            [new("hours", Hours(now)), new("limit", Hours(cap)), new("margin", s.ForecastMarginPercent)],
            IsForecast: true));
    }

    /// <summary>The year total will pass its cap if the rest of the year goes at the average pace so far.</summary>
    private void YearPace(int i)
    {
        var m = At(i);
        int ys, cap, sum = 0;
        string rule, subjectJa, subjectEn;
        Measure measure;
        if (m.Ordinance36)
        {
            ys = StartOfYear(i, s.YearStartMonth);
            var otherYear = false;
            for (var j = ys; j <= ys + 11; j++)
            {
                otherYear |= At(j).Other && At(j).Ordinance36;
                sum += j <= i && At(j).Ordinance36 ? At(j).Ordinance : 0;
            }

            if (AnySpecial(ys, i))
            {
                return;
            }

            (rule, cap, measure) = otherYear ? ("A-4", s.OtherDirectedAnnualMinutes, Measure.Ordinance) : ("A-2", s.AnnualMinutes, Measure.Ordinance);
            (subjectJa, subjectEn) = ($"{YearJa(ys)}の時間外勤務の合計", $"Overtime in {YearEn(ys)}");
        }
        else
        {
            var a = input.Agreements[m.Agreement];
            ys = StartOfYear(i, a.StartMonth);
            for (var j = ys; j <= i; j++)
            {
                sum += At(j).Agreement == m.Agreement ? At(j).Labor : 0;
            }

            cap = a.SpecialClause ? s.AgreementSpecialAnnualMinutes
                : a.YearlyVariableHours ? s.AgreementVariableAnnualMinutes : s.AgreementAnnualMinutes;
            (rule, measure) = (a.SpecialClause ? "B-4" : "B-3", Measure.Labor);
            (subjectJa, subjectEn) = ($"{AgreementPeriodJa(ys)}の時間外労働の合計", $"Overtime in {AgreementPeriodEn(ys)}");
        }

        var left = ys + 11 - i;
        if (left == 0 || sum > cap)
        {
            return;   // the year ends with this month, or it has already passed (the month rules said so)
        }

        var counted = i - Math.Max(ys, earliest) + 1;
        var projected = sum + (int)Math.Round((decimal)sum / counted * left, MidpointRounding.AwayFromZero);
        if (projected <= cap)
        {
            return;
        }

        var now = Now(measure, sum)!.Value;
        var (ja, en) = new CapPhrase(subjectJa, subjectEn, HoursJa(cap), HoursEn(cap),
            HoursJa(projected), $"{HoursEn(projected)} by {MonthEn(ys + 11)}").Forecast(HoursJa(now), HoursEn(now));
        (found ??= []).Add(new Finding(rule, FindingSeverity.Warning, FirstOf(ys), LastOf(ys + 11), ja, en,
            [new("hours", Hours(now)), new("projected", Hours(projected)), new("limit", Hours(cap))], IsForecast: true));
    }

    // ---- reporting -------------------------------------------------------------------------------------------

    private static int Value(Month m, Measure measure) => measure switch
    {
        Measure.Ordinance => m.Ordinance,
        Measure.Labor => m.Labor,
        Measure.LaborAndRest => m.Labor + m.Rest,
    };

    /// <summary>In a forecast, the figure as it stands today: the projected figure less what the projection added.</summary>
    private int? Now(Measure measure, int projectedFigure)
    {
        if (toDate is null)
        {
            return null;
        }

        var today = measure switch
        {
            Measure.Ordinance => toDate.OrdinanceOvertimeMinutes,
            Measure.Labor => toDate.LaborOvertimeMinutes,
            Measure.LaborAndRest => toDate.LaborOvertimeMinutes + toDate.LegalRestDayMinutes,
        };
        return projectedFigure - (Value(At(last), measure) - today);
    }

    private void Report(string rule, int from, int to, bool exemptable, int? now, CapPhrase phrase, params ReadOnlySpan<FindingFigure> figures)
    {
        var exempt = exemptable && AnySpecial(from, to);
        if (Forecasting)
        {
            if (exempt)
            {
                return;
            }

            var list = new List<FindingFigure>(figures.Length + 1);
            foreach (var f in figures)
            {
                list.Add(f.Name switch
                {
                    "hours" => f with { Name = "projected" },
                    "average" => f with { Name = "projectedAverage" },
                    _ => f,
                });
            }

            if (now is { } n)
            {
                list.Add(new("hours", Hours(n)));
            }

            var (ja, en) = phrase.Forecast(now is { } a ? HoursJa(a) : "", now is { } b ? HoursEn(b) : "");
            (found ??= []).Add(new Finding(rule, FindingSeverity.Warning, FirstOf(from), LastOf(to), ja, en, list, IsForecast: true));
            return;
        }

        if (exempt)
        {
            exemptedMonths ??= [];
            for (var j = Math.Max(from, lo); j <= to; j++)
            {
                if (At(j).Special)
                {
                    exemptedMonths.Add(j);
                }
            }
        }

        var (messageJa, messageEn) = phrase.Breach(exempt);
        (found ??= []).Add(new Finding(rule, FindingSeverity.Violation, FirstOf(from), LastOf(to), messageJa, messageEn,
            figures.ToArray(), Exempt: exempt));
    }

    private void Warn(string rule, int from, int to, string ja, string en, params ReadOnlySpan<FindingFigure> figures) =>
        (found ??= []).Add(new Finding(rule, FindingSeverity.Warning, FirstOf(from), LastOf(to), ja, en, figures.ToArray()));
}
