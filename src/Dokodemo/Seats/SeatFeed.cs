using Dokodemo.Work.Calendar;

namespace Dokodemo.Seats;

/// <summary>Puts a person's desk bookings (confirmed or waiting for approval) in their calendar feed (issue 5 item 7).</summary>
public sealed class SeatFeed(SeatBookings bookings) : ICalendarFeedSource
{
    public async Task<IReadOnlyList<FeedEvent>> EventsAsync(string userId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var mine = await bookings.BetweenAsync(userId, from, to, ct);
        return [.. mine.Select(b => new FeedEvent($"seat-{b.Id:N}@dokodemo", b.Date, b.Date.AddDays(1),
            $"座席: {b.SiteName} {b.FloorName} {b.DeskLabel}{Part(b.Part)}", "座席",
            b.State == BookingState.Pending ? "承認待ち" : null))];
    }

    private static string Part(BookingPart part) => part switch
    {
        BookingPart.Morning => "（午前）",
        BookingPart.Afternoon => "（午後）",
        _ => "",
    };
}
