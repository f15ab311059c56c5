using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dokodemo.Data;

/// <summary>What a database refusal means, the same on both providers.</summary>
public static class DbErrors
{
    /// <summary>A unique or primary key refused the row (SQLite constraint 1555/2067, PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(DbException ex) => ex switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 1555 or 2067,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>The same for a failed <c>SaveChanges</c>.</summary>
    public static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException is DbException inner && IsUniqueViolation(inner);
}
