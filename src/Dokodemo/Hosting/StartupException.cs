namespace Dokodemo.Hosting;

/// <summary>
/// A configuration problem that stops the start. Its message is one sentence saying what to fix;
/// Program prints it without a stack trace and exits with a non-zero code.
/// </summary>
public sealed class StartupException(string message) : Exception(message);
