using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using static System.FormattableString;

namespace Dokodemo.Bench;

/// <summary>
/// P3's stream clients, out of the server's process: <c>dotnet Dokodemo.Bench.dll p3-clients --port P --cookie NAME
/// --sessions FILE</c>, started by <see cref="LiveBench"/> pinned to the load core. Opens one raw HTTP/1.1 connection
/// per line of the sessions file (<c>token TAB record</c>, record 1 or 0), sends <c>GET /api/v1/talk/stream</c> with
/// that session cookie, and reads with the least work it can: a chunked-transfer decoder and a scan of each <c>data:</c>
/// line for <c>"t":N</c> (a user event stamped by the bench) or <c>"id":N</c> (a message id). Each delivery on a
/// recorded stream is kept as (kind, key, arrival) with arrival = <see cref="Stopwatch.GetTimestamp"/> when the read
/// completed — CLOCK_MONOTONIC on Linux, the same clock as the parent's. Commands on stdin, one per line:
/// <c>dump FILE</c> writes the deliveries so far (24 bytes each: kind, key, arrival as little-endian longs) and
/// forgets them, answering <c>dumped N</c>; <c>quit</c> (or stdin closing) closes everything. After opening it prints
/// <c>open OK FAILED</c>.
/// </summary>
public static class LiveClients
{
    public const long KindUser = 1;
    public const long KindMessage = 2;

    private static readonly Lock Gate = new();
    private static List<(long Kind, long Key, long At)> deliveries = new(1 << 20);
    private static long closedEarly;

    public static async Task<int> MainAsync(IReadOnlyDictionary<string, string> opt)
    {
        // Pinned to one CPU, the runtime starts one pool thread, and reading the parent's commands (Console.In) holds one:
        // the streams' reads then waited for the pool to add a thread (up to about a second, several times a run, which
        // showed as the server's latency). Enough threads from the start, and the commands read on a thread of their own.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), Math.Max(io, 8));
        var port = int.Parse(opt["port"], CultureInfo.InvariantCulture);
        var cookie = opt["cookie"];
        var lines = await File.ReadAllLinesAsync(opt["sessions"]);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var sockets = new List<Socket>(lines.Length);
        var failed = 0;
        var firstError = "";
        // Open in small waves: a burst of thousands of connects would overflow the listen backlog.
        foreach (var wave in lines.Chunk(64))
        {
            var opened = await Task.WhenAll(wave.Select(async line =>
            {
                var parts = line.Split('\t');
                try
                {
                    return (Stream: (Opened?)await OpenAsync(endpoint, port, cookie, parts[0]), Record: parts.Length > 1 && parts[1] == "1", Error: "");
                }
                catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
                {
                    return (Stream: (Opened?)null, Record: false, Error: ex.Message);
                }
            }));
            foreach (var (stream, record, error) in opened)
            {
                if (stream is null)
                {
                    failed++;
                    firstError = firstError.Length == 0 ? error : firstError;
                    continue;
                }

                sockets.Add(stream.Socket);
                _ = Task.Run(() => PumpAsync(stream.Socket, stream.Rest, record));
            }
        }

        Console.WriteLine(Invariant($"open {sockets.Count} {failed} {firstError}"));
        var commands = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var reader = new Thread(() =>
        {
            while (Console.In.ReadLine() is { } line)
            {
                commands.Writer.TryWrite(line);
            }

            commands.Writer.TryComplete();
        }) { IsBackground = true, Name = "p3-commands" };
        reader.Start();
        await foreach (var command in commands.Reader.ReadAllAsync())
        {
            if (command.StartsWith("dump ", StringComparison.Ordinal))
            {
                List<(long Kind, long Key, long At)> taken;
                lock (Gate)
                {
                    taken = deliveries;
                    deliveries = new List<(long Kind, long Key, long At)>(1 << 20);
                }

                await using (var file = new BinaryWriter(File.Create(command[5..])))
                {
                    foreach (var (kind, key, at) in taken)
                    {
                        file.Write(kind);
                        file.Write(key);
                        file.Write(at);
                    }
                }

                Console.WriteLine(Invariant($"dumped {taken.Count} {Interlocked.Read(ref closedEarly)}"));
            }
            else if (command == "quit")
            {
                break;
            }
        }

        foreach (var s in sockets)
        {
            s.Dispose();
        }

        return 0;
    }

    /// <summary>Connects, sends the request, reads the response head; returns the socket and what came after the head.</summary>
    private sealed record Opened(Socket Socket, byte[] Rest);

