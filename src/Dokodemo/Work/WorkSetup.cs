using Dokodemo.Work.Calendar;
using Dokodemo.Work.Rules;

namespace Dokodemo.Work;

/// <summary>The Work capability: work places, telework, attendance, the working-time rules, the town calendar.</summary>
public static class WorkSetup
{
    public static WebApplicationBuilder AddWork(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<Approvers>();
        builder.Services.AddSingleton<Calendar.CalendarStore>();
        builder.Services.AddHostedService<Calendar.CalendarWarmUp>();
        builder.Services.AddScoped<Calendar.HolidayImport>();
        builder.Services.AddScoped<Calendar.TownDays>();
        builder.Services.AddScoped<Calendar.CalendarFeeds>();
        builder.Services.AddScoped<Rules.WorkRules>();
        builder.Services.AddScoped<Rules.WorkFindings>();
        builder.Services.AddScoped<Rules.DepartmentAccess>();
        Payroll.PayrollApi.AddPayroll(builder);
        Arrangements.ArrangementsApi.AddArrangements(builder);
        Records.WorkRecordsApi.AddWorkRecords(builder);
        return builder;
    }

    public static WebApplication MapWork(this WebApplication app)
    {
        app.MapCalendarApi();
        app.MapRulesApi();
        app.MapFindingsApi();
        Payroll.PayrollApi.MapPayrollApi(app);
        Arrangements.ArrangementsApi.MapArrangements(app);
        Records.WorkRecordsApi.MapWorkRecordsApi(app);
        return app;
    }
}
