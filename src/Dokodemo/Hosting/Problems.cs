using Dokodemo.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dokodemo.Hosting;

/// <summary>ProblemDetails (RFC 9457) with a stable "code" and a sentence in the caller's language.</summary>
public static class Problems
{
    public static ProblemHttpResult From(Error error) =>
        TypedResults.Problem(Create(error.Code, error.Status, error.Details));

    public static Microsoft.AspNetCore.Mvc.ProblemDetails Create(string code, int status, IReadOnlyDictionary<string, object?>? details = null)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = Text.Error(code),
            Detail = Text.Error(code),
            Type = $"https://dokodemo.example/problems/{code}",
        };
        problem.Extensions["code"] = code;
        if (details is not null)
        {
            foreach (var (k, v) in details)
            {
                problem.Extensions[k] = v;
            }
        }

        return problem;
    }

    /// <summary>Every error the framework produces (404, 405, 415, bad JSON, 500) also gets a code.</summary>
    public static void AddCodes(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        var code = problem.Status switch
        {
            400 => "request.invalid",
            401 => "unauthenticated",
            403 => "forbidden",
            404 => "not_found",
            405 => "request.method_not_allowed",
            413 => "request.too_large",
            415 => "request.unsupported_media_type",
            429 => "rate_limited",
            _ => "internal",
        };
        problem.Extensions["code"] = code;
        var sentence = Text.Error(code);
        if (!sentence.StartsWith("error.", StringComparison.Ordinal))
        {
            problem.Title = sentence;
        }

        if (problem.Status >= 500)
        {
            // Never leak exception text (R39).
            problem.Detail = Text.Error("internal");
        }

        problem.Extensions.Remove("exception");
        problem.Extensions.Remove("errors");
    }
}
