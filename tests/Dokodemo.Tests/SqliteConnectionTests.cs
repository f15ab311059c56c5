using Microsoft.Data.Sqlite;

namespace Dokodemo.Tests;

/// <summary>
/// The embedded database's connections, whatever provider the suite runs on (a SQLite file of its own). Under P4's load a
/// pooled native connection was lent to two owners at once (Microsoft.Data.Sqlite 10.0.11, dotnet/efcore#39008): the
/// message writer's transaction was rolled back under it and every later post failed. This fails again if the package
/// goes back to such a version.
/// </summary>
public sealed class SqliteConnectionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dokodemo-sqlite-").FullName;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "pool.db"), Pooling = true }.ToString();

    [Fact]
    public void ConcurrentOpens_NeverShareOneNativeConnection()
    {
        // As the reproduction: 16 opens at once after the pool is emptied, every owner held open until the handles
        // are compared. On 10.0.11 a shared handle showed within 121–289 waves in five runs on a 2-core machine.
        const int workers = 16;
        const int waves = 600;
        using (var first = new SqliteConnection(ConnectionString))
        {
            first.Open();
        }

        for (var wave = 0; wave < waves; wave++)
        {
            using (var control = new SqliteConnection(ConnectionString))
            {
                SqliteConnection.ClearPool(control);
            }

            var connections = Enumerable.Range(0, workers).Select(_ => new SqliteConnection(ConnectionString)).ToArray();
            try
            {
                using var start = new Barrier(workers);
                var threads = connections.Select(c => new Thread(() =>
                {
                    start.SignalAndWait(TimeSpan.FromSeconds(10));
                    c.Open();
                })).ToArray();
                foreach (var t in threads)
                {
                    t.Start();
                }

                foreach (var t in threads)
                {
                    t.Join();
                }

                var handles = connections.Select(c => c.Handle!.DangerousGetHandle()).ToList();
                Assert.True(handles.Distinct().Count() == workers, $"wave {wave}: {workers - handles.Distinct().Count()} native connection(s) lent to two owners");
            }
            finally
            {
                foreach (var c in connections)
                {
                    c.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory; the OS cleans it up.
        }
    }
}
