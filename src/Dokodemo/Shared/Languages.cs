using System.Globalization;

namespace Dokodemo.Shared;

/// <summary>
/// The two languages of the app as a person's stored choice: "ja" (the town's language, and what null means) and "en".
/// A request speaks the language of its culture (cookie or Accept-Language); a background job (the Talk digest, reminders)
/// has no request, so it takes the person's stored language and asks <see cref="Text.For(string?, string)"/> with it.
/// </summary>
public static class Languages
{
    public const string Japanese = "ja";
    public const string English = "en";

    private static readonly CultureInfo JapaneseCulture = CultureInfo.GetCultureInfo("ja-JP");
    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en");

    /// <summary>True for exactly "ja" and "en" (what may be stored).</summary>
    public static bool IsKnown(string? language) => language is Japanese or English;

    public static bool IsEnglish(string? language) => language == English;

    /// <summary>The culture that formats dates and numbers for a stored language; null or unknown is Japanese.</summary>
    public static CultureInfo Culture(string? language) => IsEnglish(language) ? EnglishCulture : JapaneseCulture;
}