    private static async Task<Opened> OpenAsync(IPEndPoint endpoint, int port, string cookie, string token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint);
            var request = Encoding.ASCII.GetBytes(Invariant($"GET /api/v1/talk/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\nCookie: {cookie}={token}\r\n\r\n"));
            await socket.SendAsync(request);
            var head = new byte[8192];
            var length = 0;
            while (true)
            {
                var n = await socket.ReceiveAsync(head.AsMemory(length));
                if (n == 0)
                {
                    throw new IOException("the server closed the stream before its head");
                }

                length += n;
                var end = head.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    var status = Encoding.ASCII.GetString(head, 0, Math.Min(length, 12));
                    if (!status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("the stream answered " + status);
                    }

                    if (head.AsSpan(0, end).IndexOf("chunked"u8) < 0)
                    {
                        throw new InvalidOperationException("expected a chunked stream");
                    }

                    return new Opened(socket, head[(end + 4)..length]);
                }

                if (length == head.Length)
                {
                    throw new InvalidOperationException("the response head is too long");
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads one stream until it closes: chunked framing off, then each complete line scanned.</summary>
    private static async Task PumpAsync(Socket socket, byte[] first, bool record)
    {
        var buffer = new byte[16 * 1024];
        var decoder = new Decoder(record);
        try
        {
            decoder.Feed(first, Stopwatch.GetTimestamp());
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
                if (n == 0)
                {
                    break;
                }

                decoder.Feed(buffer.AsSpan(0, n), Stopwatch.GetTimestamp());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Closed (by quit, or by the server).
        }

        Interlocked.Increment(ref closedEarly);
    }

    /// <summary>HTTP/1.1 chunked decoding and SSE line scanning, byte by byte state for the framing and span searches for lines.</summary>
    private sealed class Decoder(bool record)
    {
        private readonly byte[] line = new byte[8192];
        private int lineLength;
        private long chunkLeft;      // payload bytes left in the current chunk
        private int state;           // 0: size line, 1: payload, 2: CRLF after payload
        private long size;
        private bool sizeDone;

        public void Feed(ReadOnlySpan<byte> data, long at)
        {
            while (data.Length > 0)
            {
                switch (state)
                {
                    case 0:
                        var b = data[0];
                        data = data[1..];
                        if (b == '\n')
                        {
                            if (size == 0)
                            {
                                throw new InvalidOperationException("end of stream");
                            }

                            chunkLeft = size;
                            size = 0;
                            sizeDone = false;
                            state = 1;
                        }
                        else if (!sizeDone && char.IsAsciiHexDigit((char)b))
                        {
                            size = size * 16 + (b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10);
                        }
                        else if (b != '\r')
                        {
                            sizeDone = true;
                        }

                        break;
                    case 1:
                        var take = (int)Math.Min(chunkLeft, data.Length);
                        Payload(data[..take], at);
                        data = data[take..];
                        chunkLeft -= take;
                        if (chunkLeft == 0)
                        {
                            state = 2;
                        }

                        break;
                    default:
                        if (data[0] == '\n')
                        {
                            state = 0;
                        }

                        data = data[1..];
                        break;
                }
            }
        }

        private void Payload(ReadOnlySpan<byte> data, long at)
        {
            while (data.Length > 0)
            {
                var nl = data.IndexOf((byte)'\n');
                var part = nl < 0 ? data : data[..nl];
                var room = Math.Min(part.Length, line.Length - lineLength);
                part[..room].CopyTo(line.AsSpan(lineLength));
                lineLength += room;
                if (nl < 0)
                {
                    return;
                }

                Line(line.AsSpan(0, lineLength), at);
                lineLength = 0;
                data = data[(nl + 1)..];
            }
        }

        private void Line(ReadOnlySpan<byte> text, long at)
        {
            if (!record || !text.StartsWith("data: {"u8))
            {
                return;
            }

            long kind;
            int i;
            if ((i = text.IndexOf("\"t\":"u8)) >= 0)
            {
                kind = KindUser;
                i += 4;
            }
            else if ((i = text.IndexOf("\"id\":"u8)) >= 0)
            {
                kind = KindMessage;
                i += 5;
            }
            else
            {
                return;
            }

            long key = 0;
            for (; i < text.Length && text[i] >= '0' && text[i] <= '9'; i++)
            {
                key = key * 10 + (text[i] - '0');
            }

            lock (Gate)
            {
                deliveries.Add((kind, key, at));
            }
        }
    }
}
