namespace Dokodemo.Seats;

/// <summary>Seats (座席・フリーアドレス): one line in Program.cs to add the services, one to map the API.</summary>
public static class SeatsSetup
{
    public static WebApplicationBuilder AddSeats(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SeatMap>();
        builder.Services.AddScoped<SeatBookings>();
        builder.Services.AddSingleton<SeatBookingWriter>();
        builder.Services.AddScoped<SeatAdmin>();
        builder.Services.AddScoped<SeatAccess>();
        builder.Services.AddScoped<SeatPeople>();
        builder.Services.AddScoped<SeatUtilisation>();
        builder.Services.AddScoped<SeatSeriesBookings>();
        builder.Services.AddScoped<SeatDrawing>();
        builder.Services.AddScoped<Work.Calendar.ICalendarFeedSource, SeatFeed>();
        // Check-in and the release of no-shows.
        builder.Services.AddScoped<SeatCheckIn>();
        builder.Services.AddScoped<SeatRelease>();
        builder.Services.AddHostedService<SeatReleaseSweep>();
        return builder;
    }

    public static WebApplication MapSeats(this WebApplication app) => app.MapSeatsApi().MapSeatCheckInApi();
}
