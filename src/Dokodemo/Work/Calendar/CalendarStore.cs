using Dokodemo.Access;
using Dokodemo.Data;
using Dokodemo.Domain.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dokodemo.Work.Calendar;

/// <summary>What the calendar is made of: which official list, which of the town's own days.</summary>
public sealed record CalendarSources(HolidayListInfo? Official, IReadOnlyList<TownClosingDayDto> TownDays);

public sealed record HolidayListInfo(int FirstYear, int LastYear, int Rows, string FileName, string Encoding, DateTimeOffset ImportedAt);

public sealed record TownClosingDayDto(DateOnly Date, string Name, bool FromConfiguration);

/// <summary>
/// The town calendar in force: the newest imported Cabinet Office list (for the years it covers), the rules of 祝日法
/// for other years, 12/29–1/3, and the town's own closing days (configuration and the database). Read on every
/// request (the decision point's day type), so <see cref="Current"/> never waits: a stale copy is refreshed in the
/// background, within <see cref="CheckEvery"/> on every node; a change made here is seen at once.
/// </summary>
public sealed class CalendarStore(IServiceScopeFactory scopes, TimeProvider clock, IOptions<AccessOptions> options, ILogger<CalendarStore> logger)
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Snapshot current = new(new TownCalendar(extraClosingDays: options.Value.ClosingDays), new CalendarSources(null,
        [.. options.Value.ClosingDays.Order().Select(d => new TownClosingDayDto(d, "", FromConfiguration: true))]), long.MinValue / 2);
    private int refreshing;

    private sealed record Snapshot(TownCalendar Calendar, CalendarSources Sources, long LoadedAt);

    /// <summary>The calendar now, without waiting (the copy may be up to <see cref="CheckEvery"/> old).</summary>
    public TownCalendar Current
    {
        get
        {
            var snapshot = current;
            if (IsStale(snapshot) && Interlocked.CompareExchange(ref refreshing, 1, 0) == 0)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await RefreshAsync(CancellationToken.None);
                    }
#pragma warning disable CA1031 // A failed background refresh keeps the previous calendar; it is logged and retried.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        logger.LogError(ex, "Could not refresh the town calendar");
                    }
                    finally
                    {
                        Volatile.Write(ref refreshing, 0);
                    }
                });
            }

            return snapshot.Calendar;
        }
    }

    /// <summary>The calendar, fresh from the database when the copy is stale.</summary>
    public async ValueTask<TownCalendar> CurrentAsync(CancellationToken ct)
    {
        var snapshot = current;
        return IsStale(snapshot) ? (await RefreshAsync(ct)).Calendar : snapshot.Calendar;
    }

    public async ValueTask<CalendarSources> SourcesAsync(CancellationToken ct)
    {
        var snapshot = current;
        return IsStale(snapshot) ? (await RefreshAsync(ct)).Sources : snapshot.Sources;
    }

    private bool IsStale(Snapshot snapshot) => clock.GetTimestamp() - snapshot.LoadedAt >= CheckEvery.TotalSeconds * clock.TimestampFrequency;

    /// <summary>Reads the official list and the town's days again (after an import or an edit, and when stale).</summary>
    public async Task<(TownCalendar Calendar, CalendarSources Sources)> RefreshAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var list = await db.HolidayLists.AsNoTracking().OrderByDescending(h => h.Id).FirstOrDefaultAsync(ct);
            var own = await db.TownClosingDays.AsNoTracking().OrderBy(d => d.Date).ToListAsync(ct);
            HolidayTable? table = null;
            if (list is not null)
            {
                try
                {
                    table = HolidayTable.ParseCabinetOfficeCsv(list.Text);
                }
                catch (FormatException ex)
                {
                    // Checked when it was imported; a list that no longer parses (code changed) falls back to the rules.
                    logger.LogError(ex, "The imported holiday list {Id} does not parse; using the rules of 祝日法", list.Id);
                }
            }

            var configured = options.Value.ClosingDays;
            var days = configured.Select(d => new TownClosingDayDto(d, "", true))
                .Concat(own.Where(d => !configured.Contains(d.Date)).Select(d => new TownClosingDayDto(d.Date, d.Name, false)))
                .OrderBy(d => d.Date).ToList();
            var calendar = new TownCalendar(table, days.Select(d => d.Date));
            var sources = new CalendarSources(
                table is null ? null : new HolidayListInfo(list!.FirstYear, list.LastYear, list.Rows, list.FileName, list.Encoding, list.ImportedAt), days);
            current = new Snapshot(calendar, sources, clock.GetTimestamp());
            return (calendar, sources);
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>Loads the calendar before the app serves its first request.</summary>
public sealed class CalendarWarmUp(CalendarStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.RefreshAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
