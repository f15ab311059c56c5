using System.Data.Common;

namespace Dokodemo.Data;

/// <summary>Parameters of hand-written ADO.NET commands (the group writers, Talk's search index and search).</summary>
public static class DbCommands
{
    /// <summary>
    /// Sets the parameter <paramref name="name"/> (written <c>@name</c> in the SQL; both providers bind the bare name),
    /// adding it the first time; returns it. A command run again with the same text keeps its parameter objects and only changes
    /// their values — which Npgsql needs for a command it has already parsed, and which lets Microsoft.Data.Sqlite
    /// keep its prepared statements.
    /// </summary>
    public static DbParameter Set(DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Parameters.Contains(name))
        {
            var existing = command.Parameters[name];
            existing.Value = value ?? DBNull.Value;
            return existing;
        }

        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return p;
    }
}
