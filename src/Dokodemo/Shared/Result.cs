namespace Dokodemo.Shared;

/// <summary>An expected failure: a stable code the UI and API translate, and the HTTP status it maps to.</summary>
public sealed record Error(string Code, int Status, IReadOnlyDictionary<string, object?>? Details = null);

/// <summary>A use case's outcome: a value or an <see cref="Error"/>. Expected outcomes are not exceptions (STYLE.md §12).</summary>
public readonly struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public Error? Error { get; }
    public bool Ok => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Error error) => new(default, error);
}
