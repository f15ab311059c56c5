using System.Data.Common;
using System.Globalization;
using Dokodemo.Data;

namespace Dokodemo.Seats;

/// <summary>
/// The insert of a booking and its holdings (P6), through the <see cref="GroupWriter{TWrite}"/>: bookings arriving
/// together share a transaction, each in its own savepoint, so the holdings' primary key still refuses the second holder
/// of a (desk, date, half) on its own — that booking's caller gets the unique violation, the others commit.
/// The SQL is the same on both databases; the values follow the EF model's storage (on SQLite: ids as upper-case text,
/// instants as Unix milliseconds through <see cref="UnixMillisecondsConverter"/>; on PostgreSQL: uuid and timestamptz in UTC). The writer's test reads the rows back through EF.
/// </summary>
public sealed class SeatBookingWriter(IServiceScopeFactory scopes, ILogger<SeatBookingWriter> log) : GroupWriter<SeatBooking>(scopes, log)
{
    private const string InsertBooking =
        """INSERT INTO "SeatBookings" ("Id", "DeskId", "UserId", "Date", "Part", "State", "CreatedAt") VALUES (@id, @desk, @user, @date, @part, @state, @at)""";

    private const string InsertHolding = """INSERT INTO "SeatHoldings" ("DeskId", "Date", "Half", "BookingId", "UserId") VALUES (@desk, @date, {0}, @id, @user)""";

    private static readonly string OneHalfMorning = InsertBooking + ";\n" + Holding(SeatHalf.Morning);
    private static readonly string OneHalfAfternoon = InsertBooking + ";\n" + Holding(SeatHalf.Afternoon);
    private static readonly string BothHalves = OneHalfMorning + ";\n" + Holding(SeatHalf.Afternoon);

    private static readonly UnixMillisecondsConverter Millis = new();

    private static string Holding(SeatHalf half) => string.Format(CultureInfo.InvariantCulture, InsertHolding, (int)half);

    /// <summary>Writes a new booking (its fields as set by the caller) with one holding per half of its part.</summary>
    public Task InsertAsync(SeatBooking booking) => WriteAsync(booking);

    protected override string Sql(bool postgres, SeatBooking b) => b.Part switch
    {
        BookingPart.Morning => OneHalfMorning,
        BookingPart.Afternoon => OneHalfAfternoon,
        _ => BothHalves,
    };

    protected override void Bind(DbCommand command, bool postgres, SeatBooking b)
    {
        Add(command, "id", postgres ? b.Id : b.Id.ToString("D").ToUpperInvariant());
        Add(command, "desk", b.DeskId);
        Add(command, "user", b.UserId);
        Add(command, "date", b.Date);
        Add(command, "part", (int)b.Part);
        Add(command, "state", (int)b.State);
        Add(command, "at", postgres ? b.CreatedAt.ToUniversalTime() : Millis.ConvertToProvider(b.CreatedAt));
    }
}
