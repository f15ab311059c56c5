using Dokodemo.Work.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dokodemo.Tests.Work;

/// <summary>The in-memory throttle of C-2 app activity: one write per person, device and day every 5 minutes; yesterday's entries forgotten.</summary>
public class AppActivityThrottleTests
{
    [Fact]
    public void Throttles_PerPersonDeviceAndDay_AndForgetsEarlierDays()
    {
        var clock = new MovableClock();
        var activity = new AppActivity(clock, NullLogger<AppActivity>.Instance);
        var device = Guid.NewGuid();

        Assert.True(activity.Seen("a", device));
        Assert.False(activity.Seen("a", device)); // within 5 minutes: throttled
        Assert.True(activity.Seen("a", null)); // another device
        Assert.True(activity.Seen("b", device));
        Assert.Equal(3, activity.Remembered);

        clock.Offset = AppActivity.Throttle + TimeSpan.FromSeconds(1);
        Assert.True(activity.Seen("a", device)); // after the throttle: written again

        clock.Offset = TimeSpan.FromDays(1) + TimeSpan.FromMinutes(10);
        Assert.True(activity.Seen("c", device));
        Assert.Equal(1, activity.Remembered); // yesterday's entries went with the first request of the new day

        var queued = 0;
        while (activity.Reader.TryRead(out _))
        {
            queued++;
        }

        Assert.Equal(5, queued);
    }
}
