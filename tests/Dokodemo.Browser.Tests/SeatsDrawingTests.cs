using System.Globalization;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Dokodemo.Browser.Tests;

/// <summary>
/// The plan editor in a real browser: the DX persona draws a room and places two desks with the mouse, moves one with
/// the keyboard, saves; the map on /seats then has the new desks where they were put, and one can be booked.
/// </summary>
public sealed class SeatsDrawingTests(AppServer app) : IClassFixture<AppServer>
{
    [Fact]
    public async Task Dx_draws_a_room_and_two_desks_moves_one_by_keyboard_saves_and_the_desk_can_be_booked()
    {
        if (!app.Available)
        {
            return;
        }

        // Tall enough that the whole canvas is on screen: mouse positions are viewport coordinates.
        await using var context = await app.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1600 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await AppServer.SignInAsPersonaAsync(page, "dx");
        await page.GotoAsync("/seats/admin");
        await page.Locator("#draw-link").ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath.EndsWith("/draw", StringComparison.Ordinal));
        var floorId = new Uri(page.Url).AbsolutePath.Split('/')[4];

        // The script replaced the no-JavaScript notice with the editor and loaded the floor's desks into the list.
        await Expect(page.Locator("#draw-nojs")).ToBeHiddenAsync();
        await Expect(page.Locator("#draw-item-desk-1C-06")).ToBeVisibleAsync();

        await page.Locator("#draw-canvas").ScrollIntoViewIfNeededAsync();
        var box = (await page.Locator("#draw-canvas").BoundingBoxAsync())!;
        var scale = box.Width / 1000;
        (float X, float Y) At(int x, int y) => ((float)(box.X + x * scale), (float)(box.Y + y * scale));

        // A room: drag a rectangle in the empty lower-right corner.
        await page.Locator("#draw-tool-rect").ClickAsync();
        var (fromX, fromY) = At(820, 480);
        var (toX, toY) = At(960, 570);
        await page.Mouse.MoveAsync(fromX, fromY);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(toX, toY, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await Expect(page.Locator("#draw-list")).ToContainTextAsync("部屋（820, 480 — 140 × 90）");

        // Two desks, one click each: they take the next labels after 1C-06.
        await page.Locator("#draw-tool-desk").ClickAsync();
        var (d1x, d1y) = At(200, 530);
        await page.Mouse.ClickAsync(d1x, d1y);
        var (d2x, d2y) = At(300, 530);
        await page.Mouse.ClickAsync(d2x, d2y);
        await Expect(page.Locator("#draw-item-desk-1C-07")).ToHaveTextAsync("座席 1C-07（200, 530）");
        await Expect(page.Locator("#draw-item-desk-1C-08")).ToHaveTextAsync("座席 1C-08（300, 530）");

        // Select 1C-08 in the list and move it two grid steps right with the keyboard.
        await page.Locator("#draw-item-desk-1C-08").ClickAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("#draw-item-desk-1C-08")).ToHaveTextAsync("座席 1C-08（320, 530）");
        await Expect(page.Locator("#draw-item-desk-1C-08")).ToBeFocusedAsync();

        // From the keyboard alone: Enter on the canvas places a desk in the middle; Delete takes it away again.
        await page.Locator("#draw-tool-desk").ClickAsync();
        await page.Locator("#draw-canvas").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#draw-item-desk-1C-09")).ToHaveTextAsync("座席 1C-09（500, 300）");
        await page.Keyboard.PressAsync("Delete");
        await Expect(page.Locator("#draw-item-desk-1C-09")).ToHaveCountAsync(0);

        await page.Locator("#draw-save").ClickAsync();
        await Expect(page.Locator("#draw-status")).ToHaveTextAsync("保存しました。");
        await Expect(page.Locator("#draw-error")).ToBeHiddenAsync();
        Assert.Empty(errors);

        // The plan is now the server's drawing (the demo plan kept underneath).
        var plan = await (await page.APIRequest.GetAsync($"/api/v1/seats/floors/{floorId}/plan")).TextAsync();
        Assert.Contains("<rect x=\"820\" y=\"480\" width=\"140\" height=\"90\"", plan, StringComparison.Ordinal);
        Assert.Contains("id=\"dk-base\"", plan, StringComparison.Ordinal);

        // The map shows the new desks where they were put, and 1C-08 can be booked.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime);
        var date = today.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GotoAsync($"/seats?floor={floorId}&date={date}&part=Full");
        await Expect(page.Locator("#desk-1C-07")).ToBeVisibleAsync();
        await Expect(page.Locator("#desk-1C-08 circle")).ToHaveAttributeAsync("cx", "320");
        await Expect(page.Locator("#row-1C-08")).ToContainTextAsync("空き");
        await page.Locator("#desk-1C-08").ClickAsync();
        await Expect(page.Locator("#book-h")).ToContainTextAsync("1C-08");
        await page.Locator("#book-selected").ClickAsync();
        await Expect(page.Locator("#seats-message")).ToContainTextAsync("予約しました");
        await Expect(page.Locator("#row-1C-08")).ToContainTextAsync("あなたの予約");
    }
}
